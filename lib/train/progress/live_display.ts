/**
 * A training progress display for notebooks: one HTML block (epoch, step, loss, tokens/s, ETA, latest dev
 * F1) that updates in place in Jupyter (a display with a `display_id`), and a plain line now and then
 * elsewhere (e.g. a notebook run through the extractor).
 *
 * @module
 */
import { escapeHtml } from "../../util/escape_html.js";
import { flushKernelOutputs } from "../../notebook/kernel_flush.ts";
import { formatSeconds } from "../../util/progress.ts";
import type { TrainProgress } from "./events.ts";

/** The kernel's display function, or undefined outside `deno jupyter` (reading `Deno.jupyter` throws). */
function jupyterDisplay(): typeof Deno.jupyter.display | undefined {
  try {
    return Deno.jupyter.display;
  } catch {
    return undefined;
  }
}

/**
 * One progress line, e.g. `train | epoch 2/20 | step 300/2880 | loss 0.2410 | 1850 tok/s | elapsed 5m10s | eta 40m02s | dev F1 0.5206`.
 *
 * @example
 * ```ts
 * declare const progress: any; // the example's inputs
 * console.log(progressLine(progress));
 * ```
 */
export function progressLine(p: TrainProgress): string {
  const parts = [
    p.phase === "train" ? "train" : `evaluating ${p.phase}`,
    `epoch ${p.epoch}/${p.epochs}`,
    `step ${p.step}/${p.totalSteps}`,
    `loss ${Number.isFinite(p.loss) ? p.loss.toFixed(4) : "-"}`,
    `${Math.round(p.tokensPerSecond)} tok/s`,
    `elapsed ${formatSeconds(p.elapsedSeconds)}`,
    `eta ${formatSeconds(p.etaSeconds)}`,
  ];
  if (p.dev) parts.push(`dev F1 ${p.dev.f1.toFixed(4)}`);
  return parts.join(" | ");
}

function progressHtml(p: TrainProgress): string {
  const percent = p.totalSteps > 0 ? (100 * p.step) / p.totalSteps : 0;
  return `<div style="font-family:monospace">` +
    `<div style="background:#eee;width:100%;max-width:600px;height:12px">` +
    `<div style="background:#4c78a8;width:${percent.toFixed(1)}%;height:12px"></div></div>` +
    `${escapeHtml(progressLine(p))}</div>`;
}

/**
 * A live display: pass `update` as `trainProfile`'s `onProgress`, then await `finish()`.
 *
 * @example
 * ```ts
 * import { trainProfile } from "../trainer.ts";
 * const live = liveTrainingDisplay();
 * await trainProfile({ profile: "smoke", onProgress: live.update });
 * await live.finish();
 * ```
 */
export function liveTrainingDisplay(options: { intervalMs?: number; textIntervalMs?: number } = {}) {
  const display = jupyterDisplay();
  const displayId = `train-progress-${crypto.randomUUID()}`;
  let shown = false;
  let lastDraw = -Infinity;
  let last: TrainProgress | undefined;
  let pending: Promise<void> = Promise.resolve();
  const interval = display ? options.intervalMs ?? 1000 : options.textIntervalMs ?? 30_000;
  const draw = (p: TrainProgress) => {
    if (!display) return void console.log(progressLine(p));
    const bundle = { "text/html": progressHtml(p), "text/plain": progressLine(p) };
    const update = shown;
    shown = true;
    // Displays are chained so that they reach the kernel in order.
    pending = pending.then(() => display(bundle, { raw: true, display_id: displayId, update })).catch(
      () => {},
    );
  };
  return {
    /** Records progress; redraws at most every `intervalMs` (and at every phase change). */
    update(progress: TrainProgress): void {
      const now = performance.now();
      const phaseChanged = progress.phase !== last?.phase;
      last = progress;
      if (!phaseChanged && now - lastDraw < interval) return;
      lastDraw = now;
      draw(progress);
    },
    /** Draws the final state and waits until every display message went out. */
    async finish(): Promise<void> {
      if (last) draw(last);
      await pending;
      // The kernel may otherwise publish the display after the cell's idle (see kernel_flush.ts).
      await flushKernelOutputs();
    },
  };
}
