/**
 * `deno task export-onnx --model DIR`: writes DIR/onnx/ through the folder's model type (lib/model/registry.ts).
 * A BERT folder: model.onnx (opset 17; inputs input_ids, attention_mask, token_type_ids; output logits),
 * model_quantized.onnx (int8, transformers.js' "q8") and the tokenizer files transformers.js reads. A
 * word-level folder: model.onnx (word_ids, shape_ids, char_ids, char_rows, lengths → emissions) and crf.json
 * (lib/model/word_crf/onnx_export.ts); a multi-corpus folder: that, in each corpus's folder. Each gets
 * onnx/export.json (model type, the weights' digest, label map, the files' digests). The `onnx/` folder is
 * built aside and checked before it replaces the old one: the example sentences, padded into one batch,
 * through tfjs and the export(s). Prints the summary JSON on stdout; exits 1 (the previous export untouched)
 * when float32 logits (emissions) differ from tfjs's by more than `--tolerance`, or when the int8 model's
 * labels agree with float32's on fewer than `--q8-agreement` of the tokens. `--dev` (BERT) also scores the dev
 * split of the model's corpus (its run's metrics.json; else `NER_CORPUS` or BC5CDR) with both exports (entity
 * F1, strict seqeval) and prints the int8 model's F1 cost.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/mod.ts";
import { compareExport, type ExportComparison } from "../onnx/graphs.ts";
import { modelTypeOfFolder } from "../model/registry.ts";
import { EXAMPLE_SENTENCES } from "../predict/examples.ts";
import { findBestModel } from "../train/run/find_best.ts";
import { ExitError, runCommand } from "../util/exit_error.ts";

const USAGE = `usage: deno task export-onnx [--model DIR] [--tolerance X] [--q8-agreement F] [--dev]
  --model DIR         model folder (BERT, word-level or multi-corpus); default: the best trained model under outputs/
  --tolerance X       largest logit (emission) difference tfjs vs ONNX Runtime float32 accepted (default 1e-4)
  --q8-agreement F    BERT: smallest fraction of example-sentence tokens on which the int8 model's label
                      equals float32's (default 0.95)
  --dev               BERT: also score the model's corpus's dev split with both exports (entity F1) and print the int8 model's F1 cost
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
    if (values.dev && modelExport.graph !== "token-logits") {
      throw new ExitError(
        `--dev scores the int8 model of a BERT export; ${dir} holds a ${modelType} model`,
        2,
      );
    }
    const backend = await initBackend();
    const checks: ExportComparison[] = [];
    const exported = await modelExport.write(dir, {
      check: async (onnxDir, modelDir) => {
        const checked = await compareExport(modelExport.graph, modelDir, [...EXAMPLE_SENTENCES], { onnxDir });
        checks.push(checked);
        const { float32, quantized } = checked;
        console.error(
          `[export-onnx] ${modelDir}: float32 vs tfjs: max |Δ| ${float32.maxAbsDifference} over ${float32.tokens} ` +
            (modelExport.graph === "token-logits" ? "tokens" : "words"),
        );
        if (quantized) {
          console.error(
            `[export-onnx] int8 vs float32: max |Δlogit| ${quantized.maxAbsDifference}, same label on ` +
              `${(100 * quantized.labelAgreement).toFixed(2)} % of tokens`,
          );
        }
        if (!(float32.maxAbsDifference <= tolerance)) {
          throw new CheckFailed(
            `${modelDir}: ONNX Runtime's scores differ from tfjs's by ${float32.maxAbsDifference} > ${tolerance}: ` +
              `the previous export (if any) is kept`,
          );
        }
        if (quantized && !(quantized.labelAgreement >= agreement)) {
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
    const summaries = exported.map((result, i) => ({
      ...(exported.length > 1 ? { model: result.dir } : {}),
      onnx: result.path,
      bytes: result.bytes,
      ...(result.quantizedPath
        ? { quantizedOnnx: result.quantizedPath, quantizedBytes: result.quantizedBytes }
        : {}),
      checkedTokens: checks[i].float32.tokens,
      maxAbsDifference: checks[i].float32.maxAbsDifference,
      ...(checks[i].quantized
        ? {
          quantizedMaxAbsDifference: checks[i].quantized!.maxAbsDifference,
          quantizedLabelAgreement: checks[i].quantized!.labelAgreement,
        }
        : {}),
    }));
    console.log(JSON.stringify({
      model: dir,
      modelType,
      ...(summaries.length === 1 ? summaries[0] : { exports: summaries }),
      tfjsBackend: backend.name,
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
