/// <reference lib="deno.worker" />
/**
 * Runs parquet fuzz cases off the test's thread (a hang can be stopped and named): mutations (lib's weight
 * fuzzer's, tests/model/fuzz_cases.ts) of a small valid `bc5cdr_source` file written with hyparquet-writer.
 * Receives `{seed, from, to}`; posts `{index, mutation, outcome, ms}` per case, then `{done: true}`.
 *
 * @module
 */
import { join } from "node:path";
import { readHfParquet } from "../../lib/corpus/readers/hf_parquet.ts";
import { CorpusFormatError } from "../../lib/corpus/errors.ts";
import { ParquetFileError } from "../../lib/corpus/readers/parquet_file.ts";
import {
  fixtureDocuments,
  hfRowsFromDocuments,
  writeHfParquet,
} from "../../data/fixtures/corpus/generate.ts";
import { fuzzCase } from "../model/fuzz_cases.ts";

/** What reading one case gave. */
type ParquetFuzzOutcome =
  | { kind: "loaded"; documents: number }
  | { kind: "refused"; reason: string }
  | { kind: "failed"; error: string };

const dir = Deno.makeTempDirSync({ prefix: "parquet-fuzz-" });
const path = join(dir, "case.parquet");
// Not awaited at the top: a message that arrives during a top-level await would find no handler.
const loading = (async () => {
  const valid = join(dir, "valid.parquet");
  await writeHfParquet(valid, hfRowsFromDocuments(fixtureDocuments("train")));
  return await Deno.readFile(valid);
})();

/** The shape of a refusal: its message without the file, the column, quoted texts and numbers. */
function reason(message: string): string {
  return message.slice(path.length + 1).replace(/^\d+: document \d+: /, "").replace(
    /row group \d+, column [^:]+: /,
    "",
  )
    .replace(/"(?:[^"\\]|\\.)*"(…)?( \(\d+ characters\))?/g, "…").replace(/\(.*\)/g, "(…)")
    .replace(/-?\d+/g, "#").slice(0, 64);
}

async function readCase(bytes: Uint8Array): Promise<ParquetFuzzOutcome> {
  await Deno.writeFile(path, bytes);
  try {
    const documents = await readHfParquet(path);
    if (documents.length === 0) return { kind: "failed", error: "0 documents, silently" };
    return { kind: "loaded", documents: documents.length };
  } catch (error) {
    const message = (error as Error).message;
    if (!(error instanceof ParquetFileError || error instanceof CorpusFormatError)) {
      return { kind: "failed", error: `${(error as Error).name}: ${message.slice(0, 200)}` };
    }
    if (!message.startsWith(`${path}:`) || message.includes("\n") || message.length > 400) {
      return { kind: "failed", error: `not one short line naming the file: ${message.slice(0, 200)}` };
    }
    return { kind: "refused", reason: `${error.name}: ${reason(message)}` };
  }
}

self.onmessage = async (event: MessageEvent<{ seed: number; from: number; to: number }>) => {
  const { seed, from, to } = event.data;
  const base = await loading;
  for (let index = from; index < to; index++) {
    const { mutation, bytes } = fuzzCase([base], seed, index);
    const started = performance.now();
    const outcome = await readCase(bytes);
    self.postMessage({ index, mutation, outcome, ms: performance.now() - started });
  }
  await Deno.remove(dir, { recursive: true });
  self.postMessage({ done: true });
};
