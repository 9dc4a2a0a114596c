/**
 * `deno task convert [--corpus NAME|PATH] [--dir DIR] [--source pubtator|parquet|hub] [--out DIR]
 * [--reference DIR]`
 *
 * `--corpus` (default `$NER_CORPUS`, else BC5CDR) is a registry name or a folder/file of CoNLL or HF
 * parquet split files (lib/corpus/load.ts); `--dir`, `--source` and `--reference` are BC5CDR's. `--out`
 * defaults to `outputs/bio` for BC5CDR and `outputs/bio-<corpus>` for any other (lib/corpus/names.ts).
 * Loads the corpus (lib/corpus/load.ts says where each is looked for), converts the three
 * splits to IOB2 sentences, checks that no mention was lost, compares with the independent IOB conversion
 * (`$BC5CDR_DIR/iob` or `--reference`, when present), and writes `{train,dev,test}.jsonl` plus `report.json`
 * (counts, lost mentions, every disagreement with the reference) as the output folder in one atomic step:
 * the folder is replaced as a whole, and nothing changes when anything fails. Progress goes to stderr; the
 * last stdout line is the JSON summary:
 * `{"corpus", "labels", "train": {"documents", "sentences", "mentions", "entities", "lost", "iobAgreement"},
 * "dev": …, "test": …}`. A token corpus keeps its own tokens; its report.json adds per split the tag scheme,
 * the repaired tags (counted, the first ones with file:line) and the token check.
 *
 * @module
 */
import { parseArgs } from "node:util";
import type { DocumentSource } from "../corpus/mod.ts";
import { convertCorpus, findIobReference } from "../corpus/convert.ts";
import { loadCorpus } from "../corpus/load.ts";
import { projectPath } from "../util/paths.ts";
import { chosenCorpus, convertedCorpusDir } from "../corpus/names.ts";
import { runCommand } from "../util/exit_error.ts";
import { checkOutputDir } from "../util/destination.ts";

const USAGE = "usage: deno task convert [--corpus NAME|PATH] [--dir DIR] [--source pubtator|parquet|hub] " +
  "[--out DIR] [--reference IOB_DIR]";

/** Runs the command with `args`; returns the exit code (lib/util/exit_error.ts: 1 bad input, 2 bad arguments). */
export function main(args: string[]): Promise<number> {
  return runCommand("convert", async () => {
    const { values } = parseArgs({
      args,
      options: {
        corpus: { type: "string" },
        dir: { type: "string" },
        source: { type: "string" },
        out: { type: "string" },
        reference: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      console.error(USAGE);
      return 0;
    }
    const log = (message: string) => console.error(`[convert] ${message}`);
    const spec = chosenCorpus(values.corpus);
    const out = values.out ?? convertedCorpusDir(spec, projectPath("outputs"));
    await checkOutputDir(out);
    // Bad input (file:line, an empty split), a missing corpus or a failed download: one line.
    const documentFiles = { dir: values.dir, source: values.source as DocumentSource | undefined };
    const corpus = await loadCorpus(spec, { documentFiles, log });
    const { name } = corpus;
    log(`loaded corpus ${name} (${corpus.source}) from ${corpus.location}`);
    // The IOB reference is BC5CDR's (an independent conversion of its documents).
    const referenceDir = await findIobReference({
      dir: values.dir,
      reference: values.reference,
      corpus: name,
    })
      .catch((error) => Promise.reject(new Error(`--reference ${error.message}`)));
    log(
      referenceDir
        ? `comparing with the IOB reference in ${referenceDir}`
        : "no IOB reference found: iobAgreement is null",
    );
    const { labels, summary } = await convertCorpus({ corpus, name, referenceDir, outDir: out, log });
    console.log(JSON.stringify({ corpus: name, labels, ...summary }));
    return 0;
  });
}

if (import.meta.main) Deno.exit(await main(Deno.args));
