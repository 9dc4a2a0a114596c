// Over 300 lines: the registry of every variable is one table, read top to bottom; its getters are a few lines.
/**
 * Every environment variable the project reads or sets, in one place: what it means, what happens without
 * it, who reads it and when. Code reads a variable through {@link envValue} (parsed and typed, read at the
 * moment of the call — a test or a parent process may set it late) and writes one, for the libraries and
 * child processes that read it, through {@link setEnv}. No other file of lib/ touches `Deno.env`
 * (tests/util/config_test.ts checks that, and that docs/environment.md's table is {@link environmentTable}).
 *
 * When a variable is read matters: most are read per call; the few read once are marked so in `readBy`.
 *
 * @module
 */

/** How a variable's raw text becomes its value; `name` is for error messages. */
type Parse<T> = (raw: string | undefined, name: string) => T;

/** One environment variable: its documentation and its parser. */
export interface EnvVariable<T = unknown> {
  /** What it means, for the table of docs/environment.md. */
  meaning: string;
  /** What happens without it. */
  without: string;
  /** Who reads it (or sets it), and when. */
  readBy: string;
  parse: Parse<T>;
}

/** The raw text; an empty value counts as set. */
const raw: Parse<string | undefined> = (value) => value;

/** The text, or undefined when unset or empty. */
const nonEmpty: Parse<string | undefined> = (value) => value || undefined;

/** The text, or `fallback` when unset or empty. */
const orDefault = (fallback: string): Parse<string> => (value) => value || fallback;

/** A positive integer; anything else (unset, empty, `0`, `x`) counts as unset. */
const positiveInteger: Parse<number | undefined> = (value) => {
  const number = Number(value);
  return Number.isInteger(number) && number > 0 ? number : undefined;
};

