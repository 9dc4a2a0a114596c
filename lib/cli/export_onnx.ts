/**
 * `deno task export-onnx --model DIR`: writes DIR/onnx/model.onnx (opset 17; inputs input_ids,
 * attention_mask, token_type_ids; output logits), DIR/onnx/model_quantized.onnx (int8, transformers.js' "q8"),
 * onnx/export.json (the weights' digest and label map) and the tokenizer files transformers.js reads. The
 * `onnx/` folder is built aside and checked before it replaces the old one: the example sentences, padded into
 * one batch, through tfjs and both exports. Prints the summary JSON on stdout; exits 1 (the previous export
 * untouched) when float32 logits differ from tfjs's by more than `--tolerance`, or when the int8 model's labels
 * agree with float32's on fewer than `--q8-agreement` of the tokens. `--dev` also scores the dev split of the
 * model's corpus (its run's metrics.json; else `NER_CORPUS` or BC5CDR) with both exports (entity F1, strict
 * seqeval) and prints the int8 model's F1 cost.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/mod.ts";
import { compareRuntimes, type LogitsComparison } from "../onnx/compare.ts";
import { modelTypeOfFolder } from "../model/registry.ts";
import { EXAMPLE_SENTENCES } from "../predict/examples.ts";
import { findBestModel } from "../train/run/find_best.ts";
import { ExitError, runCommand } from "../util/exit_error.ts";

const USAGE = `usage: deno task export-onnx [--model DIR] [--tolerance X] [--q8-agreement F] [--dev]
  --model DIR         model folder (HF layout); default: the best trained model under outputs/
  --tolerance X       largest logit difference tfjs vs ONNX Runtime float32 accepted (default 1e-4)
  --q8-agreement F    smallest fraction of example-sentence tokens on which the int8 model's label equals
                      float32's (default 0.95)
  --dev               also score the model's corpus's dev split with both exports (entity F1) and print the int8 model's F1 cost
exit codes: 0 exported; 1 the check failed or the model cannot be exported (previous export untouched);
            2 bad arguments`;

/** The export's check failed: exit 1, nothing renamed into place. */
class CheckFailed extends ExitError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("export-onnx", async () => {
    const { values } = parseArgs({
      args,
      options: {
        model: { type: "string" },
        tolerance: { type: "string", default: "1e-4" },
        "q8-agreement": { type: "string", default: "0.95" },
        dev: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      console.error(USAGE);
      return 0;
    }
    const tolerance = Number(values.tolerance);
    if (!(tolerance >= 0)) {
      throw new ExitError(`--tolerance must be a non-negative number, got ${values.tolerance}`, 2);
    }
    const agreement = Number(values["q8-agreement"]);
    if (!(agreement >= 0 && agreement <= 1)) {
      throw new ExitError(`--q8-agreement must be a number in [0, 1], got ${values["q8-agreement"]}`, 2);
    }
    const dir = values.model ?? (await findBestModel({ trainIfMissing: false })).dir;
    const started = performance.now();
    const { modelType, export: modelExport } = await modelTypeOfFolder(dir);
    if (!modelExport) {
      throw new ExitError(`cannot export ${dir}: it holds a ${modelType} model, which has no ONNX export`, 1);
    }
    const backend = await initBackend();
    let checked: { float32: LogitsComparison; quantized: LogitsComparison } | undefined;
    const exported = await modelExport.write(dir, {
      check: async (onnxDir) => {
        checked = await compareRuntimes(dir, [...EXAMPLE_SENTENCES], { onnxDir });
        const { float32, quantized } = checked;
        console.error(
          `[export-onnx] float32 vs tfjs: max |Δlogit| ${float32.maxAbsDifference} over ${float32.tokens} tokens`,
        );
        console.error(
          `[export-onnx] int8 vs float32: max |Δlogit| ${quantized.maxAbsDifference}, same label on ` +
            `${(100 * quantized.labelAgreement).toFixed(2)} % of tokens`,
        );
        if (!(float32.maxAbsDifference <= tolerance)) {
          throw new CheckFailed(
            `ONNX Runtime's logits differ from tfjs's by ${float32.maxAbsDifference} > ${tolerance}: ` +
              `the previous export (if any) is kept`,
          );
        }
        if (!(quantized.labelAgreement >= agreement)) {
          throw new CheckFailed(
            `the int8 model's labels agree with float32's on ${quantized.labelAgreement} < ${agreement} of the ` +
              `tokens: the previous export (if any) is kept`,
          );
        }
      },
    }).catch((error) => {
      if (error instanceof ExitError) throw error;
      throw new ExitError(`cannot export ${dir}: ${(error as Error).message}`, 1);
    });
    const dev = values.dev ? await devScores(dir) : undefined;
    console.log(JSON.stringify({
      model: dir,
      onnx: exported.path,
      bytes: exported.bytes,
      quantizedOnnx: exported.quantizedPath,
      quantizedBytes: exported.quantizedBytes,
      checkedTokens: checked!.float32.tokens,
      tfjsBackend: backend.name,
      maxAbsDifference: checked!.float32.maxAbsDifference,
      quantizedMaxAbsDifference: checked!.quantized.maxAbsDifference,
      quantizedLabelAgreement: checked!.quantized.labelAgreement,
      ...(dev ? { dev } : {}),
      seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    }));
    return 0;
  });
}

/** Entity F1 (strict seqeval, micro) on the model's corpus's dev split with the float32 and the int8 export. */
async function devScores(dir: string) {
  const { loadSplit } = await import("../train/load_split.ts");
  const { corpusOfModel } = await import("../train/run/find_best.ts");
  const { chosenCorpus } = await import("../corpus/names.ts");
  const { classificationReport } = await import("../metrics/mod.ts");
  const { createNerPipeline } = await import("../predict/pipeline.ts");
  const corpus = await corpusOfModel(dir, chosenCorpus());
  const { sentences, source } = await loadSplit(corpus, "dev");
  const f1 = async (runtime: "onnx" | "onnx-q8") => {
    const ner = await createNerPipeline({ model: dir, runtime, batchSize: 64 });
    try {
      const predicted = await ner.tagSentences(sentences);
      const report = classificationReport(sentences.map((s) => s.tags), predicted, { mode: "strict" });
      return report["micro avg"]["f1-score"];
    } finally {
      ner.dispose();
    }
  };
  const float32 = await f1("onnx"), int8 = await f1("onnx-q8");
  console.error(
    `[export-onnx] dev entity F1: float32 ${float32.toFixed(4)}, int8 ${int8.toFixed(4)} (${source})`,
  );
  return {
    source,
    sentences: sentences.length,
    f1Float32: float32,
    f1Int8: int8,
    f1DropPoints: 100 * (float32 - int8),
  };
}

if (import.meta.main) Deno.exit(await main(Deno.args));
