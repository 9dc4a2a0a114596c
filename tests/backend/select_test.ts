import { assertEquals, assertRejects, assertThrows } from "@std/assert";
import {
  type BackendCandidate,
  type BackendName,
  BackendUnavailableError,
  parseBackendName,
  selectBackend,
  slowTrainingWarning,
} from "../../lib/backend/select.ts";

/** A candidate that works, or fails with `why`; it records whether it was tried and how. */
function fake(name: BackendName, why?: string) {
  const calls: { forced: boolean }[] = [];
  const candidate: BackendCandidate = {
    name,
    activate(options) {
      calls.push(options);
      return why
        ? Promise.reject(new BackendUnavailableError(why))
        : Promise.resolve({ tfjsName: `tfjs-${name}`, detail: `${name} works` });
    },
  };
  return { candidate, calls };
}

Deno.test("the first working backend wins; earlier ones are skipped with their reasons, later ones untried", async () => {
  const gpu = fake("gpu", "no NVIDIA driver");
  const webgpu = fake("webgpu", "only a software adapter");
  const native = fake("native");
  const wasm = fake("wasm");
  const choice = await selectBackend([gpu, webgpu, native, wasm].map((f) => f.candidate), {});
  assertEquals(choice, {
    name: "native",
    tfjsName: "tfjs-native",
    detail: "native works",
    forced: false,
    skipped: [{ name: "gpu", why: "no NVIDIA driver" }, { name: "webgpu", why: "only a software adapter" }],
  });
  assertEquals(wasm.calls, []);
});

Deno.test("an unexpected failure is a skip too, reported with the error's name", async () => {
  const broken: BackendCandidate = {
    name: "native",
    activate: () => Promise.reject(new TypeError("cannot open libtensorflow.so.1\nstack…")),
  };
  const choice = await selectBackend([broken, fake("cpu").candidate], {});
  assertEquals(choice.name, "cpu");
  assertEquals(choice.skipped, [{ name: "native", why: "TypeError: cannot open libtensorflow.so.1" }]);
});

Deno.test("a forced backend is the only one tried, and is told it is forced", async () => {
  const native = fake("native");
  const wasm = fake("wasm");
  const choice = await selectBackend([native.candidate, wasm.candidate], { forced: "wasm" });
  assertEquals([choice.name, choice.forced, choice.skipped], ["wasm", true, []]);
  assertEquals(native.calls, []);
  assertEquals(wasm.calls, [{ forced: true }]);
});

Deno.test("a forced backend that cannot work is an error with its reason, not a silent fallback", async () => {
  const candidates = [fake("gpu", "no NVIDIA driver").candidate, fake("cpu").candidate];
  await assertRejects(
    () => selectBackend(candidates, { forced: "gpu" }),
    Error,
    `backend "gpu" was forced but cannot work here: no NVIDIA driver`,
  );
});

Deno.test("when nothing works the error lists every reason", async () => {
  const candidates = [fake("wasm", "no WebAssembly").candidate, fake("cpu", "broken").candidate];
  await assertRejects(() => selectBackend(candidates, {}), Error, "wasm: no WebAssembly; cpu: broken");
});

Deno.test("backend names are parsed leniently and rejected clearly", () => {
  assertEquals(parseBackendName(" Native ", "NER_BACKEND"), "native");
  assertThrows(
    () => parseBackendName("tpu", "NER_BACKEND"),
    Error,
    `NER_BACKEND="tpu" is not a backend; use one of gpu, webgpu, native, wasm, cpu`,
  );
});

Deno.test("training warns when native TensorFlow was skipped for a JavaScript backend, not when forced", async () => {
  const why = "@tensorflow/tfjs-node has no native binding/libtensorflow (run `deno task setup`)";
  const fellBack = await selectBackend([fake("native", why).candidate, fake("wasm").candidate], {});
  assertEquals(
    slowTrainingWarning(fellBack),
    `warning: training on the wasm backend, many times slower than native TensorFlow, which was skipped: ${why}`,
  );
  assertEquals(
    slowTrainingWarning(await selectBackend([fake("native").candidate, fake("wasm").candidate], {})),
    undefined,
  );
  assertEquals(
    slowTrainingWarning(
      await selectBackend([fake("native", why).candidate, fake("cpu").candidate], { forced: "cpu" }),
    ),
    undefined,
  );
  assertEquals(
    slowTrainingWarning(
      await selectBackend([fake("gpu", "no driver").candidate, fake("webgpu").candidate], {}),
    ),
    undefined,
  );
});
