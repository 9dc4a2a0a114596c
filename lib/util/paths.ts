/**
 * Paths inside the project that do not depend on the working directory: the Jupyter kernel runs a notebook
 * in `notebooks/`, `deno task` runs in the project root, and both must write to the same `outputs/`.
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project root (the folder holding deno.json). */
export const PROJECT_ROOT: string = fileURLToPath(new URL("../../", import.meta.url)).replace(/\/$/, "");

/**
 * A path under the project root.
 *
 * @example
 * ```ts
 * const bioDir = projectPath("outputs", "bio"); // "/…/outputs/bio", from any working directory
 * ```
 */
export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}

/**
 * Resolves a path written in a settings file (a training profile, a corpus spec): absolute paths as they are,
 * others against the project root.
 *
 * @example
 * ```ts
 * resolveProjectPath("data/fixtures/train"); // "/…/data/fixtures/train"
 * ```
 */
export function resolveProjectPath(path: string): string {
  return isAbsolute(path) ? path : join(PROJECT_ROOT, path);
}
