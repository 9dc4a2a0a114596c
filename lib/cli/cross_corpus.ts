/**
 * `deno task cross-corpus --model DIR --corpus C [--split test|train|dev|all] [--match strict|contained]
 * [--mapping FILE] [--model-types C2]`: a model scored on a corpus it may never have seen, in that corpus's
 * terms: the corpus's gold tags are mapped to unified types by the type mapping (lib/corpus/unified_types.json
 * by default), and gold and predicted tags alike keep only the types the corpus annotates
 * (lib/corpus/type_mapping.ts's `projectTags`). The model's types must be unified types (the all-corpora
 * model, or BC5CDR's Chemical/Disease), or, with `--model-types C2`, corpus C2's own types, read through C2's
 * lines of the mapping (a single-corpus model of BioNLP13CG judged in unified types: `--model-types
 * bionlp13cg`).
 * Strict seqeval per type and micro, or with `--match contained` HunFlair's lenient matching
 * (lib/metrics/contained.ts); `--split all` scores every split, as HunFlair's comparison scores every document
 * of a corpus no compared model trained on. The model tags as inference does (its document rules included).
 * One JSON line per type on stdout, then the micro row; errors are one line on stderr.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { initBackend } from "../backend/mod.ts";
import { parseTag } from "../bio/tags.ts";
import { corpusSlug } from "../corpus/names.ts";
import {
  corpusLines,
  projectTags,
  readTypeMapping,
  unifiedTags,
  unifySentences,
} from "../corpus/type_mapping.ts";
import { classificationReport, containedMatchReport } from "../metrics/mod.ts";
import { modelTypeOfFolder } from "../model/registry.ts";
import { isWordLevelModel } from "../model/types.ts";
import { scoreOptionsOf } from "../predict/bert_crf.ts";
import { tagSentences } from "../predict/tag.ts";
import { loadBertTokenizer } from "../tokenizer/mod.ts";
import { labelsOfData, loadSplit } from "../train/load_split.ts";
import { resolveProjectPath } from "../train/profile.ts";
import { EXIT_CODES, ExitError, runCommand } from "../util/exit_error.ts";

const SPLITS = ["train", "dev", "test"] as const;
const MATCHES = ["strict", "contained"] as const;

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
        "model-types": { type: "string" },
        match: { type: "string", default: "strict" },
      },
      strict: true,
    });
    if (!values.model || !values.corpus) {
      throw new ExitError("--model DIR and --corpus NAME|PATH are required", EXIT_CODES.usage);
    }
    const split = [...SPLITS, "all" as const].find((s) => s === values.split);
    if (!split) throw new ExitError(`--split must be one of ${SPLITS.join(", ")}, all`, EXIT_CODES.usage);
    const match = MATCHES.find((m) => m === values.match);
    if (!match) throw new ExitError(`--match must be one of ${MATCHES.join(", ")}`, EXIT_CODES.usage);
    const mapping = await readTypeMapping(resolveProjectPath(values.mapping));
    const name = corpusSlug(values.corpus);
    const labels = await labelsOfData(values.corpus);
    const lines = corpusLines(mapping, name, labels);

    await initBackend();
    const type = await modelTypeOfFolder(values.model);
    const parts = scoreOptionsOf(await type.inference.load(values.model));
    const model = isWordLevelModel(parts.classifier) || parts.tokenizer
      ? parts
      : { ...parts, tokenizer: await loadBertTokenizer(join(values.model, "vocab.txt")) };
    const modelLabels = Object.values(model.classifier.config.id2label);
    const modelCorpus = values["model-types"];
    // The model's tags as unified tags: as they are, or through its own corpus's lines of the mapping.
    const modelLines = modelCorpus ? corpusLines(mapping, modelCorpus, modelLabels) : undefined;
    const asUnified = (tags: readonly string[]) => modelLines ? unifiedTags(modelLines, tags) : [...tags];
    const unified = new Set(mapping.types);
    const foreign = new Set<string>();
    for (const label of modelLabels) {
      const type = parseTag(asUnified([label])[0])?.type;
      if (type && !unified.has(type)) foreign.add(type);
    }
    if (foreign.size > 0) {
      throw new ExitError(
        `${values.model}: its types ${[...foreign].join(", ")} are not unified types of ${values.mapping} ` +
          `(${mapping.types.join(", ")}); give --model-types with the model's corpus`,
        EXIT_CODES.usage,
      );
    }
    const sentences = [];
    for (const part of split === "all" ? SPLITS : [split]) {
      sentences.push(...(await loadSplit(values.corpus, part)).sentences);
    }
    const gold = unifySentences(mapping, { corpus: name, labels, sentences, partial: false });
    const predicted = await tagSentences(gold, { ...model, batchSize: 64 });
    model.classifier.dispose();
    const goldTags = gold.map((s) => projectTags(lines, s.tags));
    const predictedTags = predicted.map((tags) => projectTags(lines, asUnified(tags)));
    const report = match === "contained"
      ? containedMatchReport(goldTags, predictedTags)
      : classificationReport(goldTags, predictedTags, { mode: "strict", onWarning: () => {} });
    const round = (x: number) => Number(x.toFixed(4));
    for (const [row, scores] of Object.entries(report)) {
      if (row.includes(" avg") && row !== "micro avg") continue;
      console.log(JSON.stringify({
        corpus: values.corpus,
        split,
        ...(match === "contained" ? { match } : {}),
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
