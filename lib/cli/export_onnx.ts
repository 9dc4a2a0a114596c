/**
 * `deno task export-onnx --model DIR`: writes DIR/onnx/model.onnx (opset 17; inputs input_ids,
 * attention_mask, token_type_ids; output logits) and the tokenizer files transformers.js reads, then checks
 * the export: the example sentences, padded into one batch, through tfjs and ONNX Runtime. Prints the
 * summary JSON on stdout (`maxAbsDifference`); exits 1 when the logits differ by more than `--tolerance`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/mod.ts";
import { compareRuntimes } from "../onnx/compare.ts";
import { exportOnnx } from "../onnx/export.ts";
import { EXAMPLE_SENTENCES } from "../predict/examples.ts";
import { findBestModel } from "../train/find_best.ts";
import { runCommand } from "../util/exit_error.ts";

const USAGE = `usage: deno task export-onnx [--model DIR] [--tolerance X]
  --model DIR      model folder (HF layout); default: the best trained model under outputs/
  --tolerance X    largest logit difference tfjs vs ONNX Runtime accepted (default 1e-4)`;

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("export-onnx", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: "string" },
      tolerance: { type: "string", default: "1e-4" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.error(USAGE);
    return 0;
  }
  const tolerance = Number(values.tolerance);
  if (!(tolerance >= 0)) {
    console.error(`[export-onnx] --tolerance must be a non-negative number, got ${values.tolerance}`);
    return 2;
  }
  const dir = values.model ?? (await findBestModel({ trainIfMissing: false })).dir;
  const started = performance.now();
  const { path, bytes } = await exportOnnx(dir);
  const backend = await initBackend();
  const { maxAbsDifference, tokens } = await compareRuntimes(dir, [...EXAMPLE_SENTENCES]);
  console.log(JSON.stringify({
    model: dir,
    onnx: path,
    bytes,
    checkedTokens: tokens,
    tfjsBackend: backend.name,
    maxAbsDifference,
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
  }));
  if (!(maxAbsDifference <= tolerance)) {
    console.error(
      `[export-onnx] ONNX Runtime's logits differ from tfjs's by ${maxAbsDifference} > ${tolerance}`,
    );
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
