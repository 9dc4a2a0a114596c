import { assert, assertAlmostEquals, assertEquals } from "@std/assert";
import { RunClock, stopwatch } from "../../lib/train/progress/clock.ts";
import { type TrainEvent, TrainEvents } from "../../lib/train/progress/events.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("RunClock counts each second of a session once, however often it is settled", async () => {
  const clock = new RunClock();
  const state = { wallSeconds: 100 }; // an earlier session's seconds, from a checkpoint
  await sleep(30);
  clock.settle(state);
  const first = state.wallSeconds;
  assert(first >= 100.03 && first < 101, `${first}`);
  await sleep(30);
  assertAlmostEquals(clock.runSeconds(state), 100 + clock.sessionSeconds(), 0.005);
  clock.settle(state);
  clock.settle(state);
  assertAlmostEquals(state.wallSeconds, 100 + clock.sessionSeconds(), 0.005);
  assertEquals(clock.overBudget(state, null), false);
  assertEquals(clock.overBudget(state, 100 / 60), true);
  assertEquals(clock.overBudget(state, 2), false);
});

Deno.test("stopwatch counts the seconds it already had", async () => {
  const elapsed = stopwatch(5);
  await sleep(20);
  assert(elapsed() >= 5.02 && elapsed() < 6, `${elapsed()}`);
});

Deno.test("TrainEvents tells subscribers in order and waits for each one's promise", async () => {
  const events = new TrainEvents();
  const heard: string[] = [];
  events.on(async (event) => {
    await sleep(10);
    heard.push(`slow ${event.kind}`);
  });
  events.on((event) => void heard.push(`fast ${event.kind}`));
  const event: TrainEvent = { kind: "message", text: "hello" };
  await events.emit(event);
  assertEquals(heard, ["slow message", "fast message"]);
});

Deno.test("TrainEvents tells synchronous subscribers synchronously (messages are never reordered)", () => {
  const events = new TrainEvents();
  const heard: string[] = [];
  events.on((event) => void (event.kind === "message" && heard.push(event.text)));
  void events.emit({ kind: "message", text: "one" });
  heard.push("after");
  assertEquals(heard, ["one", "after"]);
});
