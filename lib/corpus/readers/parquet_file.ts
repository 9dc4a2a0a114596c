// Over 300 lines: every check of a parquet file (footer, chunks, page headers) before hyparquet reads it.
/**
 * Parquet files read through hyparquet, with the file read once and every byte range checked before
 * hyparquet walks it.
 *
 * Why the checks: hyparquet trusts the footer and the page headers. A page header that lacks a field it
 * reads (a damaged `repetition_levels_byte_length`, say) makes its level decoder's offset NaN; a DataView
 * read at NaN reads byte 0 again and again, and a run of length 0 there never ends (about 1 in 250 random
 * byte mutations of a 3.8 KB file spun forever). A damaged size can also make it allocate gigabytes. So,
 * before hyparquet sees them: the footer must fit the file, every column chunk must lie inside the data
 * area, and every page header of a chunk must parse, have each count it needs as a non-negative integer, fit
 * its chunk, decompress to no more than its codec can produce, and the pages' values must add up to the
 * chunk's count. A file that fails is refused in one line naming the file and what is wrong.
 *
 * Why read once: hyparquet slices the column chunks it reads out of the file; given the whole file as one
 * ArrayBuffer, each slice is a copy, so the file was held twice. Here hyparquet gets an AsyncBuffer whose
 * slices are read from the open file (positioned reads), so only the ranges it asks for are in memory.
 *
 * @module
 */
import {
  type AsyncBuffer,
  type ColumnMetaData,
  type FileMetaData,
  type PageHeader,
  parquetMetadata,
  parquetReadObjects,
} from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { decompressPage } from "hyparquet/src/datapage.js";
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from "hyparquet/src/schema.js";
import { checkRegularFile } from "../../util/bounded_file.ts";

/** A parquet file refused: `path: damaged parquet file: what`. */
export class ParquetFileError extends Error {
  constructor(readonly path: string, what: string) {
    super(`${path}: damaged parquet file: ${what}`);
    this.name = "ParquetFileError";
  }
}

const MAGIC = 0x31524150; // "PAR1", little-endian
/** Snappy's best case: a 3-byte copy element writes 64 bytes (about 21:1); with room for the preamble. */
const MAX_SNAPPY_RATIO = 24;
/**
 * Values a page may declare beyond 64 per uncompressed byte (run-length encoding can pack many values into a
 * byte, so a page is not bounded by its bytes alone; this keeps one page's arrays to a few MB).
 */
const FREE_VALUES_PER_PAGE = 1 << 20;
const VALUES_PER_BYTE = 64;

/** A column chunk's byte range, what its pages must add up to, and what its pages' levels look like. */
interface ChunkRange {
  name: string;
  start: number;
  end: number;
  codec: ColumnMetaData["codec"];
  numValues: number;
  type: ColumnMetaData["type"];
  maxRepetition: number;
  maxDefinition: number;
}

/** Value encodings this reader decodes (what pyarrow and hyparquet-writer write); others are refused. */
const VALUE_ENCODINGS = new Set(["PLAIN", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "RLE"]);

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A bigint or number field of the footer as a count, or undefined when it is not one. */
function count(value: unknown): number | undefined {
  const number = typeof value === "bigint" ? Number(value) : value;
  return isCount(number) ? number : undefined;
}

/** Positioned reads of an open file (synchronous: hyparquet asks for several ranges at once). */
function rangeReader(file: Deno.FsFile, path: string, size: number) {
  return (start: number, end: number): ArrayBuffer => {
    if (!(isCount(start) && isCount(end) && start <= end && end <= size)) {
      throw new ParquetFileError(path, `byte range [${start}, ${end}) outside the file (${size} bytes)`);
    }
    const buffer = new ArrayBuffer(end - start);
    const bytes = new Uint8Array(buffer);
    file.seekSync(start, Deno.SeekMode.Start);
    for (let filled = 0; filled < bytes.length;) {
      const read = file.readSync(bytes.subarray(filled));
      if (read === null) {
        throw new ParquetFileError(path, `the file ended at byte ${start + filled} while reading`);
      }
      filled += read;
    }
    return buffer;
  };
}

