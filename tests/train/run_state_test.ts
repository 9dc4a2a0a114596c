/**
 * Crash safety of a run's state: the log after a torn line, the run lock under contention, and resuming a
 * run that stopped early. (Kills at every moment: kill_test.ts; folder writes: tests/util/atomic_test.ts.)
 */
import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { readTrainLog, type TrainLogLine, trainProfile } from "../../lib/train/mod.ts";
import { RunLockedError, withRunLock } from "../../lib/train/run/lock.ts";
import { TrainLog } from "../../lib/train/run/train_log.ts";

const line = (step: number): TrainLogLine => ({
  kind: "step",
  step,
  epoch: 1,
  loss: 1 / step,
  lr: 0.001,
  tokensPerSecond: 100,
});

Deno.test("a log whose last line was torn by a kill: resuming cuts that line, not the log", async (t) => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "train_log.jsonl");
  const whole = [1, 2, 3].map((s) => JSON.stringify(line(s)) + "\n").join("");
  const torn = whole + JSON.stringify(line(4)).slice(0, 20);
  await t.step("reading skips the torn line", async () => {
    await Deno.writeTextFile(path, torn);
    assertEquals((await readTrainLog(path)).map((l) => l.step), [1, 2, 3]);
  });
  await t.step("checkpoint without a recorded length: complete lines up to its step", async () => {
    await Deno.writeTextFile(path, torn);
    const log = await TrainLog.open(path, { resumeAt: { step: 3 } });
    assertEquals(await Deno.readTextFile(path), whole);
    assertEquals(log.bytes, new TextEncoder().encode(whole).length);
  });
  await t.step("checkpoint with its length: the log as it was then", async () => {
    await Deno.writeTextFile(path, torn);
    const atStep2 = new TextEncoder().encode(
      [1, 2].map((s) => JSON.stringify(line(s)) + "\n").join(""),
    ).length;
    await TrainLog.open(path, { resumeAt: { step: 2, bytes: atStep2 } });
    assertEquals((await readTrainLog(path)).map((l) => l.step), [1, 2]);
  });
});

Deno.test("the run lock is held by one holder at a time, even when many race to take a stale one", async () => {
  const dir = await Deno.makeTempDir();
  for (let round = 0; round < 20; round++) {
    const runDir = join(dir, `run-${round}`);
    await Deno.writeTextFile(`${runDir}.lock`, "999999999\n"); // left by a process that died
    let holders = 0;
    let mostHolders = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, () =>
        withRunLock(runDir, async () => {
          mostHolders = Math.max(mostHolders, ++holders);
          await new Promise((resolve) => setTimeout(resolve, 20));
          holders--;
        })),
    );
    assertEquals(mostHolders, 1, `round ${round}: two holders at once`);
    const refused = outcomes.filter((o) => o.status === "rejected");
    for (const o of refused) {
      assertEquals((o as PromiseRejectedResult).reason instanceof RunLockedError, true);
    }
    assertEquals(outcomes.length - refused.length, 1);
    // Released: the next one takes it.
    await withRunLock(runDir, () => Promise.resolve());
  }
});

Deno.test("a run that stopped early, resumed from its last checkpoint, stays stopped", async () => {
  const outputsDir = await Deno.makeTempDir();
  // A learning rate so high that dev F1 stalls: patience runs out before the last epoch.
  const overrides = { earlyStoppingPatience: 1, learningRate: 0.5, epochs: 6 };
  const first = await trainProfile({ profile: "smoke", overrides, outputsDir, quiet: true });
  assertEquals(first.metrics.stopReason, "early-stopping");
  const again = await trainProfile({ profile: "smoke", overrides, outputsDir, quiet: true, resume: true });
  assertEquals(again.metrics.stopReason, "early-stopping");
  assertEquals(again.metrics.steps, first.metrics.steps);
  assertEquals(again.metrics.epochsCompleted, first.metrics.epochsCompleted);
});
