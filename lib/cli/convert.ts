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
import { join } from "node:path";
import { type CorpusSource, loadCorpus } from "../corpus/load.ts";
import { SPLITS } from "../corpus/types.ts";
import { convertDocuments } from "../bio/convert.ts";
import {
  compareWithReference,
  IOB_FILES,
  readIobReference,
  type ReferenceComparison,
} from "../bio/reference.ts";
import { formatSentencesJsonl } from "../bio/jsonl.ts";
import { writeDirAtomic } from "../util/atomic.ts";
import { projectPath } from "../util/paths.ts";
import { envValue } from "../util/config.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    dir: { type: "string" },
    source: { type: "string" },
    out: { type: "string", default: projectPath("outputs", "bio") },
    reference: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.error(
    "usage: deno task convert [--dir DIR] [--source pubtator|parquet|hub] [--out outputs/bio] [--reference IOB_DIR]",
  );
  Deno.exit(0);
}
const log = (message: string) => console.error(`[convert] ${message}`);

async function referenceDir(): Promise<string | undefined> {
  const corpusDir = values.dir ?? envValue("BC5CDR_DIR");
  const dir = values.reference ?? (corpusDir && join(corpusDir, "iob"));
  if (!dir) return undefined;
  const present = await Deno.stat(join(dir, IOB_FILES.train)).then(() => true, () => false);
  if (!present && values.reference) throw new Error(`--reference ${dir}: no ${IOB_FILES.train} there`);
  return present ? dir : undefined;
}

try {
  const corpus = await loadCorpus({ dir: values.dir, source: values.source as CorpusSource | undefined });
  log(`loaded ${corpus.source} corpus from ${corpus.location}`);
  const iobDir = await referenceDir();
  log(
    iobDir ? `comparing with the IOB reference in ${iobDir}` : "no IOB reference found: iobAgreement is null",
  );

  const files: Record<string, string> = {};
  const summary: Record<string, unknown> = {};
  const details: Record<string, unknown> = {};
  for (const split of SPLITS) {
    const { sentences, report, lostMentions } = convertDocuments(corpus.splits[split]);
    const comparison: ReferenceComparison | undefined = iobDir
      ? compareWithReference(sentences, await readIobReference(iobDir, split))
      : undefined;
    for (const { docId, mention } of lostMentions) {
      log(
        `${split}: LOST ${docId} [${mention.start}, ${mention.end}) ${mention.type} ${
          JSON.stringify(mention.text)
        }`,
      );
    }
    files[`${split}.jsonl`] = formatSentencesJsonl(sentences);
    const { documents, mentions, entities, lost } = report;
    summary[split] = {
      documents,
      sentences: report.sentences,
      mentions,
      entities,
      lost,
      iobAgreement: comparison ? Number(comparison.agreement.toFixed(4)) : null,
    };
    details[split] = { ...report, reference: comparison ?? null };
    log(
      `${split}: ${documents} documents → ${report.sentences} sentences` +
        (comparison ? ` (reference ${comparison.referenceSentences})` : "") +
        `, ${lost} lost, ${comparison?.disagreements.length ?? "-"} documents disagreeing with the reference`,
    );
  }
  await writeDirAtomic(values.out, async (dir) => {
    for (const [name, content] of Object.entries(files)) await Deno.writeTextFile(join(dir, name), content);
    const report = {
      source: corpus.source,
      location: corpus.location,
      hfStats: corpus.hfStats,
      splits: details,
    };
    await Deno.writeTextFile(join(dir, "report.json"), JSON.stringify(report, null, 1) + "\n");
  });
  log(`wrote ${values.out}/{train,dev,test}.jsonl and report.json`);
  console.log(JSON.stringify(summary));
} catch (error) {
  // Bad input (CorpusFormatError: file:line), a missing corpus or a failed download: one clear line.
  if (!(error instanceof Error)) throw error;
  console.error(`[convert] error: ${error.message}`);
  Deno.exit(1);
}
