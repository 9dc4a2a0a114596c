/**
 * Kill test: `deno task train --profile smoke --resume` is SIGKILLed again and again — at every named kill
 * point (lib/util/kill_point.ts: during steps, log appends, evaluation, checkpoint writes, between the two
 * renames of a folder swap) and at seeded random moments — and resumed each time. The finished run must
 * equal an uninterrupted run with the same seed: the same losses and learning rates per step, the same dev
 * scores per epoch, the same best and test metrics, and no leftovers.
 *
 * Bounded: about 27 short sessions of a 40-step run (~1–2 minutes on 2 cores). Prints its counts.
 */
import { assert, assertEquals } from "@std/assert";
import { join } from "node:path";
import { readTrainLog } from "../../lib/train/mod.ts";
import { KILL_AT_ENV } from "../../lib/util/kill_point.ts";
import { SeededRandom } from "../../lib/util/random.ts";
import {
  deterministic,
  finishTraining,
  metricsOf,
  spawnSmokeTraining,
  type TrainingSession,
} from "./train_cli.ts";

const OVERRIDES = ["epochs=4", "logEverySteps=1", "checkpointEverySteps=3"];
/** Deterministic kills: each point at a few seeded occurrence counts, up to how often a session passes it. */
const POINTS: Record<string, number> = {
  "train-step": 12,
  "log-append": 14,
  "evaluate": 2,
  "checkpoint-fill": 4,
  "atomic-dir-swap": 5,
};
const KILLS_PER_POINT = 4;
const RANDOM_KILLS = 6;

function trainCommand(outputs: string, run: string, env: Record<string, string> = {}): Deno.ChildProcess {
  return spawnSmokeTraining({ outputs, run, resume: true, overrides: OVERRIDES, env });
}

Deno.test("kill -9 at any moment, then --resume: the run ends exactly as an uninterrupted one", async () => {
  const outputs = await Deno.makeTempDir();
  const started = performance.now();
  const referenceStart = performance.now();
  const reference = await finishTraining(trainCommand(outputs, "uninterrupted"));
  const referenceMs = performance.now() - referenceStart;
  assertEquals(reference.code, 0, reference.stderr);

  const rng = new SeededRandom(11);
  const plan: ({ point: string; at: number } | { afterMs: number })[] = [];
  for (let round = 0; round < KILLS_PER_POINT; round++) {
    for (const [point, most] of Object.entries(POINTS)) plan.push({ point, at: 1 + rng.nextInt(most) });
  }
  // Random moments within an uninterrupted session's length (start-up included), whatever the machine's speed.
  for (let i = 0; i < RANDOM_KILLS; i++) plan.push({ afterMs: rng.nextInt(Math.round(referenceMs)) });

  const counts = { sessions: 0, killedAtPoint: 0, killedAtRandom: 0, runsCompared: 0 };
  const expectedLog = deterministic(await readTrainLog(join(outputs, "uninterrupted", "train_log.jsonl")));
  // A finished run is compared with the reference, and the next kills go to a new run.
  async function compare(session: TrainingSession, run: string): Promise<void> {
    assertEquals(session.code, 0, `session ${counts.sessions} of ${run}:\n${session.stderr}`);
    assertEquals(metricsOf(session), metricsOf(reference), run);
    assertEquals(deterministic(await readTrainLog(join(outputs, run, "train_log.jsonl"))), expectedLog, run);
    const leftovers = [];
    for await (const entry of Deno.readDir(join(outputs, run))) {
      if (/\.(tmp|old)-/.test(entry.name)) leftovers.push(entry.name);
    }
    assertEquals(leftovers, [], run);
    counts.runsCompared++;
  }
  let run = "killed-1";
  for (const kill of plan) {
    counts.sessions++;
    let session: TrainingSession;
    if ("point" in kill) {
      session = await finishTraining(
        trainCommand(outputs, run, { [KILL_AT_ENV]: `${kill.point}:${kill.at}` }),
      );
    } else {
      const child = trainCommand(outputs, run);
      // The session may end on its own just before the timer fires: then there is nothing to kill.
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already ended */ }
      }, kill.afterMs);
      session = await finishTraining(child);
      clearTimeout(timer);
    }
    if (session.signal === "SIGKILL") {
      counts["point" in kill ? "killedAtPoint" : "killedAtRandom"]++;
      continue;
    }
    await compare(session, run);
    run = `killed-${counts.runsCompared + 1}`;
  }
  counts.sessions++;
  await compare(await finishTraining(trainCommand(outputs, run)), run);
  console.log(JSON.stringify({ ...counts, seconds: Math.round((performance.now() - started) / 1000) }));
  assert(counts.killedAtPoint >= Object.keys(POINTS).length * 2, `too few kills: ${JSON.stringify(counts)}`);
});

Deno.test("a kill after an epoch's log lines but before its checkpoint: the resumed log has them once", async () => {
  const outputs = await Deno.makeTempDir();
  const run = (name: string, env: Record<string, string> = {}) =>
    finishTraining(
      spawnSmokeTraining({
        outputs,
        run: name,
        resume: true,
        overrides: ["epochs=1", "checkpointEverySteps=5"],
        env,
      }),
    );
  const reference = await run("uninterrupted");
  // Checkpoints at steps 5 and 10, then the epoch's: the third is killed half written, after the epoch line.
  assertEquals((await run("killed", { [KILL_AT_ENV]: "checkpoint-fill:3" })).signal, "SIGKILL");
  const resumed = await run("killed");
  assertEquals(resumed.code, 0, resumed.stderr);
  assertEquals(metricsOf(resumed), metricsOf(reference));
  const [killedLog, referenceLog] = await Promise.all(
    ["killed", "uninterrupted"].map((name) => readTrainLog(join(outputs, name, "train_log.jsonl"))),
  );
  assertEquals(deterministic(killedLog), deterministic(referenceLog));
});
