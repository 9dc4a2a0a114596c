/**
 * `deno task consistency --model DIR [--split dev|test] [--corpus C]`: the on/off table of the document
 * consistency rules (lib/bio/consistency.ts) for a trained model — strict micro and per-type F1 on a split
 * (dev by default: the rules are chosen there, never on test) with no rule, each rule alone, and both. The
 * split is the model's corpus's (its run's metrics.json), else `--corpus`/`NER_CORPUS`/BC5CDR's. The model tags once,
 * without the rules its folder may name; the rules are then applied to those tags. One JSON line per row on
 * stdout; errors are one line on stderr (exit codes as every command's, lib/util/exit_error.ts).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { initBackend } from "../backend/mod.ts";
import { classificationReport } from "../metrics/mod.ts";
import { join } from "node:path";
import { modelTypeOfFolder } from "../model/registry.ts";
import { isWordLevelModel } from "../model/types.ts";
import { scoreOptionsOf } from "../predict/bert_crf.ts";
import { type ConsistencyOptions, consistentCorpusTags } from "../bio/consistency.ts";
import type { ScoreOptions } from "../predict/score.ts";
import { tagSentences } from "../predict/tag.ts";
import { loadBertTokenizer } from "../tokenizer/mod.ts";
import { chosenCorpus } from "../corpus/names.ts";
import { corpusOfModel } from "../train/run/find_best.ts";
import { loadSplit } from "../train/load_split.ts";
import { EXIT_CODES, ExitError, runCommand } from "../util/exit_error.ts";

const ROWS: [string, ConsistencyOptions][] = [
  ["none", {}],
  ["abbreviations", { abbreviations: true }],
  ["propagation", { propagation: true }],
  ["both", { abbreviations: true, propagation: true }],
];

/** The model of a folder without consistency rules of its own, as scoring takes it (with its tokenizer). */
async function plainModel(dir: string): Promise<ScoreOptions> {
  const type = await modelTypeOfFolder(dir);
  const options = scoreOptionsOf(await type.inference.load(dir, { documentRules: false }));
  if (isWordLevelModel(options.classifier) || options.tokenizer) return options;
  return { ...options, tokenizer: await loadBertTokenizer(join(dir, "vocab.txt")) };
}

/**
 * Runs the command; returns its exit code.
 *
 * @example
 * ```ts
 * const code = await main(["--model", "outputs/bilstm-crf-train-only/best"]);
 * ```
 */
export function main(args: string[]): Promise<number> {
  return runCommand("consistency", async () => {
    const { values } = parseArgs({
      args,
      options: {
        model: { type: "string" },
        split: { type: "string", default: "dev" },
        corpus: { type: "string" },
      },
      strict: true,
    });
    if (!values.model) throw new ExitError("--model DIR is required", EXIT_CODES.usage);
    if (values.split !== "dev" && values.split !== "test") {
      throw new ExitError("--split must be dev or test", EXIT_CODES.usage);
    }
    await initBackend();
    const corpus = values.corpus
      ? chosenCorpus(values.corpus)
      : await corpusOfModel(values.model, chosenCorpus());
    const { sentences } = await loadSplit(corpus, values.split);
    const model = await plainModel(values.model);
    const predicted = await tagSentences(sentences, { ...model, batchSize: 64 });
    model.classifier.dispose();
    const gold = sentences.map((s) => s.tags);
    for (const [rules, options] of ROWS) {
      const report = classificationReport(gold, consistentCorpusTags(sentences, predicted, options), {
        mode: "strict",
        onWarning: () => {},
      });
      const f1 = (row: { "f1-score": number }) => Number(row["f1-score"].toFixed(4));
      const perType = Object.fromEntries(
        Object.entries(report).filter(([name]) => !name.includes(" avg")).map((
          [type, row],
        ) => [type, f1(row)]),
      );
      console.log(
        JSON.stringify({
          corpus,
          split: values.split,
          rules,
          "micro F1": f1(report["micro avg"]),
          ...perType,
        }),
      );
    }
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
