/**
 * Following a train_log.jsonl from outside the trainer: lines appended in pieces arrive whole and once, a
 * rewritten file starts over, and the progress line reads the total step count from the decaying learning
 * rate (linear to 0 at the last step).
 */
import { assertEquals } from "@std/assert";
import { followTrainLog, TrainLogProgress } from "../../lib/train/progress/follow_log.ts";
import { linearWarmupDecay } from "../../lib/train/schedule.ts";
import type { TrainLogLine } from "../../lib/train/metrics_file.ts";

const lrAt = linearWarmupDecay({ learningRate: 1e-3, warmupSteps: 10, totalSteps: 200 });
const step = (n: number): TrainLogLine => ({
  kind: "step",
  step: n,
  epoch: 1 + Math.floor((n - 1) / 100),
  loss: 1 / n,
  lr: lrAt(n),
  tokensPerSecond: 1000,
});

Deno.test("followTrainLog skips an earlier run's log, delivers whole lines once, starts over when replaced", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/train_log.jsonl`;
  await Deno.writeTextFile(path, JSON.stringify(step(7)) + "\n"); // an earlier run's log: skipped
  const seen: number[] = [];
  const stop = new AbortController();
  const following = followTrainLog(path, {
    onLine: (l) => seen.push(l.step),
    signal: stop.signal,
    intervalMs: 20,
    fromEnd: true,
  });
  await new Promise((r) => setTimeout(r, 50));
  const waitFor = async (count: number) => {
    for (let i = 0; i < 200 && seen.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  };
  try {
    const first = JSON.stringify(step(1)) + "\n" + JSON.stringify(step(2));
    // A fresh run replaces the file (as writeFileAtomic does), then appends; step 2 arrives half written first.
    await Deno.writeTextFile(`${path}.new`, first.slice(0, first.length - 10));
    await Deno.rename(`${path}.new`, path);
    await waitFor(1);
    await Deno.writeTextFile(path, first.slice(first.length - 10) + "\n", { append: true });
    await waitFor(2);
    await Deno.writeTextFile(`${path}.new`, JSON.stringify(step(1)) + "\n"); // another fresh run
    await Deno.rename(`${path}.new`, path);
    await waitFor(3);
  } finally {
    stop.abort();
    await following;
    await Deno.remove(dir, { recursive: true });
  }
  assertEquals(seen, [1, 2, 1]);
});

Deno.test("TrainLogProgress: total steps from the learning rate's decay, ETA from the step rate", () => {
  let now = 0;
  const progress = new TrainLogProgress(2, () => now);
  assertEquals(progress.line(), undefined);
  progress.add(step(5)); // warmup: no total yet
  progress.add(step(8));
  assertEquals(progress.totalSteps(), undefined);
  now = 10_000;
  progress.add(step(50));
  progress.add(step(100));
  assertEquals(progress.totalSteps(), 200);
  // Before an epoch line: 95 steps watched in 10 s, 100 steps left.
  assertEquals(progress.line(), "epoch 1/2 | step 100/200 | loss 0.0100 | dev F1 - | eta 0m11s");
  // After: the epoch's own time (100 steps in 20 s, dev evaluation included).
  progress.add({ kind: "epoch", epoch: 1, step: 100, loss: 0.5, dev: { f1: 0.61 } as never, seconds: 20 });
  assertEquals(
    progress.line(),
    "epoch 1/2 | step 100/200 | loss 0.0100 | dev F1 0.6100 (epoch 1) | eta 0m20s",
  );
});
