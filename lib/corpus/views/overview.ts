/**
 * What notebook 01 shows of a corpus, whatever it was read from: where it came from, split sizes, example
 * documents, and the colours of its types — so the notebook's cells hold no branches. A word-tokenised
 * corpus adds what only it has (its tag scheme, sentences and tokens) and is shown by example documents
 * chosen to cover its types.
 *
 * @module
 */
import { type Corpus, tokenReport } from "../corpus.ts";
import { type Document, type Split, SPLITS } from "../types.ts";
import { corpusSummaryRows, FEW_TYPES, mentionsPerTypeRows, mentionTypes } from "./figures.ts";
import { highlightMentionsHtml } from "./highlight.ts";
import { type Palette, paletteFor } from "../../highlight/palette.js";

/**
 * The colours of a corpus's entity types (`paletteFor` of all of them), for every figure and highlight of it.
 *
 * @example
 * ```ts
 * import { loadChosenCorpus } from "../load.ts";
 * const palette = corpusPalette(await loadChosenCorpus());
 * ```
 */
export function corpusPalette(corpus: Corpus): Palette {
  return paletteFor(mentionTypes(SPLITS.flatMap((split) => corpus.splits[split])));
}

/** The tag scheme of a word-tokenised corpus ("-" without entity tags); undefined for documents. */
function tokenScheme(corpus: Corpus): string | undefined {
  const reports = SPLITS.map((split) => tokenReport(corpus, split));
  if (!reports[0]) return undefined;
  return reports.map((report) => report!.scheme).find((scheme) => scheme !== null) ?? "-";
}

/**
 * One row: the corpus's name and title, what kind of source it was read from and where; for a registry
 * corpus also its types as the registry states them and its reference.
 *
 * @example
 * ```ts
 * import { displayTable } from "../../notebook/display.ts";
 * import { loadChosenCorpus } from "../load.ts";
 * await displayTable(corpusOriginRows(await loadChosenCorpus()));
 * ```
 */
export function corpusOriginRows(corpus: Corpus): Record<string, string>[] {
  const scheme = tokenScheme(corpus);
  return [{
    corpus: corpus.name,
    title: corpus.title,
    source: scheme === undefined ? corpus.source : `word-tokenised, ${scheme} tags`,
    location: corpus.location,
    ...(corpus.entry && { reference: corpus.entry.reference }),
  }];
}

/**
 * The split-size tables, for either kind: one row per split — BC5CDR's {@link corpusSummaryRows}
 * (documents, mentions per type, several ids / without id, relations); for a word-tokenised corpus the same
 * with its sentences and tokens after the documents (and no id or relation columns: such corpora have none)
 * — then, for a corpus with more than {@link FEW_TYPES} types, {@link mentionsPerTypeRows} (one row per type).
 *
 * @example
 * ```ts
 * import { displayTable } from "../../notebook/display.ts";
 * import { loadChosenCorpus } from "../load.ts";
 * for (const rows of splitSizeTables(await loadChosenCorpus())) await displayTable(rows);
 * ```
 */
export function splitSizeTables(corpus: Corpus): Record<string, string | number>[][] {
  const rows = corpusSummaryRows(corpus).map(({ split, documents, ...rest }) => {
    const report = tokenReport(corpus, split as Split);
    if (!report) return { split, documents, ...rest };
    const { sentences, tokens } = report;
    return { split, documents, sentences, tokens, ...rest };
  });
  const types = mentionTypes(SPLITS.flatMap((split) => corpus.splits[split])).length;
  return types > FEW_TYPES ? [rows, mentionsPerTypeRows(corpus)] : [rows];
}

/** How many training documents of a token corpus notebook 01 highlights. */
const TOKEN_EXAMPLES = 3;

/**
 * Highlighted training documents, as HTML. BC5CDR: the first two abstracts and the first with a composite
 * mention (several ids). A word-tokenised corpus: {@link TOKEN_EXAMPLES} documents with mentions, chosen
 * greedily to show as many entity types as possible (each next one adds the most types not shown yet, the
 * earliest on ties).
 *
 * @example
 * ```ts
 * import { displayHtml } from "../../notebook/display.ts";
 * import { loadChosenCorpus } from "../load.ts";
 * for (const html of exampleDocumentsHtml(await loadChosenCorpus())) await displayHtml(html);
 * ```
 */
export function exampleDocumentsHtml(corpus: Corpus, options: { palette?: Palette } = {}): string[] {
  const train = corpus.splits.train;
  const palette = options.palette ?? corpusPalette(corpus);
  if (tokenScheme(corpus) === undefined) {
    const withComposite = train.find((doc) => doc.mentions.some((m) => m.ids.length > 1));
    return [...train.slice(0, 2), ...(withComposite ? [withComposite] : [])].map((doc) =>
      highlightMentionsHtml(doc, { palette })
    );
  }
  const shown = new Set<string>();
  const picked: Document[] = [];
  for (let k = 0; k < TOKEN_EXAMPLES; k++) {
    let best: Document | undefined, bestNew = -1;
    for (const doc of train) {
      if (doc.mentions.length === 0 || picked.includes(doc)) continue;
      const added = new Set(doc.mentions.map((m) => m.type).filter((t) => !shown.has(t))).size;
      if (added > bestNew) [best, bestNew] = [doc, added];
    }
    if (!best) break;
    picked.push(best);
    for (const m of best.mentions) shown.add(m.type);
  }
  return picked.map((doc) =>
    highlightMentionsHtml(doc, {
      heading: `${doc.id} (train; types: ${[...new Set(doc.mentions.map((m) => m.type))].join(", ")})`,
      boldTitle: false,
      palette,
    })
  );
}