/** A positive number, `fallback` when unset or empty; anything else is an error naming the variable. */
const positiveNumber = (fallback: number): Parse<number> => (value, name) => {
  if (value === undefined || value.trim() === "") return fallback;
  const number = Number(value);
  if (!(number > 0) || !Number.isFinite(number)) {
    throw new Error(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return number;
};

/** A hub base URL without trailing slashes. */
const hubEndpoint: Parse<string> = (value) => (value || "https://huggingface.co").replace(/\/+$/, "");

const variable = <T>(spec: EnvVariable<T>): EnvVariable<T> => spec;

/** The variables, grouped: data and models, training and notebooks, backends, batch jobs, tools, tests. */
export const ENVIRONMENT = {
  BC5CDR_DIR: variable({
    meaning: "a folder holding `pubtator/` (the original BC5CDR files) or the HF parquet files",
    without: "the download cache `data/cache/bc5cdr/`, else the HF hub (`masaenger/bc5cdr`) into it",
    readBy: "`loadCorpus` (lib/corpus/load.ts), `deno task convert`, the benchmarks, notebook 02, tests",
    parse: nonEmpty,
  }),
  BC5CDR_SOURCE: variable({
    meaning: "restricts `loadCorpus` to one kind of source: `pubtator`, `parquet` or `hub`",
    without: "the first source found",
    readBy: "`loadCorpus` (lib/corpus/load.ts)",
    parse: nonEmpty,
  }),
  NER_CORPUS: variable({
    meaning: "the corpus: a registry name (`bc5cdr`, `bc2gm`, `bionlp13cg`…) or a folder/file of split files",
    without: "`bc5cdr`",
    readBy: "`deno task convert` without `--corpus`; notebooks 01–05 (`chooseProfile`, `chooseModel`, " +
      "`chooseEvaluation`, the demo's examples for a model without a run) and `deno task serve`; set by " +
      "`deno task reproduce --corpus` (lib/corpus/registry.ts lists the names)",
    parse: nonEmpty,
  }),
  MTL2016_DIR: variable({
    meaning: "a folder holding the MTL-2016 corpora (`BC2GM-IOB/`, `linnaeus-IOB/`, `BioNLP13CG-IOB/`)",
    without: "those corpora come from the HF hub where the registry names a dataset, else an error",
    readBy: "`loadCorpus` (lib/corpus/load.ts): `deno task convert --corpus NAME`",
    parse: nonEmpty,
  }),
  BIOBERT_VOCAB: variable({
    meaning:
      "a BERT `vocab.txt` (BioBERT = BERT-base-cased vocab); its folder may also hold BioBERT's weights",
    without: "the hub (`dmis-lab/biobert-base-cased-v1.1`)",
    readBy: "profiles' `$BIOBERT_VOCAB` vocab source (`resolveVocab`, lib/model/bert/folder.ts), " +
      "`defaultProfile`, benchmarks, tests",
    parse: nonEmpty,
  }),
  BIOBERT_DIR: variable({
    meaning: "a folder with BioBERT's `config.json` and weights",
    without: "the model cache and `BIOBERT_VOCAB`'s folder are searched",
    readBy: "`defaultProfile` (lib/train/profiles/choose.ts): `deno task train` without `--profile`, " +
      "`reproduce`, notebook 03",
    parse: nonEmpty,
  }),
  HF_ENDPOINT: variable({
    meaning: "base URL of the Hugging Face hub (a mirror, or a local server in tests)",
    without: "https://huggingface.co",
    readBy: "the hub client (lib/util/hub.ts), per download: corpus parquet files and models",
    parse: hubEndpoint,
  }),
  HF_TOKEN: variable({
    meaning: "hub access token, sent as `Authorization: Bearer …` (gated repositories)",
    without: "anonymous requests",
    readBy: "the hub client (lib/util/hub.ts), per download",
    parse: nonEmpty,
  }),
  NER_PROFILE: variable({
    meaning:
      "the profile `deno task train` (no `--profile`), `reproduce` and notebook 03 train (`bilstm-crf`, `biobert`…)",
    without: "`biobert` when its weights are on this machine, else `bilstm-crf`",
    readBy: "`defaultProfile` (lib/train/profiles/choose.ts): `deno task train` without `--profile`, " +
      "notebook 03; set by `deno task reproduce` for the notebooks",
    parse: nonEmpty,
  }),
  NER_RUN: variable({
    meaning: "the run (folder under `outputs/`) notebooks 03–05 train or use",
    without: "notebook 03 names the run after its profile; 04/05 take the best trained model and say so",
    readBy: "`chooseModel` (lib/train/run/choose_model.ts), notebook 03; set by `deno task reproduce`",
    parse: nonEmpty,
  }),
  NER_PREDICTIONS: variable({
    meaning:
      "a sentences JSONL file whose `tags` are predictions, which notebook 04 evaluates instead of a model's",
    without: "notebook 04 predicts with the chosen model",
    readBy: "notebook 04",
    parse: nonEmpty,
  }),
  NER_BACKEND: variable({
    meaning: "forces a tfjs backend: `gpu`, `webgpu`, `native`, `wasm` or `cpu`",
    without: "the first that works, in that order",
    readBy: "`initBackend` (lib/backend/mod.ts), once per process at the first call; `deno task doctor`",
    parse: nonEmpty,
  }),
  NER_RUNTIME: variable({
    meaning:
      "the inference runtime of commands: `tfjs`, `onnx` (the folder's `onnx/model.onnx`), `onnx-q8` (its int8 " +
      "`onnx/model_quantized.onnx`) or `auto`",
    without:
      "`auto`: onnx when the folder's export was made from its weights and labels (SHA-256), else tfjs",
    readBy: "`defaultRuntime` (lib/predict/runtime.ts): `deno task ner`, `serve` and their workers",
    parse: raw,
  }),
  TF_NUM_INTRAOP_THREADS: variable({
    meaning: "threads of one TensorFlow (and ONNX Runtime) op; ignored unless a positive integer",
    without: "one per core; batch jobs (`deno task ner`) set 1 for byte-identical outputs",
    readBy:
      "libtensorflow when its pool starts; `backendThreads`, `batchJobThreads` (lib/backend/threads.ts), " +
      "`loadOnnxClassifier`",
    parse: positiveInteger,
  }),
  TF_CPP_MIN_LOG_LEVEL: variable({
    meaning: "libtensorflow's log level (0 = all … 3 = errors only)",
    without: "set to 2 before the native binding loads (no INFO lines about CPU features)",
    readBy: "libtensorflow; set by lib/backend/native.ts",
    parse: raw,
  }),
  TF_CPU_ALLOCATOR_USE_BFC: variable({
    meaning: "`true`: libtensorflow keeps CPU tensors in its own pool (BFC allocator) instead of malloc",
    without:
      "set to `true` before the native binding loads (BERT-base training ~20 % faster; docs/benchmarks.md)",
    readBy: "libtensorflow when its first context starts; set by lib/backend/native.ts",
    parse: raw,
  }),
  LD_LIBRARY_PATH: variable({
    meaning: "folders the dynamic loader searches first (CUDA libraries for the `gpu` backend)",
    without: "the ldconfig cache only",
    readBy: "`checkCudaLibraries` (lib/backend/cuda_libs.ts), `deno task doctor`",
    parse: nonEmpty,
  }),
  XDG_RUNTIME_DIR: variable({
    meaning: "the session's private runtime folder (Vulkan's window-system layer wants one)",
    without: "a private temporary folder is set (removed at exit) before the first WebGPU adapter request",
    readBy: "Deno's WebGPU (wgpu); set by lib/backend/webgpu.ts",
    parse: nonEmpty,
  }),
  NER_NATIVE_BINDING_OWNER: variable({
    meaning: "internal: `<pid>:<isolate>` of the isolate that owns the process-wide tfjs-node binding",
    without: "the first isolate to load the binding claims it",
    readBy: "lib/backend/native.ts (read and set when the binding loads)",
    parse: raw,
  }),
  NER_SHARD_COUNT: variable({
    meaning: "the shard count of `--shard env` under a Kubernetes Indexed Job (the Job's `completions`)",
    without: "`--shard env/n` must give it",
    readBy: "`parseShard` (lib/predict/shard.ts), `deno task ner --shard env`",
    parse: raw,
  }),
  JOB_COMPLETION_INDEX: variable({
    meaning: "set by Kubernetes Indexed Jobs: this pod's shard index",
    without: "—",
    readBy: "`parseShard` (lib/predict/shard.ts), `deno task ner --shard env`",
    parse: raw,
  }),
  SLURM_ARRAY_TASK_ID: variable({
    meaning: "set by Slurm array jobs: this task's id",
    without: "—",
    readBy: "`parseShard` (lib/predict/shard.ts), `deno task ner --shard env`",
    parse: raw,
  }),
  SLURM_ARRAY_TASK_MIN: variable({
    meaning: "set by Slurm array jobs: the first task id",
    without: "0",
    readBy: "`parseShard` (lib/predict/shard.ts)",
    parse: raw,
  }),
  SLURM_ARRAY_TASK_STEP: variable({
    meaning: "set by Slurm array jobs: the step between task ids",
    without: "1",
    readBy: "`parseShard` (lib/predict/shard.ts)",
    parse: raw,
  }),
  SLURM_ARRAY_TASK_COUNT: variable({
    meaning: "set by Slurm array jobs: the number of tasks",
    without: "—",
    readBy: "`parseShard` (lib/predict/shard.ts)",
    parse: raw,
  }),
  JUPYTER: variable({
    meaning: "the `jupyter` executable (nbconvert, trust)",
    without: "/usr/bin/jupyter (Debian's; a pyenv python first on PATH may lack nbconvert)",
    readBy: "lib/notebook/run.ts, once at module load: `deno task notebooks`, `reproduce`",
    parse: orDefault("/usr/bin/jupyter"),
  }),
  JUPYTER_PATH: variable({
    meaning: "extra Jupyter data folders (kernelspecs)",
    without: "only the project's private kernelspec folder",
    readBy: "lib/notebook/run.ts, which puts its kernelspec folder in front for nbconvert",
    parse: nonEmpty,
  }),
  NOTEBOOK_DISPLAY_LOG: variable({
    meaning: "a file where an extracted notebook appends one JSON line per display (cell, MIME types)",
    without: "displays are only printed",
    readBy: "lib/notebook/jupyter_stub.ts, once at module load",
    parse: nonEmpty,
  }),
  CHROMIUM_PATH: variable({
    meaning: "the Chromium binary (PNG figures, browser tests)",
    without: "/usr/bin/chromium (Debian's)",
    readBy: "`chromiumPath` (lib/util/chromium.ts)",
    parse: orDefault("/usr/bin/chromium"),
  }),
  BENCH_MAX_SECONDS: variable({
    meaning: "time budget in seconds of one inference-throughput benchmark",
    without: "120",
    readBy: "`inferenceThroughput` (bench/predict.ts)",
    parse: positiveNumber(120),
  }),
  MALLOC_MMAP_THRESHOLD_: variable({
    meaning: "glibc's malloc mmap threshold in bytes; when set, training leaves malloc's settings to it",
    without:
      "training fixes the threshold at 4 MiB (less peak memory: BERT-base 8×128 3.50 vs 3.74 GB; lib/util/malloc.ts)",
    readBy: "`fixMmapThreshold` (lib/util/malloc.ts) at the first training step; glibc itself at start",
    parse: nonEmpty,
  }),
  BC5CDR_KILL_AT: variable({
    meaning: "tests only: `<point>:<n>` SIGKILLs the process the n-th time it passes that crash point",
    without: "crash points do nothing",
    readBy: "`killPoint` (lib/util/kill_point.ts), once at the first crash point",
    parse: nonEmpty,
  }),
  FUZZ_SEED: variable({
    meaning: "tests only: seed of the model-loading fuzz test",
    without: "11",
    readBy: "tests/model/fuzz_test.ts",
    parse: raw,
  }),
  FUZZ_CASES: variable({
    meaning: "tests only: number of cases of the model-loading fuzz test",
    without: "3000",
    readBy: "tests/model/fuzz_test.ts",
    parse: raw,
  }),
  CONLLEVAL: variable({
    meaning: "tests only: path of the `conlleval` Perl script to compare the scores with",
    without: "that comparison is skipped",
    readBy: "tests/metrics/conlleval_random_test.ts",
    parse: nonEmpty,
  }),
};

/** The name of a documented environment variable. */
export type EnvName = keyof typeof ENVIRONMENT;

/** The parsed value type of variable `N`. */
export type EnvValue<N extends EnvName> = ReturnType<(typeof ENVIRONMENT)[N]["parse"]>;

/**
 * Whether `name` is a documented variable (for names that come from data, e.g. a profile's `$VAR`).
 *
 * @example
 * ```ts
 * isEnvName("BIOBERT_VOCAB"); // true
 * ```
 */
export function isEnvName(name: string): name is EnvName {
  return Object.hasOwn(ENVIRONMENT, name);
}

/**
 * The raw text of variable `name`, now (undefined when unset).
 *
 * @example
 * ```ts
 * readEnv("NER_RUN"); // "cpu-small" or undefined
 * ```
 */
export function readEnv(name: EnvName): string | undefined {
  return Deno.env.get(name);
}

/**
 * The parsed value of variable `name`, read now: its default when unset, a clear error when malformed.
 *
 * @example
 * ```ts
 * envValue("HF_ENDPOINT"); // "https://huggingface.co" unless set
 * envValue("TF_NUM_INTRAOP_THREADS"); // 4, or undefined
 * ```
 */
export function envValue<N extends EnvName>(name: N): EnvValue<N> {
  return ENVIRONMENT[name].parse(readEnv(name), name) as EnvValue<N>;
}

/**
 * The raw values of `names` as a record, for functions that take an environment to read (and tests pass one).
 *
 * @example
 * ```ts
 * envRecord(["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"]); // { SLURM_ARRAY_TASK_ID: "3", … }
 * ```
 */
export function envRecord(names: readonly EnvName[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, readEnv(name)]));
}

/**
 * Sets variable `name` for this process, the native libraries it loads, and its child processes.
 *
 * @example
 * ```ts
 * setEnv("TF_NUM_INTRAOP_THREADS", "1");
 * ```
 */
export function setEnv(name: EnvName, value: string): void {
  Deno.env.set(name, value);
}

/**
 * The environment table of docs/environment.md (markdown), generated from {@link ENVIRONMENT}.
 *
 * @example
 * ```ts
 * environmentTable().split("\n")[0]; // "| variable | meaning | without it | read by |"
 * ```
 */
export function environmentTable(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  const rows = Object.entries(ENVIRONMENT).map(([name, spec]) =>
    `| \`${name}\` | ${cell(spec.meaning)} | ${cell(spec.without)} | ${cell(spec.readBy)} |`
  );
  return ["| variable | meaning | without it | read by |", "| --- | --- | --- | --- |", ...rows].join("\n");
}
