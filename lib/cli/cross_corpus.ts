/**
 * `deno task cross-corpus --model DIR --corpus C [--split test] [--mapping FILE]`: a model whose entity types
 * are unified types (the all-corpora model, or any model whose types carry those names, such as BC5CDR's
 * Chemical/Disease) scored on a corpus it may never have seen, in that corpus's terms: the corpus's gold tags
 * are mapped to unified types by the type mapping (lib/corpus/unified_types.json by default), and gold and
 * predicted tags alike keep only the types the corpus annotates (lib/corpus/type_mapping.ts's `projectTags`).
 * Strict seqeval per type and micro; the model tags as inference does (its document rules included). One JSON
 * line per type on stdout, then the micro row; errors are one line on stderr.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { initBackend } from "../backend/mod.ts";
import { parseTag } from "../bio/tags.ts";
import { corpusSlug } from "../corpus/names.ts";
import { corpusLines, projectTags, readTypeMapping, unifySentences } from "../corpus/type_mapping.ts";
import { classificationReport } from "../metrics/mod.ts";
import { modelTypeOfFolder } from "../model/registry.ts";
import { isWordLevelModel } from "../model/types.ts";
import { scoreOptionsOf } from "../predict/bert_crf.ts";
import { tagSentences } from "../predict/tag.ts";
import { loadBertTokenizer } from "../tokenizer/mod.ts";
import { labelsOfData, loadSplit } from "../train/load_split.ts";
import { resolveProjectPath } from "../train/profile.ts";
import { EXIT_CODES, ExitError, runCommand } from "../util/exit_error.ts";

const SPLITS = ["train", "dev", "test"] as const;

/**
 * Runs the command; returns its exit code.
 *
 * @example
 * ```ts
 * const code = await main(["--model", "outputs/bilstm-crf-all-no-bionlp13cg/best", "--corpus", "bionlp13cg"]);
 * ```
 */
export function main(args: string[]): Promise<number> {
  return runCommand("cross-corpus", async () => {
    const { values } = parseArgs({
      args,
      options: {
        model: { type: "string" },
        corpus: { type: "string" },
        split: { type: "string", default: "test" },
        mapping: { type: "string", default: "lib/corpus/unified_types.json" },
      },
      strict: true,
    });
    if (!values.model || !values.corpus) {
      throw new ExitError("--model DIR and --corpus NAME|PATH are required", EXIT_CODES.usage);
    }
    const split = SPLITS.find((s) => s === values.split);
    if (!split) throw new ExitError(`--split must be one of ${SPLITS.join(", ")}`, EXIT_CODES.usage);
    const mapping = await readTypeMapping(resolveProjectPath(values.mapping));
    const name = corpusSlug(values.corpus);
    const lines = corpusLines(mapping, name, await labelsOfData(values.corpus));

    await initBackend();
    const type = await modelTypeOfFolder(values.model);
    if (!type.inference) {
      throw new ExitError(
        `${values.model} holds a ${type.modelType} model: give one of its model folders`,
        EXIT_CODES.usage,
      );
    }
    const parts = scoreOptionsOf(await type.inference.load(values.model));
    const model = isWordLevelModel(parts.classifier) || parts.tokenizer
      ? parts
      : { ...parts, tokenizer: await loadBertTokenizer(join(values.model, "vocab.txt")) };
    const modelTypes = new Set<string>();
    for (const label of Object.values(model.classifier.config.id2label)) {
      const parsed = parseTag(label);
      if (parsed && parsed.prefix !== "O") modelTypes.add(parsed.type);
    }
    const foreign = [...modelTypes].filter((type) => !mapping.types.includes(type));
    if (foreign.length > 0) {
      throw new ExitError(
        `${values.model}: its types ${foreign.join(", ")} are not unified types of ${values.mapping} ` +
          `(${mapping.types.join(", ")})`,
        EXIT_CODES.usage,
      );
    }
    const { sentences } = await loadSplit(values.corpus, split);
    const labels = await labelsOfData(values.corpus);
    const gold = unifySentences(mapping, { corpus: name, labels, sentences, partial: false });
    const predicted = await tagSentences(gold, { ...model, batchSize: 64 });
    model.classifier.dispose();
    const report = classificationReport(
      gold.map((s) => projectTags(lines, s.tags)),
      predicted.map((tags) => projectTags(lines, tags)),
      { mode: "strict", onWarning: () => {} },
    );
    const round = (x: number) => Number(x.toFixed(4));
    for (const [row, scores] of Object.entries(report)) {
      if (row.includes(" avg") && row !== "micro avg") continue;
      console.log(JSON.stringify({
        corpus: values.corpus,
        split,
        type: row === "micro avg" ? "micro" : row,
        precision: round(scores.precision),
        recall: round(scores.recall),
        f1: round(scores["f1-score"]),
        support: scores.support,
      }));
    }
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
