/**
 * Windows → padded batches for the model, with optional length bucketing and seeded shuffling, keeping the
 * way back from batch rows to windows so predictions can be merged per word.
 *
 * @module
 */
import { type EncodedWindow, IGNORE_INDEX, type TokenBatch } from "./types.ts";
import { batchOrder, type BatchOrderOptions } from "../util/batch_order.ts";

/**
 * Options of {@link makeBatches}: rows per batch, and the seeded shuffle and length bucketing of
 * lib/util/batch_order.ts (windows of similar length share a batch, so little padding is needed).
 */
export interface BatchOptions extends BatchOrderOptions {
  /** Token id of padding. Default 0 ([PAD] in BERT vocabs). */
  padId?: number;
}

/** A batch from {@link makeBatches}: `windowIndices[r]` is the index of the window in row `r`. */
export type WindowBatch = TokenBatch & { windowIndices: number[] };

/**
 * Pads windows into batches: each batch is as long as its longest window; padding has token `padId`,
 * attention mask 0 and label {@link IGNORE_INDEX}; token type ids are all 0. Labels are included when the
 * windows have them (all or none must).
 *
 * @example
 * ```ts
 * import { trainStep } from "../train/step.ts";
 * declare const windows: any, epoch: any, model: any, optimizer: any, learningRate: any, maxGradNorm: any, dropoutSeed: any; // the example's inputs
 * const batches = makeBatches(windows, { batchSize: 8, bucketByLength: true, shuffleSeed: epoch });
 * for (const batch of batches) await trainStep({ model, optimizer, batch, learningRate, maxGradNorm, dropoutSeed });
 * ```
 */
export function makeBatches(windows: readonly EncodedWindow[], options: BatchOptions): WindowBatch[] {
  const labelled = windows.filter((window) => window.labels).length;
  if (labelled !== 0 && labelled !== windows.length) {
    throw new Error(`${labelled} of ${windows.length} windows have labels: all or none must`);
  }
  const groups = batchOrder(windows.map((window) => window.inputIds.length), options);
  return groups.map((rows) => padBatch(windows, rows, options.padId ?? 0, labelled > 0));
}

function padBatch(windows: readonly EncodedWindow[], rows: number[], padId: number, withLabels: boolean) {
  const seqLength = Math.max(...rows.map((index) => windows[index].inputIds.length));
  const size = rows.length * seqLength;
  const batch: WindowBatch = {
    batchSize: rows.length,
    seqLength,
    inputIds: new Int32Array(size).fill(padId),
    attentionMask: new Int32Array(size),
    tokenTypeIds: new Int32Array(size),
    windowIndices: rows,
  };
  if (withLabels) batch.labels = new Int32Array(size).fill(IGNORE_INDEX);
  rows.forEach((index, row) => {
    const window = windows[index];
    const offset = row * seqLength;
    batch.inputIds.set(window.inputIds, offset);
    batch.attentionMask.fill(1, offset, offset + window.inputIds.length);
    if (batch.labels) batch.labels.set(window.labels!, offset);
  });
  return batch;
}

/**
 * Regroups per-row model outputs of batches into per-window outputs, in window order, ready for
 * `mergeWindowPredictions`. `rowValues[b][r]` holds the per-token values of row `r` of `batches[b]`.
 *
 * @example
 * ```ts
 * import { mergeWindowPredictions } from "./windows.ts";
 * import type { EncodedWindow } from "./types.ts";
 * declare const batches: WindowBatch[], windows: EncodedWindow[]; // the example's inputs
 * declare function predictRows(batch: WindowBatch): number[][]; // e.g. each row's argmax label ids
 * const perWindow = unbatchRows(batches, batches.map((batch) => predictRows(batch)));
 * const perWord = mergeWindowPredictions(windows, perWindow);
 * ```
 */
export function unbatchRows<T>(batches: readonly WindowBatch[], rowValues: readonly (readonly T[])[]): T[] {
  if (rowValues.length !== batches.length) {
    throw new Error(`${rowValues.length} value groups for ${batches.length} batches`);
  }
  const perWindow: T[] = [];
  batches.forEach((batch, b) => {
    if (rowValues[b].length !== batch.batchSize) {
      throw new Error(`batch ${b}: ${rowValues[b].length} rows of values for ${batch.batchSize} rows`);
    }
    batch.windowIndices.forEach((window, row) => perWindow[window] = rowValues[b][row]);
  });
  return perWindow;
}
