import { assertEquals, assertStringIncludes } from "@std/assert";

async function doctor(backend: string) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "lib/cli/doctor.ts"],
    env: { NER_BACKEND: backend },
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