/** The footer's metadata and the byte ranges of every column chunk, checked against the file size. */
function readFooter(read: (start: number, end: number) => ArrayBuffer, path: string, size: number) {
  const fail = (what: string): never => {
    throw new ParquetFileError(path, what);
  };
  if (size < 12) fail(`${size} bytes is shorter than a parquet header and footer`);
  const tail = new DataView(read(size - 8, size));
  if (tail.getUint32(4, true) !== MAGIC) fail(`no "PAR1" at its end (not a parquet file, or truncated)`);
  const footerLength = tail.getUint32(0, true);
  const dataEnd = size - 8 - footerLength;
  if (dataEnd < 4) fail(`footer length ${footerLength} is more than the file holds`);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(read(dataEnd, size));
  } catch (error) {
    return fail(`footer: ${(error as Error).message}`);
  }
  const rows = count(metadata.num_rows);
  if (rows === undefined) return fail(`footer: num_rows ${metadata.num_rows} is not a count`);
  let groupRows = 0;
  const chunks: ChunkRange[] = [];
  metadata.row_groups.forEach((group, g) => {
    const rowsHere = count(group.num_rows);
    if (rowsHere === undefined) fail(`row group ${g}: num_rows ${group.num_rows} is not a count`);
    groupRows += rowsHere!;
    for (const column of group.columns) {
      const meta = column.meta_data;
      if (!meta) return fail(`row group ${g}: a column without metadata`);
      const name = `row group ${g}, column ${meta.path_in_schema.join(".")}`;
      const start = count(meta.dictionary_page_offset || meta.data_page_offset);
      const length = count(meta.total_compressed_size);
      const numValues = count(meta.num_values);
      if (start === undefined || length === undefined || numValues === undefined) {
        return fail(`${name}: offset, size or value count is not a count`);
      }
      if (start < 4 || start + length > dataEnd) {
        fail(`${name}: bytes [${start}, ${start + length}) outside the data (bytes 4 to ${dataEnd})`);
      }
      let schemaPath: ReturnType<typeof getSchemaPath>;
      try {
        schemaPath = getSchemaPath(metadata.schema, meta.path_in_schema);
      } catch (error) {
        return fail(`footer: ${(error as Error).message}`);
      }
      chunks.push({
        name,
        start,
        end: start + length,
        codec: meta.codec,
        numValues,
        type: meta.type,
        maxRepetition: getMaxRepetitionLevel(schemaPath),
        maxDefinition: getMaxDefinitionLevel(schemaPath),
      });
    }
  });
  if (groupRows !== rows) fail(`footer: ${rows} rows, but its row groups hold ${groupRows}`);
  return { metadata, rows, chunks };
}

/** Checks one page header against its chunk; returns the data values it declares (0 for a dictionary). */
function checkPage(
  header: PageHeader,
  chunk: ChunkRange,
  left: number,
  fail: (what: string) => never,
): number {
  const { type, compressed_page_size: compressed, uncompressed_page_size: uncompressed } = header;
  if (!isCount(compressed) || !isCount(uncompressed)) fail(`a page header without its sizes`);
  if (compressed > left) fail(`a page of ${compressed} bytes, but ${left} are left in the chunk`);
  const ratio = chunk.codec === "UNCOMPRESSED" ? 1 : chunk.codec === "SNAPPY" ? MAX_SNAPPY_RATIO : Infinity;
  if (uncompressed > ratio * compressed + 64) {
    fail(`a ${chunk.codec} page of ${compressed} bytes claims ${uncompressed} uncompressed`);
  }
  let values: unknown;
  if (type === "DICTIONARY_PAGE") {
    values = header.dictionary_page_header?.num_values;
  } else if (type === "DATA_PAGE") {
    values = header.data_page_header?.num_values;
  } else if (type === "DATA_PAGE_V2") {
    const v2 = header.data_page_header_v2;
    const fields = v2 &&
      [
        v2.num_values,
        v2.num_nulls,
        v2.num_rows,
        v2.definition_levels_byte_length,
        v2.repetition_levels_byte_length,
      ];
    if (!fields?.every(isCount)) fail(`a v2 data page header without its counts and level lengths`);
    if (v2!.definition_levels_byte_length + v2!.repetition_levels_byte_length > compressed) {
      fail(`a v2 data page whose levels are longer than the page`);
    }
    values = v2!.num_values;
  } else {
    fail(`a page of type ${type ?? "(none)"}`);
  }
  if (!isCount(values)) fail(`a ${type} header without its value count`);
  if (values > FREE_VALUES_PER_PAGE + VALUES_PER_BYTE * uncompressed) {
    fail(`a page of ${uncompressed} bytes claims ${values} values`);
  }
  return type === "DICTIONARY_PAGE" ? 0 : values;
}

