/**
 * The static page's script, bundled by `deno task page` into `ner_page.js` (lib/page/build.ts): the tagger of
 * recognizer.ts reading the model folder over HTTP, and the renderers of lib/highlight the page draws with.
 * The page (index.html) brings ONNX Runtime Web from its own folder and does the DOM work.
 *
 * @module
 */
import type { OrtModule } from "./word_model.ts";
import { loadPageRecognizer, type PageRecognizer } from "./recognizer.ts";

export {
  mentionsHeading,
  renderEntityTableHtml,
  renderHighlightHtml,
  renderLegendHtml,
} from "../highlight/entities.js";
export { paletteFor } from "../highlight/palette.js";
export { ModelFolderError } from "./word_model.ts";

/**
 * The tagger of the model folder at `modelUrl` (a folder URL, e.g. `new URL("model/", location.href)`): its
 * files fetched as the checks ask for them; a file the server does not give (HTTP status not 2xx) reads as
 * missing.
 *
 * @example
 * ```ts
 * import * as ort from "onnxruntime-node";
 * declare const modelUrl: URL; // the example's inputs
 * const tagger = await loadModelAt({ ort, modelUrl });
 * ```
 */
export function loadModelAt(options: { ort: OrtModule; modelUrl: URL }): Promise<PageRecognizer> {
  const { ort, modelUrl } = options;
  return loadPageRecognizer({
    ort,
    source: modelUrl.pathname,
    async read(path) {
      const response = await fetch(new URL(path, modelUrl));
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      }
      return new Uint8Array(await response.arrayBuffer());
    },
  });
}
