/**
 * Notebook infrastructure: rich display with text fallbacks, project paths that do not depend on the
 * working directory, and the headless runners (extracted module or real Deno Jupyter kernel).
 *
 * @module
 */
export { displayBundle, displayFigure, displayHtml, displayTable } from "./display.ts";
export type { DisplayFigureOptions, MimeBundle } from "./display.ts";
export { PROJECT_ROOT, projectPath } from "../util/paths.ts";
export { cellAtLine, cellSource, extractNotebook, readNotebook } from "./extract.ts";
export type { CellLines, ExtractedNotebook, Notebook, NotebookCell } from "./extract.ts";
export { findNotebooks, JUPYTER, NotebookError, runNotebookExtracted, runNotebookInKernel } from "./run.ts";
export type {
  ExtractedRunOptions,
  FindNotebooksOptions,
  KernelRunOptions,
  NotebookRun,
  RunNotebookOptions,
} from "./run.ts";
export { compareOutputs, executedOutputs, expectedOutputs, outputKind } from "./outputs.ts";
export type { CellOutputs, OutputMismatch } from "./outputs.ts";
export { flushKernelOutputs } from "./kernel_flush.ts";
export { exportNotebookHtml, isNotebookTrusted, trustNotebook, type TrustOptions } from "./publish.ts";
