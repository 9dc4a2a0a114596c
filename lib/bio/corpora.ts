/**
 * The corpus registry: a corpus name or a path → its sentences, from wherever that corpus is found.
 *
 * - `bc5cdr`: documents through lib/corpus/load.ts (PubTator or HF parquet files, `BC5CDR_DIR`, the hub);
 * - `bc2gm`, `linnaeus`, `bionlp13cg`: the MTL-2016 CoNLL files under `$MTL2016_DIR/<folder>/`;
 * - `bc2gm`, `ncbi-disease`, `jnlpba`, `linnaeus`: Hugging Face `tokens` + `ner_tags` datasets, downloaded
 *   through the one hub client when no local copy is set (see each entry's `provenance`);
 * - a path: a folder with split files named `train.*`, `dev.*`/`devel.*`/`valid*.*`, `test.*` (CoNLL text,
 *   or `.parquet` in the HF layout), or one such file (read as the train split).
 *
 * Every token corpus is converted by lib/bio/token_corpus.ts; its splits must share one tag scheme.
 *
 * @module
 */
import { basename, extname, join } from "node:path";
import { type Corpus, loadCorpus, type LoadCorpusOptions } from "../corpus/load.ts";
import { type Split, SPLITS } from "../corpus/types.ts";
import { CorpusFormatError } from "../corpus/errors.ts";
import { envValue } from "../util/config.ts";
import { DownloadError } from "../util/download.ts";
import { readConll } from "./conll.ts";
import { readHfTokenParquet } from "./hf_tokens.ts";
import { downloadHubTokenDataset, type HubTokenDataset, type HubTokenDownloadOptions } from "./hf_hub.ts";
import { convertTokenSentences, type TokenConversion } from "./token_corpus.ts";

/** One corpus of the registry. */
export interface CorpusEntry {
  /** Its usual short name, for titles ("BC5CDR", "BC2GM"). */
  shortName: string;
  /** What it is, for people. */
  title: string;
  /** Its entity types, as its data names them (for the README; the label set is always read from the data). */
  types: string;
  /** The paper that describes it. */
  reference: string;
  /** The MTL-2016 folder under `$MTL2016_DIR` that holds it, when that collection has it. */
  mtl2016?: string;
  /** A Hugging Face `tokens` + `ner_tags` dataset of it. */
  hub?: HubTokenDataset;
}

/** A word-tokenised corpus, converted per split. */
export interface TokenCorpus {
  kind: "tokens";
  /** The registry name, or the path it was read from. */
  name: string;
  /** Where it was read from (folder, files or hub URLs). */
  location: string;
  splits: Record<Split, TokenConversion>;
}

/** A loaded corpus of either kind, with its name. */
export type NamedCorpus = { name: string; corpus: Corpus } | { name: string; corpus: TokenCorpus };

const MTL2016_FILES: Readonly<Record<Split, string>> = {
  train: "train.tsv",
  dev: "devel.tsv",
  test: "test.tsv",
};