/**
 * Walks a run-length / bit-packed hybrid stream of `values` values of `width` bits in `view[at, end)` as
 * hyparquet's decoder will, refusing what would make it loop without end or write past its output: a run
 * longer than the values left (hyparquet fills every one of them: a 2^31 run from 2 bytes, or a bit-packed
 * run of width 0, never consumes input), or a stream that ends early.
 */
function checkHybrid(
  view: DataView,
  at: number,
  end: number,
  width: number,
  values: number,
  fail: (what: string) => never,
): void {
  let offset = at, seen = 0;
  const runBytes = (width + 7) >> 3;
  while (seen < values) {
    let header = 0, shift = 0, byte: number;
    do {
      if (offset >= end || shift > 28) return fail(`levels or indices end after ${seen} of ${values} values`);
      byte = view.getUint8(offset++);
      header += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    const bitPacked = header % 2 === 1;
    const run = bitPacked ? Math.floor(header / 2) * 8 : header / 2;
    // A bit-packed run is whole groups of 8: up to 7 values past the last are padding.
    if (run > values - seen + (bitPacked ? 7 : 0)) {
      fail(`a run of ${run} levels or indices where ${values - seen} are left`);
    }
    offset += bitPacked ? (run / 8) * width : runBytes;
    if (offset > end) fail(`a run of levels or indices goes past its data`);
    seen += run;
  }
}

/** A v1 page's level stream: a 4-byte length, then the hybrid stream; returns where it ends. */
function checkPrefixedHybrid(
  view: DataView,
  at: number,
  width: number,
  values: number,
  fail: (what: string) => never,
): number {
  if (at + 4 > view.byteLength) fail(`a page ends before its levels`);
  const end = at + 4 + view.getUint32(at, true);
  if (end > view.byteLength) fail(`levels of ${end - at - 4} bytes in a page of ${view.byteLength}`);
  checkHybrid(view, at + 4, end, width, values, fail);
  return end;
}

const bitWidth = (max: number) => (max === 0 ? 0 : 32 - Math.clz32(max));

/**
 * Checks the level and dictionary-index streams of a data page (`bytes`: its compressed bytes) as
 * hyparquet will read them; plain values are read within the bytes there are.
 */
function checkDataPage(
  header: PageHeader,
  bytes: Uint8Array,
  chunk: ChunkRange,
  fail: (what: string) => never,
) {
  const v2 = header.data_page_header_v2;
  const encoding = v2?.encoding ?? header.data_page_header!.encoding;
  if (!VALUE_ENCODINGS.has(encoding)) fail(`a page in encoding ${encoding}, which this reader does not read`);
  const numValues = v2?.num_values ?? header.data_page_header!.num_values;
  let page: Uint8Array, at = 0;
  const decompress = (compressed: Uint8Array, size: number) => {
    try {
      return decompressPage(compressed, size, chunk.codec, undefined);
    } catch (error) {
      return fail(`a page does not decompress: ${(error as Error).message}`);
    }
  };
  if (v2) {
    const raw = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const repetitionEnd = v2.repetition_levels_byte_length;
    const levelsEnd = repetitionEnd + v2.definition_levels_byte_length;
    if (chunk.maxRepetition) {
      checkHybrid(raw, 0, repetitionEnd, bitWidth(chunk.maxRepetition), numValues, fail);
    }
    if (chunk.maxDefinition) {
      checkHybrid(raw, repetitionEnd, levelsEnd, bitWidth(chunk.maxDefinition), numValues, fail);
    }
    const size = header.uncompressed_page_size - levelsEnd;
    page = v2.is_compressed === false || !size
      ? bytes.subarray(levelsEnd)
      : decompress(bytes.subarray(levelsEnd), size);
  } else {
    page = decompress(bytes, header.uncompressed_page_size);
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    if (chunk.maxRepetition) {
      at = checkPrefixedHybrid(view, at, bitWidth(chunk.maxRepetition), numValues, fail);
    }
    if (chunk.maxDefinition) {
      at = checkPrefixedHybrid(view, at, bitWidth(chunk.maxDefinition), numValues, fail);
    }
  }
  // The values: at most numValues of them (nulls, which only the levels tell, are not among them).
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const values = v2 ? v2.num_values - v2.num_nulls : numValues;
  if (encoding === "RLE" || (!v2 && chunk.type === "BOOLEAN" && encoding !== "PLAIN")) {
    checkPrefixedHybrid(view, at, 1, values, fail);
  } else if (encoding.endsWith("_DICTIONARY")) {
    if (at >= page.length) fail(`a dictionary-encoded page without its index width`);
    const width = view.getUint8(at);
    if (width > 32) fail(`dictionary indices of ${width} bits`);
    // Width 0: hyparquet fills zeros without reading (v1); v2 still walks the (empty) stream.
    if (width || v2) checkHybrid(view, at + 1, page.length, width, values, fail);
  }
}

/** Walks the page headers of `chunk`, whose bytes are `view`, as hyparquet will, checking each first. */
function checkChunkPages(view: DataView, chunk: ChunkRange, path: string): void {
  const fail = (what: string): never => {
    throw new ParquetFileError(path, `${chunk.name}: ${what}`);
  };
  const reader = { view, offset: 0 };
  let values = 0;
  while (reader.offset < view.byteLength - 1) {
    let header: PageHeader;
    try {
      header = parquetHeader(reader);
    } catch (error) {
      return fail(`page header at chunk byte ${reader.offset}: ${(error as Error).message}`);
    }
    values += checkPage(header, chunk, view.byteLength - reader.offset, fail);
    if (header.type !== "DICTIONARY_PAGE") {
      checkDataPage(
        header,
        new Uint8Array(view.buffer, view.byteOffset + reader.offset, header.compressed_page_size),
        chunk,
        fail,
      );
    }
    reader.offset += header.compressed_page_size;
  }
  if (values !== chunk.numValues) {
    fail(`its pages hold ${values} values, its metadata says ${chunk.numValues}`);
  }
}

/** What {@link readParquetFile} returns: the footer's metadata and the rows read. */
export interface ParquetRows {
  metadata: FileMetaData;
  rows: Record<string, unknown>[];
}

/**
 * The footer's metadata and the rows of a parquet file as objects, read with hyparquet after the checks of
 * this module; the file must be a regular file within the corpus file limit. `columns` (default all) may be
 * chosen from the metadata, and may throw to refuse a file whose columns do not fit. Throws a
 * {@link ParquetFileError} naming the file and what is wrong; never hangs.
 *
 * @example
 * ```ts
 * const { metadata, rows } = await readParquetFile("data/fixtures/corpus/parquet/train-00000-of-00001.parquet", {
 *   columns: (metadata) => metadata.schema.some((e) => e.name === "passages") ? ["passages"] : [],
 * });
 * ```
 */
export async function readParquetFile(
  path: string,
  options: { columns?: string[] | ((metadata: FileMetaData) => string[]) } = {},
): Promise<ParquetRows> {
  const { size } = await checkRegularFile(path, { kind: "corpus file" });
  using file = await Deno.open(path, { read: true });
  const read = rangeReader(file, path, size);
  const { metadata, rows, chunks } = readFooter(read, path, size);
  const columns = typeof options.columns === "function" ? options.columns(metadata) : options.columns;
  const checked = new Set<ChunkRange>();
  const buffer: AsyncBuffer = {
    byteLength: size,
    slice(start: number, end = size): ArrayBuffer {
      const bytes = read(start, end);
      for (const chunk of chunks) {
        if (checked.has(chunk) || chunk.start < start || chunk.end > end) continue;
        checkChunkPages(new DataView(bytes, chunk.start - start, chunk.end - chunk.start), chunk, path);
        checked.add(chunk);
      }
      return bytes;
    },
  };
  let objects: Record<string, unknown>[];
  try {
    objects = await parquetReadObjects({ file: buffer, metadata, columns });
  } catch (error) {
    if (error instanceof ParquetFileError) throw error;
    throw new ParquetFileError(path, (error as Error).message);
  }
  if (objects.length !== rows) {
    throw new ParquetFileError(path, `${objects.length} rows read, its footer says ${rows}`);
  }
  return { metadata, rows: objects };
}

/**
 * The rows of a parquet file as objects (only `columns`), read and checked by {@link readParquetFile}.
 *
 * @example
 * ```ts
 * const rows = await readParquetObjects("data/fixtures/corpus/parquet/train-00000-of-00001.parquet", {
 *   columns: ["passages"],
 * });
 * ```
 */
export async function readParquetObjects(
  path: string,
  options: { columns?: string[] } = {},
): Promise<Record<string, unknown>[]> {
  return (await readParquetFile(path, options)).rows;
}
