/**
 * Backend selection: try candidates in priority order, keep the first that really works, and remember why
 * each one before it did not. Knows nothing about tfjs itself, so the logic is testable with fake candidates.
 *
 * @module
 */

/** Our names of the backends, in priority order (fastest first). */
export const BACKEND_NAMES = ["gpu", "webgpu", "native", "wasm", "cpu"] as const;

/** One of {@link BACKEND_NAMES}. */
export type BackendName = typeof BACKEND_NAMES[number];

/** The environment variable that forces one backend. */
export const BACKEND_ENV = "NER_BACKEND";

/** The backend in use and why the others were not. */
export interface BackendChoice {
  /** Our name of the chosen backend (one of {@link BACKEND_NAMES}). */
  name: string;
  /** Why each backend tried before the chosen one was skipped, in the order tried. */
  skipped: { name: string; why: string }[];
  /** The tfjs backend name behind it (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  tfjsName?: string;
  /** What exactly runs, e.g. "libtensorflow 1.15.0 (npm-only route)" or the GPU adapter's description. */
  detail?: string;
  /** Whether the choice was forced by {@link BACKEND_ENV} or an explicit option. */
  forced?: boolean;
}

/** What a candidate reports once it runs: its tfjs name and a human description. */
export interface ActiveBackend {
  tfjsName: string;
  detail: string;
}

/** A backend that can be activated; `activate` throws {@link BackendUnavailableError} when it cannot work. */
export interface BackendCandidate {
  name: BackendName;
  /** Makes it the current tfjs backend and checks that it computes. `forced` relaxes preferences (not needs). */
  activate(options: { forced: boolean }): Promise<ActiveBackend>;
}

/** Raised by a candidate that cannot work here; the message is the reason shown to the user. */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackendUnavailableError";
  }
}

/**
 * Parses a backend name, e.g. the value of `NER_BACKEND`, with an error naming `where` it came from.
 *
 * @example
 * ```ts
 * parseBackendName("native", "NER_BACKEND"); // "native"
 * ```
 */
export function parseBackendName(value: string, where: string): BackendName {
  const name = value.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  throw new Error(
    `${where}=${JSON.stringify(value)} is not a backend; use one of ${BACKEND_NAMES.join(", ")}`,
  );
}

/**
 * Activates the first candidate that works, or exactly `forced` (then a failure is an error naming the
 * reason). Candidates are tried in the order given.
 *
 * @example
 * ```ts
 * declare const candidates: any; // the example's inputs
 * const choice = await selectBackend(candidates, {});
 * console.log(choice.name, choice.skipped);
 * ```
 */
export async function selectBackend(
  candidates: BackendCandidate[],
  options: { forced?: BackendName },
): Promise<BackendChoice> {
  if (options.forced) {
    const candidate = candidates.find((c) => c.name === options.forced);
    if (!candidate) throw new Error(`backend "${options.forced}" is not available in this build`);
    try {
      const active = await candidate.activate({ forced: true });
      return { name: candidate.name, skipped: [], ...active, forced: true };
    } catch (error) {
      throw new Error(`backend "${candidate.name}" was forced but cannot work here: ${reasonOf(error)}`, {
        cause: error,
      });
    }
  }
  const skipped: BackendChoice["skipped"] = [];
  for (const candidate of candidates) {
    try {
      const active = await candidate.activate({ forced: false });
      return { name: candidate.name, skipped, ...active, forced: false };
    } catch (error) {
      skipped.push({ name: candidate.name, why: reasonOf(error) });
    }
  }
  throw new Error(`no tfjs backend works here: ${skipped.map((s) => `${s.name}: ${s.why}`).join("; ")}`);
}

/**
 * The user-facing reason of a failure: the message of an expected one, name + first line otherwise.
 *
 * @example
 * ```ts
 * reasonOf(new BackendUnavailableError("no NVIDIA driver")); // "no NVIDIA driver"
 * reasonOf(new TypeError("bad\nstack")); // "TypeError: bad"
 * ```
 */
export function reasonOf(error: unknown): string {
  if (error instanceof BackendUnavailableError) return error.message;
  if (error instanceof Error) return `${error.name}: ${error.message.split("\n")[0]}`;
  return String(error);
}

/**
 * The one line a training run prints when it falls back to a JavaScript backend (wasm, cpu) because native
 * TensorFlow was skipped, e.g. on a clone where `deno task setup` has not run: the run works, many times
 * slower, and `--quiet` would hide the backend line. Undefined when native TensorFlow was not skipped.
 *
 * @example
 * ```ts
 * slowTrainingWarning({ name: "wasm", skipped: [{ name: "native", why: "no binding (run `deno task setup`)" }] });
 * // "warning: training on the wasm backend, many times slower than native TensorFlow, which was skipped: no binding (run `deno task setup`)"
 * ```
 */
export function slowTrainingWarning(choice: BackendChoice): string | undefined {
  const native = choice.skipped.find((skipped) => skipped.name === "native");
  if (!native) return undefined; // native is tried before wasm and cpu only (and never when one is forced)
  return `warning: training on the ${choice.name} backend, many times slower than native TensorFlow, ` +
    `which was skipped: ${native.why}`;
}
