/**
 * Reader for the Hugging Face dataset `masaenger/bc5cdr`, config `bc5cdr_source` (one parquet row per
 * abstract; see data/bc5cdr/HF_SCHEMA.md), mapped to the same {@link Document}s as the PubTator reader.
 *
 * The BioC release behind it stores, besides every PubTator mention, the *individual* mentions of composite
 * mentions as extra entities: discontiguous ones ("Ocular … toxicity", several offset pairs) and contiguous
 * ones inside the composite span ("auditory toxicity" inside "Ocular and auditory toxicity"). For the flat
 * mention list of PubTator, {@link flattenEntities} applies this policy:
 *
 * 1. an entity with more than one offset pair (discontiguous) is dropped — in BC5CDR these are always parts
 *    of a composite mention that is itself annotated;
 * 2. of contiguous entities that overlap (nested parts, duplicates), the longest span is kept (ties: the
 *    earlier one), the others are dropped;
 * 3. a kept entity's text must equal the document text at its offsets (dropped ones are only counted: the
 *    split parts of discontiguous entities are known to disagree, bigbio issue #738).
 *
 * What was dropped is counted in {@link HfReadStats}; on BC5CDR the kept mentions equal PubTator's.
 * Individual mention texts of composites are not rebuilt (`individualMentions` stays absent).
 *
 * @module
 */
import type { Document, Mention, Relation } from "../types.ts";
import { CorpusFormatError } from "../errors.ts";
import { readParquetObjects } from "./parquet_file.ts";
import { excerpt } from "../../util/lines.ts";

/** One entity of a `bc5cdr_source` passage. Offsets are document-level. */
export interface HfEntity {
  id: string;
  offsets: number[][];
  text: string[];
  type: string;
  normalized: { db_name: string; db_id: string }[];
}

/** One relation of a `bc5cdr_source` passage (args are MeSH ids). */
export interface HfRelation {
  id: string;
  type: string;
  arg1_id: string;
  arg2_id: string;
}

/** One passage (title or abstract) of a `bc5cdr_source` row. */
export interface HfPassage {
  document_id: string;
  type: string;
  text: string;
  entities: HfEntity[];
  relations: HfRelation[];
}

/** One `bc5cdr_source` row: one abstract. */
export interface HfRow {
  passages: HfPassage[];
}

/** What {@link flattenEntities} and {@link documentsFromHfRows} dropped or tolerated. */
export interface HfReadStats {
  /** Entities in the rows. */
  entities: number;
  /** Kept as mentions. */
  kept: number;
  /** Dropped: more than one offset pair. */
  discontiguous: number;
  /** Dropped: overlapping a longer kept entity (nested parts of composites, duplicates). */
  overlapping: number;
  /** Dropped entities whose `text` differs from the document text at their offsets (tolerated, counted). */
  droppedTextMismatches: number;
}

/**
 * Zero counts, to pass to the readers as `stats` and read after.
 *
 * @example
 * ```ts
 * declare const path: any; // the example's inputs
 * const stats = emptyHfReadStats();
 * await readHfParquet(path, { stats });
 * console.log(stats.discontiguous, stats.overlapping);
 * ```
 */
export function emptyHfReadStats(): HfReadStats {
  return { entities: 0, kept: 0, discontiguous: 0, overlapping: 0, droppedTextMismatches: 0 };
}

const UNNORMALISED_ID = "-1";

/**
 * Applies the flattening policy of this module to one document's entities and returns its mentions, sorted
 * by offset. Counts go into `stats`. `fail` reports a problem with a kept entity (it must throw).
 *
 * @example
 * ```ts
 * const text = "Ocular and auditory toxicity";
 * const stats = emptyHfReadStats();
 * const mentions = flattenEntities(text, [
 *   { id: "0", offsets: [[0, 28]], text: [text], type: "Disease", normalized: [] },
 *   { id: "1", offsets: [[0, 6], [20, 28]], text: ["Ocular", "toxicity"], type: "Disease", normalized: [] },
 *   { id: "2", offsets: [[11, 28]], text: ["auditory toxicity"], type: "Disease", normalized: [] },
 * ], stats, (problem) => { throw new Error(problem); });
 * // mentions: the composite span only; stats.discontiguous === 1, stats.overlapping === 1
 * ```
 */
