import { assert, assertAlmostEquals, assertEquals, assertRejects } from "@std/assert";
import * as tf from "@tensorflow/tfjs-core";
import { type BackendName, initBackend, probeBackends, useBackend } from "../../lib/backend/mod.ts";
import { probeWebgpuAdapter } from "../../lib/backend/webgpu.ts";
import { maxGradDifference, miniBertInitialValues, miniBertLossAndGrads } from "./mini_bert.ts";

const statuses = await probeBackends();
// A software WebGPU adapter is skipped by the automatic choice but can be forced, which these tests do.
const hasWebgpuAdapter = "info" in await probeWebgpuAdapter();
const works = (name: BackendName) =>
  statuses.find((s) => s.name === name)!.works || (name === "webgpu" && hasWebgpuAdapter);

Deno.test("every backend is probed, and pure-JS cpu always works", () => {
  assertEquals(statuses.map((s) => s.name), ["gpu", "webgpu", "native", "wasm", "cpu"]);
  assert(works("cpu"));
  for (const status of statuses) assert(status.detail.length > 0, `${status.name} says nothing`);
});

Deno.test("useBackend switches tfjs to exactly the named backend", async () => {
  const choice = await useBackend("cpu");
  assertEquals([choice.name, choice.forced, tf.getBackend()], ["cpu", true, "cpu"]);
});

const initial = miniBertInitialValues();

for (const name of ["native", "wasm", "webgpu", "gpu"] as const) {
  Deno.test({
    name: `${name}: loss and gradients of a small BERT-like graph agree with pure JS`,
    ignore: !works(name),
    async fn() {
      await useBackend("cpu");
      const reference = await miniBertLossAndGrads(initial);
      await useBackend(name);
      const { loss, grads } = await miniBertLossAndGrads(initial);
      assertEquals(tf.getBackend(), name === "native" || name === "gpu" ? "tensorflow" : name);
      assertAlmostEquals(loss, reference.loss, 1e-5);
      const difference = maxGradDifference(reference.grads, grads);
      assert(difference < 1e-5, `max |grad difference| ${difference}`);
    },
  });
}

Deno.test("a failed useBackend leaves the current choice in place", async () => {
  await useBackend("cpu");
  if (!works("gpu")) {
    await assertRejects(() => useBackend("gpu"), Error, `backend "gpu" was forced but cannot work here`);
  }
  assertEquals([(await initBackend()).name, tf.getBackend()], ["cpu", "cpu"]);
});
