/**
 * How a corpus is named in commands and outputs: the corpus a command or notebook works on (`--corpus`, else
 * `NER_CORPUS`, else `bc5cdr`), the short name its outputs carry, where its conversion is written and what a
 * training run on it is called — so `convert`, `train`, `reproduce` and the notebooks agree.
 *
 * @module
 */
import { basename, extname, join, resolve } from "node:path";
import { envValue } from "../util/config.ts";
import { pathExistsSync } from "../util/exists.ts";
import { registryEntry } from "./registry.ts";

/** The corpus every stage used before any other was possible, and still the default. */
export const DEFAULT_CORPUS = "bc5cdr";

/**
 * The corpus to work on: `given` (a `--corpus` value), else `$NER_CORPUS`, else `bc5cdr`. A value naming an
 * existing file or folder becomes its absolute path, so it means the same in every process it is passed to
 * (notebooks run in notebooks/); any other value is a registry name (lib/corpus/registry.ts).
 *
 * @example
 * ```ts
 * chosenCorpus("bc2gm");          // "bc2gm"
 * chosenCorpus("data/my-corpus"); // "/…/data/my-corpus" when that folder exists
 * chosenCorpus();                 // $NER_CORPUS or "bc5cdr"
 * chosenCorpus("bc5cdr,bc2gm");    // "bc5cdr,bc2gm" (a list: each entry as above)
 * ```
 */
export function chosenCorpus(given?: string): string {
  const spec = given || envValue("NER_CORPUS") || DEFAULT_CORPUS;
  // A list (multi-corpus training, lib/train/corpus_list.ts): each entry on its own.
  const entries = corpusListEntries(spec);
  if (entries.length > 1) return entries.map((entry) => entry && chosenCorpus(entry)).join(",");
  return pathExistsSync(spec) ? resolve(spec) : spec;
}

/**
 * The corpora `spec` names: the entries of a list separated by commas (multi-corpus training), else `spec`
 * alone. A spec naming an existing file or folder (relative to `options.base`, default the working folder)
 * is one corpus, commas and all: a path may hold a comma.
 *
 * @example
 * ```ts
 * corpusListEntries("bc2gm,bionlp13cg"); // ["bc2gm", "bionlp13cg"]
 * corpusListEntries("bc2gm");            // ["bc2gm"]
 * corpusListEntries("/data/a,b/corp");   // ["/data/a,b/corp"] when that folder exists
 * ```
 */
export function corpusListEntries(spec: string, options: { base?: string } = {}): string[] {
  if (!spec.includes(",") || pathExistsSync(resolve(options.base ?? ".", spec))) return [spec];
  return spec.split(",");
}

/**
 * The short name of a corpus in file and run names: a registry name as it is, a path by its last part
 * (extension dropped), reduced to letters, digits, `.`, `_` and `-`.
 *
 * @example
 * ```ts
 * corpusSlug("bc2gm");                 // "bc2gm"
 * corpusSlug("/data/My Corpus/");      // "My-Corpus"
 * corpusSlug("annotations/train.tsv"); // "train"
 * ```
 */
export function corpusSlug(corpus: string): string {
  const last = basename(corpus.replace(/[\\/]+$/, ""));
  const stem = extname(last) ? last.slice(0, -extname(last).length) : last;
  return stem.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "") || "corpus";
}

/**
 * Where `deno task convert` and notebook 02 write a corpus's converted splits: `<outputs>/bio` for BC5CDR
 * (as always), `<outputs>/bio-<slug>` for any other.
 *
 * @example
 * ```ts
 * convertedCorpusDir("bc5cdr", "outputs"); // "outputs/bio"
 * convertedCorpusDir("bc2gm", "outputs");  // "outputs/bio-bc2gm"
 * ```
 */
export function convertedCorpusDir(corpus: string, outputsDir: string): string {
  return join(outputsDir, corpus === DEFAULT_CORPUS ? "bio" : `bio-${corpusSlug(corpus)}`);
}

/**
 * The run name of a profile trained on a corpus: the profile's name on its own data (`profileData`, BC5CDR for
 * the shipped profiles but the smoke ones), `<profile>-<slug>` on any other, so runs on different corpora never
 * share a folder.
 *
 * @example
 * ```ts
 * runNameFor("bilstm-crf", "bc5cdr"); // "bilstm-crf"
 * runNameFor("bilstm-crf", "bc2gm");  // "bilstm-crf-bc2gm"
 * runNameFor("bilstm-crf", "bc5cdr,bc2gm"); // "bilstm-crf-bc5cdr-bc2gm" (multi-corpus)
 * runNameFor("smoke", "bc5cdr", "data/fixtures/train"); // "smoke-bc5cdr"
 * ```
 */
export function runNameFor(profile: string, corpus: string, profileData: string = DEFAULT_CORPUS): string {
  const slug = corpusListEntries(corpus).filter((entry) => entry !== "").map(corpusSlug).join("-");
  return corpus === profileData ? profile : `${profile}-${slug}`;
}

/**
 * A corpus's name in titles: the registry's short name ("BC5CDR", "BC2GM"), else the path's {@link corpusSlug}.
 *
 * @example
 * ```ts
 * corpusDisplayName("bionlp13cg");     // "BioNLP13CG"
 * corpusDisplayName("/data/my-corpus"); // "my-corpus"
 * ```
 */
export function corpusDisplayName(corpus: string): string {
  return registryEntry(corpus)?.shortName ?? corpusSlug(corpus);
}