export function flattenEntities(
  text: string,
  entities: HfEntity[],
  stats: HfReadStats,
  fail: (problem: string) => never,
): Mention[] {
  stats.entities += entities.length;
  const describe = (e: HfEntity) =>
    `entity ${e.id.slice(0, 40)} (${e.type.slice(0, 40)} ${excerpt(e.text.join(" "))})`;
  for (const e of entities) {
    if (e.offsets.length === 0) fail(`${describe(e)} has no offsets`);
    for (const [start, end] of e.offsets) {
      if (
        !(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start < end && end <= text.length)
      ) {
        fail(`${describe(e)}: offsets [${start}, ${end}) outside the document text (length ${text.length})`);
      }
    }
  }
  const textMatches = (e: HfEntity) =>
    e.offsets.length === e.text.length && e.offsets.every(([s, end], i) => text.slice(s, end) === e.text[i]);

  const contiguous = entities.filter((e) => {
    if (e.offsets.length === 1) return true;
    stats.discontiguous++;
    if (!textMatches(e)) stats.droppedTextMismatches++;
    return false;
  });
  // Longest first (stable sort keeps document order among equal lengths), then keep what does not overlap.
  const byLength = [...contiguous].sort((a, b) =>
    (b.offsets[0][1] - b.offsets[0][0]) - (a.offsets[0][1] - a.offsets[0][0])
  );
  const kept: HfEntity[] = [];
  for (const e of byLength) {
    const [start, end] = e.offsets[0];
    if (kept.some((k) => start < k.offsets[0][1] && k.offsets[0][0] < end)) {
      stats.overlapping++;
      if (!textMatches(e)) stats.droppedTextMismatches++;
      continue;
    }
    if (!textMatches(e)) {
      fail(
        `${describe(e)}: text differs from the document text at [${start}, ${end}): ` +
          excerpt(text.slice(start, end)),
      );
    }
    kept.push(e);
  }
  stats.kept += kept.length;
  return kept
    .map((e): Mention => ({
      start: e.offsets[0][0],
      end: e.offsets[0][1],
      text: e.text[0],
      type: e.type,
      ids: e.normalized.map((n) => n.db_id).filter((id) => id !== "" && id !== UNNORMALISED_ID),
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Maps `bc5cdr_source` rows to documents (text = title + " " + abstract, as in PubTator). Problems name
 * `source:row` (1-based).
 *
 * @example
 * ```ts
 * declare const rows: any; // the example's inputs
 * const stats = emptyHfReadStats();
 * const docs = documentsFromHfRows(rows, { source: "train-00000-of-00001.parquet", stats });
 * ```
 */
export function documentsFromHfRows(
  rows: HfRow[],
  options: { source?: string; stats?: HfReadStats } = {},
): Document[] {
  const { source = "<parquet>", stats = emptyHfReadStats() } = options;
  return rows.map((row, i) => {
    const fail = (problem: string): never => {
      throw new CorpusFormatError(source, i + 1, problem);
    };
    const passages = checkRow(row, fail);
    const title = passages.find((p) => p.type === "title");
    const abstract = passages.find((p) => p.type === "abstract");
    if (!title || !abstract) {
      fail(`expected a "title" and an "abstract" passage, got ${passages.map((p) => p.type)}`);
    }
    const id = title!.document_id;
    if (passages.some((p) => p.document_id !== id)) fail(`passages of one row name different document ids`);
    const text = `${title!.text} ${abstract!.text}`;
    const docFail = (problem: string): never => fail(`document ${id}: ${problem}`);
    const mentions = flattenEntities(text, passages.flatMap((p) => p.entities ?? []), stats, docFail);
    // Relations are document-level but repeated in both passages: keep each once.
    const relations = new Map<string, Relation>();
    for (const r of passages.flatMap((p) => p.relations ?? [])) {
      relations.set(`${r.type}\t${r.arg1_id}\t${r.arg2_id}`, {
        type: r.type,
        arg1: r.arg1_id,
        arg2: r.arg2_id,
      });
    }
    return {
      id,
      title: title!.text,
      abstract: abstract!.text,
      text,
      mentions,
      relations: [...relations.values()],
    };
  });
}

/**
 * The passages of a row, once every field the reader uses has its type: a damaged file (or one of another
 * dataset) is refused at its row instead of failing later with a TypeError, and a null text is an error,
 * never the string "null".
 */
function checkRow(row: unknown, fail: (problem: string) => never): HfPassage[] {
  const passages = (row as HfRow | null)?.passages;
  if (!Array.isArray(passages)) return fail(`row has no "passages" list`);
  const isString = (value: unknown) => typeof value === "string";
  const isList = (value: unknown, item: (value: unknown) => boolean) =>
    Array.isArray(value) && value.every(item);
  const isOffsetPair = (value: unknown) =>
    isList(value, Number.isInteger) && (value as number[]).length === 2;
  passages.forEach((passage: unknown, i) => {
    const where = `passage ${i + 1}`;
    if (typeof passage !== "object" || passage === null) {
      fail(`${where} is ${passage === null ? "null" : typeof passage}, not a passage`);
    }
    const { document_id, type, text, entities, relations } = passage as Record<string, unknown>;
    for (const [field, value] of Object.entries({ document_id, type, text })) {
      if (!isString(value)) {
        fail(
          `${where} (${String(type)}): "${field}" is ${value === null ? "null" : typeof value}, not a string`,
        );
      }
    }
    (Array.isArray(entities) ? entities : entities == null ? [] : fail(`${where}: "entities" is not a list`))
      .forEach((entity: unknown, k) => {
        const e = (entity ?? {}) as Record<string, unknown>;
        const normalized = e.normalized;
        if (
          !isString(e.id) || !isString(e.type) || !isList(e.offsets, isOffsetPair) ||
          !isList(e.text, isString) ||
          !isList(normalized, (n) => isString((n as Record<string, unknown> | null)?.db_id))
        ) {
          fail(
            `${where}: entity ${k + 1} lacks a string id/type, [start, end] offsets, texts or normalized ids`,
          );
        }
      });
    (Array.isArray(relations)
      ? relations
      : relations == null
      ? []
      : fail(`${where}: "relations" is not a list`))
      .forEach((relation: unknown, k) => {
        const r = (relation ?? {}) as Record<string, unknown>;
        if (![r.type, r.arg1_id, r.arg2_id].every(isString)) {
          fail(`${where}: relation ${k + 1} lacks a string type/arg1_id/arg2_id`);
        }
      });
  });
  return passages as HfPassage[];
}

/**
 * Reads one `bc5cdr_source` parquet file into documents (see the module doc for the entity policy). The
 * file is read once and checked before it is decoded (lib/corpus/readers/parquet_file.ts): a damaged one is refused
 * in one line, as is one without rows.
 *
 * @example
 * ```ts
 * const stats = emptyHfReadStats();
 * const dev = await readHfParquet("data/cache/bc5cdr/validation-00000-of-00001.parquet", { stats });
 * ```
 */
export async function readHfParquet(
  path: string,
  options: { stats?: HfReadStats } = {},
): Promise<Document[]> {
  const rows = await readParquetObjects(path, { columns: ["passages"] }) as unknown as HfRow[];
  // A split is never empty: no rows means a damaged file, not an empty corpus.
  if (rows.length === 0) throw new CorpusFormatError(path, 0, "no rows (a damaged or empty parquet file)");
  return documentsFromHfRows(rows, { source: path, stats: options.stats });
}
