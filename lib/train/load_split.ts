/**
 * The data of a training run: its splits and label set are read through the corpus layer
 * (lib/corpus/splits.ts: every corpus, BC5CDR included, from its own files); here a profile gets its labels.
 *
 * @module
 */
import { labelsOfData, type LoadSplitOptions } from "../corpus/splits.ts";
import type { LabelledProfile, TrainProfile } from "./profile.ts";

export { labelsOfData, loadSplit, type LoadSplitOptions } from "../corpus/splits.ts";

/**
 * `profile` with its label set: the profile's own `labels` when it lists them (the data is checked against
 * them), else {@link labelsOfData} of its `data`.
 *
 * @example
 * ```ts
 * import { loadProfile } from "./profile.ts";
 * const profile = await withLabels(await loadProfile("bilstm-crf", { data: "bc2gm" }));
 * profile.labels; // ["O", "B-GENE", "I-GENE"]
 * ```
 */
export async function withLabels(
  profile: TrainProfile,
  options: LoadSplitOptions = {},
): Promise<LabelledProfile> {
  if (profile.labels) return profile as LabelledProfile;
  return { ...profile, labels: await labelsOfData(profile.data, options) };
}
