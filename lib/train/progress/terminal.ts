/**
 * The terminal's view of a training run (stderr): messages as `[train <run>] …` lines, a progress bar per
 * epoch (of MLM pretraining too), and a line per evaluated epoch.
 *
 * @module
 */
import { formatSeconds, ProgressBar } from "../../util/progress.ts";
import type { TrainListener } from "./events.ts";

/**
 * A subscriber (see events.ts) that draws run `run`'s progress on stderr.
 *
 * @example
 * ```ts
 * import { TrainEvents } from "./events.ts";
 * const events = new TrainEvents();
 * events.on(terminalProgress("smoke"));
 * await events.emit({ kind: "message", text: "backend cpu" }); // [train smoke] backend cpu
 * ```
 */
export function terminalProgress(run: string): TrainListener {
  const say = (text: string) => console.error(`[train ${run}] ${text}`);
  let bar: ProgressBar | undefined;
  return (event) => {
    switch (event.kind) {
      case "message":
        return say(event.text);
      case "epoch-start":
        bar = new ProgressBar({
          total: event.batches,
          label: `${event.stage === "mlm" ? "MLM " : ""}epoch ${event.epoch}/${event.epochs}`,
          unit: "step",
        });
        return;
      case "mlm-step":
        return bar?.update(event.batch, { loss: event.loss.toFixed(4) });
      case "progress": {
        const { progress, batch } = event;
        if (progress.phase !== "train" || batch === undefined) return;
        return bar?.update(batch, {
          loss: progress.loss.toFixed(4),
          lr: progress.lr.toExponential(2),
          "tok/s": Math.round(progress.tokensPerSecond),
          "run eta": formatSeconds(progress.etaSeconds),
        });
      }
      case "epoch-trained":
        return bar?.finish(event.batches, { loss: event.loss.toFixed(4) });
      case "epoch": {
        const { line, improved } = event;
        return say(
          `epoch ${line.epoch}: loss ${line.loss.toFixed(4)}, ` +
            (line.dev
              ? `dev strict F1 ${line.dev.f1.toFixed(4)}` + (improved ? " (best so far, saved)" : "")
              : "saved (trained on train+dev: no dev evaluation)"),
        );
      }
    }
  };
}
