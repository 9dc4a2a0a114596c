import { assert, assertEquals } from "@std/assert";
import { main } from "../../bench/cli/profile_kernels.ts";

const CLI = new URL("../../bench/cli/profile_kernels.ts", import.meta.url).pathname;

Deno.test("deno task profile-kernels: one encoder layer's time by kernel, and what is outside the layers", async () => {
  // A small batch of BERT-base at inference: seconds, not minutes.
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, "--batch", "2", "--seq", "16", "--mode", "infer"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  const report = JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
  assertEquals([report.mode, report.batch], ["infer", "2x16"]);
  // An encoder layer's forward: four dense matmuls (fused QKV, output, FFN in and out) and two attention ones.
  assertEquals(report.byKernel.BatchMatMul?.calls, 6, JSON.stringify(report.byKernel));
  assert(report.byKernel.Erf?.calls === 1, "one GELU a layer");
  assert(
    report.secondsPerLayer > 0 && typeof report.outsideLayersSeconds === "number",
    JSON.stringify(report),
  );
});

Deno.test("profile-kernels refuses a bad mode or size with its usage (exit status 2)", async () => {
  assertEquals(await main(["--mode", "backward"]), 2);
  assertEquals(await main(["--batch", "0"]), 2);
});
