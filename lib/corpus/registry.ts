/**
 * The corpus registry: every corpus known by name, what it is (for titles and the README) and where its files
 * are found — lib/corpus/load.ts reads them:
 *
 * - `bc5cdr`: documents through its own reader (lib/corpus/readers/bc5cdr.ts: PubTator or HF parquet files,
 *   `BC5CDR_DIR`, the hub);
 * - the MTL-2016 corpora (`bc2gm`, `linnaeus`, `bionlp13cg`, `bionlp13pc`, `bionlp13ge`, `bionlp09`,
 *   `bionlp11epi`, `ex-ptm`, `anatem`): the CoNLL files under `$MTL2016_DIR/<folder>/`;
 * - `bc2gm`, `ncbi-disease`, `jnlpba`, `linnaeus`: Hugging Face `tokens` + `ner_tags` datasets, downloaded
 *   through the one hub client when no local copy is set (see each entry's `provenance`).
 *
 * @module
 */
import { type DocumentFiles, type DocumentFilesOptions, readBc5cdr } from "./readers/bc5cdr.ts";
import type { HubTokenDataset } from "./readers/token_hub.ts";

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
  /** The reader of a corpus of documents (abstracts with mention offsets), when it is one. */
  documents?: (options?: DocumentFilesOptions) => Promise<DocumentFiles>;
  /**
   * The folder, inside the corpus's own folder (the `dir` option, else `$BC5CDR_DIR`), of an independent
   * IOB conversion of its documents that `deno task convert` compares with.
   */
  iobReference?: string;
  /** The MTL-2016 folder under `$MTL2016_DIR` that holds it, when that collection has it. */
  mtl2016?: string;
  /** A Hugging Face `tokens` + `ner_tags` dataset of it. */
  hub?: HubTokenDataset;
}

/** The corpora known by name. */
export const CORPORA: Readonly<Record<string, CorpusEntry>> = {
  bc5cdr: {
    shortName: "BC5CDR",
    title: "BioCreative V CDR (chemicals and diseases, 1,500 PubMed abstracts)",
    types: "Chemical, Disease",
    reference: "Li et al. 2016, Database baw068",
    documents: readBc5cdr,
    iobReference: "iob",
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
  bionlp13pc: {
    shortName: "BioNLP13PC",
    title: "BioNLP 2013 Pathway Curation shared task (annotations CC BY-SA 3.0: see its LICENSE file)",
    types: "Gene_or_gene_product, Simple_chemical, Complex, Cellular_component",
    reference: "Ohta et al. 2013, BioNLP Shared Task workshop",
    mtl2016: "BioNLP13PC-IOB",
  },
  bionlp13ge: {
    shortName: "BioNLP13GE",
    title: "BioNLP 2013 GENIA event extraction shared task",
    types: "Protein",
    reference: "Kim et al. 2013, BioNLP Shared Task workshop",
    mtl2016: "BioNLP13GE-IOB",
  },
  bionlp09: {
    shortName: "BioNLP09",
    title: "BioNLP 2009 shared task on event extraction",
    types: "Protein",
    reference: "Kim et al. 2009, BioNLP workshop",
    mtl2016: "BioNLP09-IOB",
  },
  bionlp11epi: {
    shortName: "BioNLP11EPI",
    title: "BioNLP 2011 Epigenetics and post-translational modifications task",
    types: "Protein",
    reference: "Ohta et al. 2011, BioNLP Shared Task workshop",
    mtl2016: "BioNLP11EPI-IOB",
  },
  "ex-ptm": {
    shortName: "Ex-PTM",
    title: "Ex-PTM (protein post-translational modification events)",
    types: "Protein",
    reference: "Pyysalo et al. 2011, BioNLP workshop",
    mtl2016: "Ex-PTM-IOB",
  },
  anatem: {
    shortName: "AnatEM",
    title: "AnatEM (anatomical entity mentions)",
    types: "Anatomy",
    reference: "Pyysalo and Ananiadou 2014, Bioinformatics 30(6)",
    mtl2016: "AnatEM-IOB",
  },
};

/**
 * The registry entry of `name`, or undefined when `name` is not a registry name (a path, say).
 *
 * @example
 * ```ts
 * registryEntry("bc2gm")?.shortName; // "BC2GM"
 * registryEntry("data/my-corpus");   // undefined
 * ```
 */
export function registryEntry(name: string): CorpusEntry | undefined {
  return Object.hasOwn(CORPORA, name) ? CORPORA[name] : undefined;
}
