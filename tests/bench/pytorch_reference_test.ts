/**
 * The PyTorch references run fairly configured: the process sees `OMP_WAIT_POLICY=PASSIVE` and neither
 * `OPENBLAS_CORETYPE` nor `OPENBLAS_L2_SIZE`, whatever ours holds, and ours is left as it was; a reference that
 * reports other settings is refused. With Debian's python3-torch installed, the PyTorch BiLSTM-CRF's Viterbi
 * paths, marginals and loss equal brute-force enumeration of every allowed tag sequence.
 */
import { assertEquals } from "@std/assert";
import { existsSync } from "node:fs";
import { REFERENCE_UNSET, referenceArgv, settingsProblem } from "../../bench/pytorch/reference.ts";

const PYTHON_SEES = "import json, os; print(json.dumps({n: os.environ.get(n) for n in " +
  '["OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "HOME"]}))';

async function run(argv: string[], env: Record<string, string> = {}) {
  const [command, ...args] = argv;
  const output = await new Deno.Command(command, { args, env, stdout: "piped", stderr: "piped" }).output();
  return {
    ...output,
    text: new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr),
  };
}

const hasPython = existsSync("/usr/bin/python3");

Deno.test({
  name:
    "a reference process gets OMP_WAIT_POLICY=PASSIVE and no OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE; ours keeps them",
  ignore: !hasPython,
  async fn() {
    const env = { OPENBLAS_CORETYPE: "Haswell", OPENBLAS_L2_SIZE: "512", OMP_WAIT_POLICY: "ACTIVE" };
    const { success, text } = await run(referenceArgv(["-c", PYTHON_SEES]), env);
    assertEquals(success, true, text);
    const seen = JSON.parse(text);
    assertEquals(
      [seen.OMP_WAIT_POLICY, seen.OPENBLAS_CORETYPE, seen.OPENBLAS_L2_SIZE],
      ["PASSIVE", null, null],
    );
    assertEquals(typeof seen.HOME, "string", "the rest of the environment is passed on");
    // The parent's own environment is untouched (env(1) changes the child's only).
    const parent = await run(
      [Deno.execPath(), "eval", "console.log(Deno.env.get('OPENBLAS_CORETYPE'))"],
      env,
    );
    assertEquals(parent.text.trim(), "Haswell");
  },
});

Deno.test("settings other than asked make a reference unfair: other threads, a spinning OpenMP, OpenBLAS pinned", () => {
  const fair = { OMP_WAIT_POLICY: "PASSIVE", OPENBLAS_CORETYPE: null, OPENBLAS_L2_SIZE: null };
  const settings = { torch: "1.13", threads: 2, env: fair, blas: "openblas" };
  assertEquals(settingsProblem(settings, 2), undefined);
  assertEquals(settingsProblem(settings, 4), "PyTorch ran with 2 threads, not 4");
  assertEquals(
    settingsProblem({ ...settings, env: { ...fair, OMP_WAIT_POLICY: null } }, 2),
    "PyTorch saw OMP_WAIT_POLICY=null, not PASSIVE",
  );
  assertEquals(
    settingsProblem({ ...settings, env: { ...fair, [REFERENCE_UNSET[0]]: "Haswell" } }, 2),
    `PyTorch still saw ${REFERENCE_UNSET[0]}`,
  );
});

const hasTorch = hasPython && (await run(["/usr/bin/python3", "-c", "import torch"])).success;
if (!hasTorch) {
  console.warn("pytorch_reference_test: no python3-torch, the BiLSTM-CRF reference check is skipped");
}

Deno.test({
  name: "the PyTorch BiLSTM-CRF's Viterbi, marginals and loss equal brute force over allowed tag sequences",
  ignore: !hasTorch,
  async fn() {
    const script = new URL("./bilstm_crf_reference_check.py", import.meta.url).pathname;
    const { success, text } = await run(referenceArgv([script]));
    assertEquals(success, true, text);
    assertEquals(text.trim(), "viterbi, marginals and NLL equal brute force");
  },
});
