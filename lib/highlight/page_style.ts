/**
 * The demo pages' common style sheet (lib/highlight/page.css), for the pages that inline it: the serve page
 * and the static page.
 *
 * @module
 */

/**
 * The common style sheet's text, to put inside a page's `<style>` element.
 *
 * @example
 * ```ts
 * const css = await demoPageStyle();
 * const page = "<style>__STYLE__</style>".replace("__STYLE__", css);
 * ```
 */
export function demoPageStyle(): Promise<string> {
  return Deno.readTextFile(new URL("./page.css", import.meta.url));
}
