/**
 * What notebook 02 shows of a conversion, for either kind of corpus: the document it walks through, and the
 * checks of every split as tables — BC5CDR's (lost mentions, the comparison with the independent IOB
 * conversion) and a word-tokenised corpus's (tag scheme, tokens, repaired tags with their file:line, the
 * token check) — so the notebook's cells hold no branches.
 *
 * @module
 */
import type { Document } from "../types.ts";
import { SPLITS } from "../types.ts";
import { FEW_TYPES } from "./figures.ts";
import type { Corpus } from "../corpus.ts";
import type { ConvertedCorpus } from "../convert.ts";
import type { TokenConversionReport } from "../token_conversion.ts";
import type { Sentence } from "../../bio/types.ts";

/** A document and its sentences, as the conversion makes them. */
export interface WalkthroughDocument {
  doc: Document;
  sentences: Sentence[];
}

/**
 * The document notebook 02 walks through: the first training document with a mention (BC5CDR: its first
 * abstract), with its sentences as the corpus's conversion makes them — a corpus of documents split into
 * sentences and words by lib/bio, a word-tokenised corpus's own tokens with their tags read into IOB2.
 *
 * @example
 * ```ts
 * import { loadChosenCorpus } from "../load.ts";
 * const { doc, sentences } = walkthroughDocument(await loadChosenCorpus());
 * ```
 */
export function walkthroughDocument(corpus: Corpus): WalkthroughDocument {
  const train = corpus.splits.train;
  const doc = train.find((d) => d.mentions.length > 0) ?? train[0];
  if (!doc) throw new Error(`${corpus.name}: the train split has no sentences`);
  return { doc, sentences: corpus.conversion("train").sentences.filter((s) => s.docId === doc.id) };
}

/**
 * The checks of a conversion as tables to show, in order: one row per split with its report's counts (and
 * the comparison with the reference conversion, when there is one); with a reference, the documents whose
 * entity strings differ from it; for a word-tokenised corpus with repaired tags, the first repairs of each
 * split (where, as written, as read); last the label set. Mentions and entities per type are JSON for up
 * to {@link FEW_TYPES} types, totals for more.
 *
 * @example
 * ```ts
 * import { displayTable } from "../../notebook/display.ts";
 * import { convertCorpus } from "../convert.ts";
 * import { loadChosenCorpus } from "../load.ts";
 * const converted = await convertCorpus({ corpus: await loadChosenCorpus() });
 * for (const rows of conversionCheckTables(converted)) await displayTable(rows);
 * ```
 */
export function conversionCheckTables(converted: ConvertedCorpus): Record<string, unknown>[][] {
  const perType = (counts: Record<string, number>) =>
    (converted.labels.length - 1) / 2 > FEW_TYPES
      ? Object.values(counts).reduce((n, c) => n + c, 0)
      : JSON.stringify(counts);
  const checks = [], disagreements = [], repairs = [];
  for (const split of SPLITS) {
    const { reference } = converted.splits[split];
    const { repairExamples, ...report } = converted.splits[split].report as Partial<TokenConversionReport>;
    const row: Record<string, unknown> = {
      split,
      ...report,
      mentions: perType(report.mentions!),
      entities: perType(report.entities!),
    };
    for (const example of repairExamples ?? []) {
      const [, where, from, to] = /^(.*): (\S+) → (\S+)$/.exec(example) ?? [, example, "", ""];
      repairs.push({ split, where, "as written": from, "read as": to });
    }
    if (reference) {
      row["reference sentences"] = reference.referenceSentences;
      row["sentence difference"] = `${
        ((report.sentences! / reference.referenceSentences - 1) * 100).toFixed(2)
      }%`;
      row["entity agreement"] = reference.agreement.toFixed(4);
      for (const d of reference.disagreements) {
        disagreements.push({
          split,
          docId: d.docId,
          ours: d.ours.join(" · "),
          reference: d.reference.join(" · "),
        });
      }
    }
    checks.push(row);
  }
  const labels = [{ labels: converted.labels.length, "label set": converted.labels.join(" ") }];
  return [
    checks,
    ...(converted.splits.train.reference ? [disagreements] : []),
    ...(repairs.length > 0 ? [repairs] : []),
    labels,
  ];
}
