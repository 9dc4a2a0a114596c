/**
 * The corpus a notebook shows (`NER_CORPUS`, else BC5CDR): loaded by name or path whatever its kind, with a
 * title from the registry, its documents per split either way (PubTator/HF abstracts, or the documents
 * rebuilt from a word-tokenised corpus), and the views notebook 01 shows that differ between the two kinds —
 * where it came from, split sizes, example documents — so the notebook's cells hold no branches.
 *
 * @module
 */
import { basename } from "node:path";
import type { Corpus } from "../corpus/load.ts";
import { type Document, type Split, SPLITS } from "../corpus/types.ts";
import { corpusSummaryRows, FEW_TYPES, mentionsPerTypeRows, mentionTypes } from "../corpus/figures.ts";
import { highlightMentionsHtml } from "../corpus/highlight.ts";
import {
  CORPORA,
  type CorpusEntry,
  loadNamedCorpus,
  type LoadNamedCorpusOptions,
  type TokenCorpus,
} from "./corpora.ts";
import { chosenCorpus } from "./corpus_names.ts";
import { type Palette, paletteFor } from "../highlight/palette.js";

/** A loaded corpus of either kind, as notebooks show it. */
export interface ChosenCorpus {
  /** The registry name, or the (absolute) path it was read from. */
  name: string;
  /** Its registry entry; undefined for a path. */
  entry?: CorpusEntry;
  /** What it is, for headings: the entry's title, or the folder's name for a path. */
  title: string;
  /** BC5CDR's documents, or a word-tokenised corpus with its conversion. */
  corpus: Corpus | TokenCorpus;
  /** The documents of each split (for a token corpus: rebuilt from its tokens, one sentence a line). */
  splits: Record<Split, Document[]>;
  /** Colours of its entity types (`paletteFor` of all of them), for every figure and highlight of it. */
  palette: Palette;
}

/** Whether the corpus is word-tokenised (CoNLL files, HF `tokens` + `ner_tags`), not documents. */
export function isTokenCorpus(corpus: Corpus | TokenCorpus): corpus is TokenCorpus {
  return "kind" in corpus && corpus.kind === "tokens";
}

/**
 * Loads the corpus `options.corpus` names, else the chosen one ({@link chosenCorpus}: `$NER_CORPUS`, else
 * `bc5cdr`), through {@link loadNamedCorpus}.
 *
 * @example
 * ```ts
 * const chosen = await loadChosenCorpus(); // $NER_CORPUS or bc5cdr
 * chosen.title;                            // "BioCreative V CDR (chemicals and diseases, 1,500 PubMed abstracts)"
 * chosen.splits.train.length;              // 500
 * ```
 */
export async function loadChosenCorpus(
  options: LoadNamedCorpusOptions & { corpus?: string } = {},
): Promise<ChosenCorpus> {
  const { name, corpus } = await loadNamedCorpus(options.corpus ?? chosenCorpus(), options);
  const entry = Object.hasOwn(CORPORA, name) ? CORPORA[name] : undefined;
  const splits = isTokenCorpus(corpus)
    ? Object.fromEntries(SPLITS.map((split) => [split, corpus.splits[split].documents])) as Record<
      Split,
      Document[]
    >
    : corpus.splits;
  const palette = paletteFor(mentionTypes(SPLITS.flatMap((split) => splits[split])));
  return { name, entry, title: entry?.title ?? `${basename(name)} (your corpus)`, corpus, splits, palette };
}

/**
 * One row: the corpus's name and title, what kind of source it was read from and where; for a registry
 * corpus also its types as the registry states them and its reference.
 *
 * @example
 * ```ts
 * import { displayTable } from "../notebook/display.ts";
 * await displayTable(corpusOriginRows(await loadChosenCorpus()));
 * ```
 */
export function corpusOriginRows(chosen: ChosenCorpus): Record<string, string>[] {
  const { corpus, entry } = chosen;
  const scheme = isTokenCorpus(corpus)
    ? SPLITS.map((s) => corpus.splits[s].report.scheme).find((s) => s !== null) ?? "-"
    : undefined;
  return [{
    corpus: chosen.name,
    title: chosen.title,
    source: isTokenCorpus(corpus) ? `word-tokenised, ${scheme} tags` : corpus.source,
    location: corpus.location,
    ...(entry && { reference: entry.reference }),
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
 * import { displayTable } from "../notebook/display.ts";
 * for (const rows of splitSizeTables(await loadChosenCorpus())) await displayTable(rows);
 * ```
 */
export function splitSizeTables(chosen: ChosenCorpus): Record<string, string | number>[][] {
  const { corpus } = chosen;
  const rows = corpusSummaryRows(chosen).map(({ split, documents, ...rest }) => {
    if (!isTokenCorpus(corpus)) return { split, documents, ...rest };
    const { sentences, tokens } = corpus.splits[split as Split].report;
    return { split, documents, sentences, tokens, ...rest };
  });
  const types = mentionTypes(SPLITS.flatMap((split) => chosen.splits[split])).length;
  return types > FEW_TYPES ? [rows, mentionsPerTypeRows(chosen)] : [rows];
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
 * import { displayHtml } from "../notebook/display.ts";
 * for (const html of exampleDocumentsHtml(await loadChosenCorpus())) await displayHtml(html);
 * ```
 */
export function exampleDocumentsHtml(chosen: ChosenCorpus): string[] {
  const train = chosen.splits.train;
  if (!isTokenCorpus(chosen.corpus)) {
    const withComposite = train.find((doc) => doc.mentions.some((m) => m.ids.length > 1));
    return [...train.slice(0, 2), ...(withComposite ? [withComposite] : [])].map((doc) =>
      highlightMentionsHtml(doc, { palette: chosen.palette })
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
      palette: chosen.palette,
    })
  );
}
