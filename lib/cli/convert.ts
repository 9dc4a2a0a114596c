/**
 * `deno task convert [--dir DIR] [--source pubtator|parquet|hub] [--out outputs/bio] [--reference DIR]`
 *
 * Loads BC5CDR (see lib/corpus/load.ts for where it looks), converts the three splits to IOB2 sentences,
 * checks that no mention was lost, compares with the independent IOB conversion (`$BC5CDR_DIR/iob` or
 * `--reference`, when present), and writes `{train,dev,test}.jsonl` plus `report.json` (counts, lost
 * mentions, every disagreement with the reference) as the output folder in one atomic step: the folder is
 * replaced as a whole, and nothing changes when anything fails. Progress goes to stderr; the last stdout
 * line is the JSON summary:
 * `{"train": {"documents", "sentences", "mentions", "entities", "lost", "iobAgreement"}, "dev": …, "test": …}`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type CorpusSource, loadCorpus } from "../corpus/load.ts";
import { convertCorpus, findIobReference } from "../bio/convert_corpus.ts";
import { projectPath } from "../util/paths.ts";
import { runCommand } from "../util/exit_error.ts";
import { checkOutputDir } from "../util/destination.ts";

const USAGE =
  "usage: deno task convert [--dir DIR] [--source pubtator|parquet|hub] [--out outputs/bio] [--reference IOB_DIR]";

/** Runs the command with `args`; returns the exit code (lib/util/exit_error.ts: 1 bad input, 2 bad arguments). */
export function main(args: string[]): Promise<number> {
  return runCommand("convert", async () => {
    const { values } = parseArgs({
      args,
      options: {
        dir: { type: "string" },
        source: { type: "string" },
        out: { type: "string", default: projectPath("outputs", "bio") },
        reference: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      console.error(USAGE);
      return 0;
    }
    const log = (message: string) => console.error(`[convert] ${message}`);
    await checkOutputDir(values.out);
    // Bad input (CorpusFormatError: file:line, an empty split), a missing corpus or a failed download: one line.
    const corpus = await loadCorpus({ dir: values.dir, source: values.source as CorpusSource | undefined });
    log(`loaded ${corpus.source} corpus from ${corpus.location}`);
    const referenceDir = await findIobReference({ dir: values.dir, reference: values.reference })
      .catch((error) => Promise.reject(new Error(`--reference ${error.message}`)));
    log(
      referenceDir
        ? `comparing with the IOB reference in ${referenceDir}`
        : "no IOB reference found: iobAgreement is null",
    );
    const { summary } = await convertCorpus({ corpus, referenceDir, outDir: values.out, log });
    console.log(JSON.stringify(summary));
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
