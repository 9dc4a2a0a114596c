import { assertEquals, assertStringIncludes } from "@std/assert";
import { join } from "node:path";
import { TFJS_NODE_GPU_LIBRARIES } from "../../lib/backend/mod.ts";

async function doctor(backend: string, env: Record<string, string> = {}) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/cli/doctor.ts"],
    env: { NER_BACKEND: backend, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  return {
    code: output.code,
    json: JSON.parse(lines.at(-1)!),
    stderr: new TextDecoder().decode(output.stderr),
  };
}

Deno.test("doctor reports the forced backend as chosen and every backend with a role", async () => {
  const { code, json, stderr } = await doctor("cpu");
  assertEquals(code, 0);
  assertEquals([json.chosen.name, json.chosen.forced, json.chosen.tfjsName], ["cpu", true, "cpu"]);
  assertEquals(json.backends.map((b: { name: string }) => b.name), [
    "gpu",
    "webgpu",
    "native",
    "wasm",
    "cpu",
  ]);
  const cpu = json.backends.find((b: { name: string }) => b.name === "cpu");
  assertEquals([cpu.works, cpu.role], [true, "chosen"]);
  assertEquals(json.environment.NER_BACKEND, "cpu");
  assertStringIncludes(stderr, "tfjs backend: cpu (forced by NER_BACKEND)");
});

Deno.test("doctor fails clearly when NER_BACKEND names no backend", async () => {
  const { code, json } = await doctor("tpu");
  assertEquals(code, 1);
  assertStringIncludes(json.error, `NER_BACKEND="tpu" is not a backend`);
});

Deno.test("doctor names each CUDA library tfjs-node-gpu needs, found on LD_LIBRARY_PATH or not", {
  ignore: Deno.build.os !== "linux",
}, async () => {
  // A fake CUDA 11.2 runtime folder: the runtime and cuBLAS are there, cuDNN only in a version TF 2.9 never opens.
  const dir = await Deno.makeTempDir({ prefix: "fake-cuda-" });
  for (const name of ["libcudart.so.11.0", "libcublas.so.11", "libcudnn.so.9"]) {
    await Deno.writeFile(join(dir, name), new Uint8Array());
  }
  const { code, json, stderr } = await doctor("cpu", { LD_LIBRARY_PATH: dir });
  await Deno.remove(dir, { recursive: true });
  assertEquals(code, 0);
  const statuses = Object.fromEntries(
    json.cudaLibraries.map((s: { soname: string; status: string }) => [s.soname, s.status]),
  );
  assertEquals(Object.keys(statuses), TFJS_NODE_GPU_LIBRARIES.map((l) => l.soname));
  assertEquals(
    [statuses["libcudart.so.11.0"], statuses["libcublas.so.11"], statuses["libcudnn.so.8"]],
    ["ok", "ok", "wrong-version"],
  );
  assertStringIncludes(stderr, "libcudnn.so.8 missing (wrong version: only libcudnn.so.9");
});
