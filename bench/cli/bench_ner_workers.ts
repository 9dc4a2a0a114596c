/**
 * `deno task bench-ner-workers --model DIR [--workers 1,2] FILE`: `deno task ner --workers N` over FILE for
 * each N, as a user runs it (a subprocess, output to a file), and a scaling table: documents/s, tokens/s
 * (the WordPiece tokens of every window the model scores, [CLS]/[SEP] included, padding not) and the threads
 * each worker's backend uses, so the figures can be read on a bigger machine. Also checks that every N wrote
 * the same bytes. Prints one JSON line per N on stdout.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { readDocuments, readLines } from "../../lib/predict/inputs.ts";
import { documentSentences } from "../../lib/predict/document_sentences.ts";
import { effectiveMaxLength } from "../../lib/predict/score.ts";
import { readBertConfig } from "../../lib/model/bert/config.ts";
import { loadBertTokenizer } from "../../lib/tokenizer/mod.ts";
import { runCommand } from "../../lib/util/exit_error.ts";

/** The tokens the pipeline scores: every window of every sentence, as lib/predict/score.ts makes them. */
async function countTokens(model: string, input: string): Promise<{ documents: number; tokens: number }> {
  const tokenizer = await loadBertTokenizer(join(model, "vocab.txt"));
  const config = await readBertConfig(join(model, "config.json"));
  const maxLength = effectiveMaxLength({ config });
  const file = await Deno.open(input);
  let documents = 0, tokens = 0;
  for await (
    const doc of readDocuments(readLines(file.readable), {
      source: input,
      format: "auto",
      onProblem: () => {},
    })
  ) {
    documents++;
    for (const { words } of documentSentences(doc)) {
      if (words.length === 0) continue;
      for (const window of tokenizer.encodeWords(words, { maxLength })) tokens += window.inputIds.length;
    }
  }
  return { documents, tokens };
}

/** Runs the command with `args`; returns the exit code. */
export function main(args: string[]): Promise<number> {
  return runCommand("bench-ner-workers", () => run(args));
}

/** The command's body: its errors are printed by {@link runCommand} (one line, exit code 1). */
async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { model: { type: "string" }, workers: { type: "string", default: "1,2" } },
    allowPositionals: true,
  });
  if (!values.model || positionals.length !== 1) {
    console.error("usage: deno task bench-ner-workers --model DIR [--workers 1,2] FILE");
    return 2;
  }
  const [input] = positionals;
  const model = values.model;

  const { documents, tokens } = await countTokens(model, input);
  const cli = new URL("../../lib/cli/ner.ts", import.meta.url).pathname;
  const dir = await Deno.makeTempDir({ prefix: "bench-ner-workers-" });
  let reference: Uint8Array | undefined;
  try {
    for (const workers of values.workers.split(",").map(Number)) {
      const output = join(dir, `out-${workers}.jsonl`);
      const started = performance.now();
      const run = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", cli, "--model", model, "--workers", String(workers), "--output", output, input],
        stdout: "piped",
        stderr: "inherit",
      }).output();
      const seconds = (performance.now() - started) / 1000;
      if (!run.success) throw new Error(`ner --workers ${workers} failed (status ${run.code})`);
      const summary = JSON.parse(new TextDecoder().decode(run.stdout).trim().split("\n").at(-1)!);
      const bytes = await Deno.readFile(output);
      reference ??= bytes;
      const identical = bytes.length === reference.length && bytes.every((b, i) => b === reference![i]);
      console.log(JSON.stringify({
        workers,
        threadsPerWorker: summary.threadsPerWorker,
        backend: summary.backend,
        documents,
        tokens,
        seconds: Number(seconds.toFixed(1)),
        documentsPerSecond: Number((documents / seconds).toFixed(1)),
        tokensPerSecond: Math.round(tokens / seconds),
        identicalToFirst: identical,
        loadAverage: Deno.loadavg()[0],
      }));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