/** The corpora known by name. */
export const CORPORA: Readonly<Record<string, CorpusEntry>> = {
  bc5cdr: {
    shortName: "BC5CDR",
    title: "BioCreative V CDR (chemicals and diseases, 1,500 PubMed abstracts)",
    types: "Chemical, Disease",
    reference: "Li et al. 2016, Database baw068",
  },
  "ncbi-disease": {
    shortName: "NCBI-disease",
    title: "NCBI disease corpus (793 PubMed abstracts)",
    types: "Disease",
    reference: "Doğan et al. 2014, J Biomed Inform 47",
    hub: {
      repo: "ncbi/ncbi_disease",
      revision: "refs/convert/parquet",
      files: {
        train: "ncbi_disease/train/0000.parquet",
        dev: "ncbi_disease/validation/0000.parquet",
        test: "ncbi_disease/test/0000.parquet",
      },
      provenance: "dataset id and ClassLabel names (O, B-Disease, I-Disease) verified on its dataset card; " +
        "it is a loading script, so the file paths are those of the hub's parquet conversion: unverified",
    },
  },
  bc2gm: {
    shortName: "BC2GM",
    title: "BioCreative II gene mention corpus",
    types: "GENE",
    reference: "Smith et al. 2008, Genome Biology 9(Suppl 2):S2",
    mtl2016: "BC2GM-IOB",
    hub: {
      repo: "spyysalo/bc2gm_corpus",
      revision: "main",
      files: {
        train: "bc2gm_corpus/train-00000-of-00001.parquet",
        dev: "bc2gm_corpus/validation-00000-of-00001.parquet",
        test: "bc2gm_corpus/test-00000-of-00001.parquet",
      },
      provenance:
        "dataset id, parquet format, folder bc2gm_corpus/{train,validation,test}-* and ClassLabel " +
        "names (O, B-GENE, I-GENE) verified on its dataset card; the single-shard file names are unverified",
    },
  },
  linnaeus: {
    shortName: "LINNAEUS",
    title: "LINNAEUS species corpus (100 full-text articles)",
    types: "Species",
    reference: "Gerner et al. 2010, BMC Bioinformatics 11:85",
    mtl2016: "linnaeus-IOB",
    hub: {
      repo: "cambridgeltl/linnaeus",
      revision: "refs/convert/parquet",
      files: {
        train: "linnaeus/train/0000.parquet",
        dev: "linnaeus/validation/0000.parquet",
        test: "linnaeus/test/0000.parquet",
      },
      provenance:
        "dataset id verified (its script reads the MTL-2016 linnaeus-IOB files); ClassLabel names " +
        "and the parquet conversion's file paths are unverified",
    },
  },
  jnlpba: {
    shortName: "JNLPBA",
    title: "JNLPBA (GENIA 3.02 abstracts; DNA, RNA, cell line, cell type, protein)",
    types: "DNA, RNA, cell_line, cell_type, protein",
    reference: "Kim et al. 2004, JNLPBA workshop",
    hub: {
      repo: "jnlpba/jnlpba",
      revision: "refs/convert/parquet",
      files: { train: "jnlpba/train/0000.parquet", dev: "jnlpba/validation/0000.parquet" },
      provenance: "dataset id, splits (train, validation; no test) and ClassLabel names verified in its " +
        "features (TFDS community catalog `huggingface:jnlpba/jnlpba`); the file paths are unverified",
    },
  },
  bionlp13cg: {
    shortName: "BioNLP13CG",
    title: "BioNLP 2013 Cancer Genetics shared task (16 entity types)",
    types: "16 types (Gene_or_gene_product, Cell, Cancer, Simple_chemical, Organism, …)",
    reference: "Pyysalo et al. 2013, BioNLP Shared Task workshop",
    mtl2016: "BioNLP13CG-IOB",
  },
};

/** Options of {@link loadNamedCorpus}. */
export interface LoadNamedCorpusOptions {
  /** For `bc5cdr`: lib/corpus/load.ts's options. */
  bc5cdr?: LoadCorpusOptions;
  /** The MTL-2016 folder. Default `$MTL2016_DIR`. */
  mtl2016Dir?: string;
  /** For hub datasets: the client's options and the cache folder. */
  hub?: HubTokenDownloadOptions;
  /** Progress messages (where the corpus comes from). Default: none. */
  log?: (message: string) => void;
}

/** File extensions of split files in a corpus folder. */
const SPLIT_FILE = /\.(tsv|txt|conll|conllu|iob|iob2|iobes|bio|bioes|parquet)$/;
const SPLIT_NAMES: Readonly<Record<Split, RegExp>> = {
  train: /^train\b/i,
  dev: /^(dev|devel|valid|validation)\b/i,
  test: /^test\b/i,
};

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  return await Deno.stat(path).catch(() => null);
}

/**
 * The split files of a corpus folder (see the module doc); throws when it has no train file or two files
 * for one split.
 *
 * @example
 * ```ts
 * await corpusFolderFiles("my-corpus"); // { train: "my-corpus/train.tsv", dev: "my-corpus/dev.tsv", test: … }
 * ```
 */
export async function corpusFolderFiles(dir: string): Promise<Partial<Record<Split, string>>> {
  const files: Partial<Record<Split, string>> = {};
  const names = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && SPLIT_FILE.test(entry.name)) names.push(entry.name);
  }
  for (const name of names.sort()) {
    const split = SPLITS.find((s) => SPLIT_NAMES[s].test(name));
    if (!split) continue;
    if (files[split]) {
      throw new Error(`${dir}: two ${split} files (${basename(files[split]!)}, ${name}): keep one`);
    }
    files[split] = join(dir, name);
  }
  if (!files.train) {
    throw new Error(
      `${dir}: no train file (train.tsv, train.conll, train.parquet, …; dev.*/devel.*/valid*.* and test.* beside it)`,
    );
  }
  return files;
}

/**
 * Reads and converts token split files (CoNLL text, or `.parquet` in the HF `tokens` + `ner_tags` layout).
 * Splits without a file are empty. Throws when two splits use different tag schemes, or a file has no
 * sentence.
 *
 * @example
 * ```ts
 * const corpus = await loadTokenFiles({ train: "c/train.tsv", test: "c/test.tsv" }, { name: "c" });
 * corpus.splits.train.report.lost; // 0
 * ```
 */
