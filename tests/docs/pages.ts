/**
 * The documentation pages the docs tests read: README.md and every docs/*.md, with helpers for their fenced
 * blocks and inline code.
 */
import { join, relative } from "node:path";

/** The project root. */
export const ROOT = new URL("../..", import.meta.url).pathname;

/** One page: its path relative to the root and its text. */
export interface Page {
  path: string;
  text: string;
}

/** README.md and docs/*.md, in that order (docs sorted by name). */
export async function readPages(): Promise<Page[]> {
  const docs = [...Deno.readDirSync(join(ROOT, "docs"))]
    .filter((entry) => entry.isFile && entry.name.endsWith(".md"))
    .map((entry) => join(ROOT, "docs", entry.name))
    .sort();
  return await Promise.all([join(ROOT, "README.md"), ...docs].map(async (path) => ({
    path: relative(ROOT, path),
    text: await Deno.readTextFile(path),
  })));
}

/** The fenced blocks of `language` in a page's text. */
export function fencedBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);
}

/** The text outside fenced blocks. */
export function prose(text: string): string {
  return text.replace(/```[\s\S]*?```/g, "");
}

/** The inline code spans (`…`) of a page's prose. */
export function inlineCode(text: string): string[] {
  return [...prose(text).matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);
}
