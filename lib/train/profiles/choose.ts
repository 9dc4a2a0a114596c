/**
 * The one default profile ({@link defaultProfile}), what `deno task train` without `--profile`, `deno task
 * reproduce` and notebook 03 train: `NER_PROFILE` when set; otherwise `biobert` when BioBERT's weights are on
 * this machine (then fine-tuning them is the point), else `bilstm-crf` (the best model that trains here without
 * pretrained weights; `cpu-small`, a BERT from scratch, is far below it). For the notebooks and `reproduce`
 * ({@link chooseProfile}) also on which corpus: `NER_CORPUS` when set (the profile's `data` is overridden), else
 * the profile's own; and into which run: `NER_RUN`, else the profile's name (`<profile>-<corpus>` for another
 * corpus than BC5CDR).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { findWeights, MODEL_CACHE_DIR } from "../../model/hub.ts";
import { loadProfile } from "../profile.ts";
import { hubCacheDir } from "../../util/hub.ts";
import { type EnvName, readEnv } from "../../util/config.ts";
import { chosenCorpus, runNameFor } from "../../corpus/names.ts";

/** The default profile, the overrides it needs here (where BioBERT's weights are), and why it was chosen. */
export interface DefaultProfile {
  name: string;
  overrides: Record<string, unknown>;
  reason: string;
}

/** The chosen profile, the overrides it needs here, why it was chosen, and the run it trains into. */
export interface ProfileChoice extends DefaultProfile {
  /** `NER_CORPUS` as a corpus spec (lib/corpus/names.ts), when set; else the profile's own data. */
  corpus?: string;
  /** The run's name: `NER_RUN`, else {@link runNameFor} of the profile and corpus. */
  run: string;
}

/** Options of {@link chooseProfile}. */
export interface ChooseProfileOptions {
  /** Environment to read (default: the process's). */
  env?: (name: EnvName) => string | undefined;
  /** Where downloaded models are cached (default lib/model's cache). */
  modelCacheDir?: string;
}

/**
 * Picks the profile to train: `NER_PROFILE`, else `biobert` if its weights are found (the hub cache, a folder
 * in `BIOBERT_DIR`, or the folder of `BIOBERT_VOCAB`), else `bilstm-crf`; the corpus (`NER_CORPUS`) and the
 * run (`NER_RUN`) as the module doc says.
 *
 * @example
 * ```ts
 * import { trainProfile } from "../trainer.ts";
 * const { name, overrides, reason, run } = await chooseProfile();
 * await trainProfile({ profile: name, overrides, run });
 * ```
 */
export async function chooseProfile(options: ChooseProfileOptions = {}): Promise<ProfileChoice> {
  const env = options.env ?? readEnv;
  const requestedCorpus = env("NER_CORPUS");
  const corpus = requestedCorpus ? chosenCorpus(requestedCorpus) : undefined;
  const choice = await defaultProfile(options);
  const own = (await loadProfile(choice.name)).data;
  return {
    ...choice,
    overrides: { ...choice.overrides, ...(corpus ? { data: corpus } : {}) },
    corpus,
    run: env("NER_RUN") ?? runNameFor(choice.name, corpus ?? own, own),
  };
}

/**
 * The default profile: `NER_PROFILE`, else `biobert` if its weights are found (the hub cache, a folder in
 * `BIOBERT_DIR`, or the folder of `BIOBERT_VOCAB`), else `bilstm-crf`; `reason` says why.
 *
 * @example
 * ```ts
 * const { name, reason } = await defaultProfile(); // "bilstm-crf", "no BioBERT weights on this machine (…)"
 * ```
 */
export async function defaultProfile(options: ChooseProfileOptions = {}): Promise<DefaultProfile> {
  const env = options.env ?? readEnv;
  const requested = env("NER_PROFILE");
  if (requested) {
    await loadProfile(requested); // a clear error now for an unknown or invalid profile
    const dir = requested === "biobert" ? (await findBioBertWeights(env, options)).dir : undefined;
    return {
      name: requested,
      overrides: dir ? { "model.source": dir } : {},
      reason: `NER_PROFILE=${requested}`,
    };
  }
  const weights = await findBioBertWeights(env, options);
  if (weights.dir) {
    return {
      name: "biobert",
      overrides: { "model.source": weights.dir },
      reason: `BioBERT weights found in ${weights.dir}`,
    };
  }
  return {
    name: "bilstm-crf",
    overrides: {},
    reason: `no BioBERT weights on this machine (looked in ${
      weights.looked.join(", ")
    }); NER_PROFILE not set`,
  };
}

/** A local folder with BioBERT's config.json and weights: the hub cache, `BIOBERT_DIR`, `BIOBERT_VOCAB`'s folder. */
async function findBioBertWeights(
  env: (name: EnvName) => string | undefined,
  options: ChooseProfileOptions,
): Promise<{ dir?: string; looked: string[] }> {
  const biobert = await loadProfile("biobert");
  if (biobert.model.init !== "pretrained") {
    throw new Error("the biobert profile must load pretrained weights");
  }
  const vocab = env("BIOBERT_VOCAB");
  const looked = [
    hubCacheDir(options.modelCacheDir ?? MODEL_CACHE_DIR, biobert.model.source),
    env("BIOBERT_DIR"),
    vocab ? dirname(vocab) : undefined,
  ].filter((dir): dir is string => Boolean(dir));
  for (const dir of looked) {
    const hasConfig = await Deno.stat(join(dir, "config.json")).then((s) => s.isFile, () => false);
    if (hasConfig && await findWeights(dir)) return { dir, looked };
  }
  return { looked };
}