export async function loadTokenFiles(
  files: Partial<Record<Split, string>>,
  options: { name: string; location?: string },
): Promise<TokenCorpus> {
  const splits = {} as Record<Split, TokenConversion>;
  for (const split of SPLITS) {
    const path = files[split];
    if (!path) {
      splits[split] = convertTokenSentences([]);
      continue;
    }
    const docPrefix = split;
    if (extname(path) === ".parquet") {
      const { sentences, emptySentences } = await readHfTokenParquet(path, { docPrefix });
      splits[split] = convertTokenSentences(sentences, { emptySentences });
    } else {
      splits[split] = convertTokenSentences(await readConll(path, { docPrefix }));
    }
    // A split file without one token would train or test on nothing (as an empty BC5CDR file would).
    if (splits[split].sentences.length === 0) {
      const { emptySentences } = splits[split].report;
      throw new CorpusFormatError(
        path,
        1,
        `the ${split} split has no sentences: ${
          emptySentences > 0 ? `${emptySentences} row(s), none with tokens` : "no token lines"
        }`,
      );
    }
  }
  const schemes = SPLITS.filter((s) => splits[s].report.scheme !== null);
  const first = schemes[0];
  const other = schemes.find((s) => splits[s].report.scheme !== splits[first].report.scheme);
  if (other) {
    throw new Error(
      `mixed tag schemes: ${files[first]} is ${splits[first].report.scheme}, ${files[other]} is ` +
        `${splits[other].report.scheme}; convert them to one scheme`,
    );
  }
  const location = options.location ?? SPLITS.flatMap((s) => files[s] ?? []).join(", ");
  return { kind: "tokens", name: options.name, location, splits };
}

/**
 * Loads a corpus by registry name or path (see the module doc).
 *
 * @example
 * ```ts
 * const { name, corpus } = await loadNamedCorpus("bc2gm"); // $MTL2016_DIR/BC2GM-IOB, else the hub
 * const mine = await loadNamedCorpus("data/my-corpus");    // a folder of CoNLL files
 * ```
 */
export async function loadNamedCorpus(
  spec: string,
  options: LoadNamedCorpusOptions = {},
): Promise<NamedCorpus> {
  const info = await statOrNull(spec);
  if (info?.isDirectory) {
    return {
      name: spec,
      corpus: await loadTokenFiles(await corpusFolderFiles(spec), { name: spec, location: spec }),
    };
  }
  if (info?.isFile) return { name: spec, corpus: await loadTokenFiles({ train: spec }, { name: spec }) };
  const entry = Object.hasOwn(CORPORA, spec) ? CORPORA[spec] : undefined;
  if (!entry) {
    throw new Error(
      `unknown corpus ${JSON.stringify(spec)}: not a file or folder, and not one of ${
        Object.keys(CORPORA).join(", ")
      }`,
    );
  }
  if (spec === "bc5cdr") return { name: spec, corpus: await loadCorpus(options.bc5cdr) };
  const mtlDir = options.mtl2016Dir ?? envValue("MTL2016_DIR");
  if (entry.mtl2016 && mtlDir) {
    const dir = join(mtlDir, entry.mtl2016);
    const files = Object.fromEntries(SPLITS.map((s) => [s, join(dir, MTL2016_FILES[s])]));
    const missing: Split[] = [];
    for (const split of SPLITS) if (!(await statOrNull(files[split]))?.isFile) missing.push(split);
    if (missing.length > 0) throw new Error(`${dir}: no ${missing.map((s) => MTL2016_FILES[s]).join(", ")}`);
    return { name: spec, corpus: await loadTokenFiles(files, { name: spec, location: dir }) };
  }
  if (!entry.hub) {
    throw new Error(
      `corpus ${spec}: set MTL2016_DIR to the folder holding ${entry.mtl2016}/ (train.tsv, devel.tsv, test.tsv)`,
    );
  }
  options.log?.(`${spec}: from the hub dataset ${entry.hub.repo} (${entry.hub.provenance})`);
  const paths = await downloadHubTokenDataset(entry.hub, options.hub).catch((error) => {
    if (!(error instanceof DownloadError) || !entry.mtl2016) throw error;
    const hint = ` Or set MTL2016_DIR to a folder holding ${entry.mtl2016}/.`;
    throw new DownloadError(error.message + hint, error.url, error.dest, { cause: error });
  });
  return { name: spec, corpus: await loadTokenFiles(paths, { name: spec }) };
}
