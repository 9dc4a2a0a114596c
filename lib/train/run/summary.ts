/**
 * What a profile will train, for people: the model's size and the label set (its architecture describes it:
 * lib/model/registry.ts).
 *
 * @module
 */
import { architectureOf, type ArchitectureSummary } from "../../model/registry.ts";
import { withLabels } from "../load_split.ts";
import type { TrainProfile } from "../profile.ts";

/** What a profile trains, and the label set it trains for (given by the profile or read from its data). */
export type ModelSummary = ArchitectureSummary & { labels: string[] };

/**
 * The model a profile trains (for a pretrained BERT, its config.json is read: downloaded for a hub id).
 *
 * @example
 * ```ts
 * import { loadProfile } from "../profile.ts";
 * const summary = await summarizeModel(await loadProfile("cpu-small")); // { layers: 4, hidden: 256, … }
 * ```
 */
export async function summarizeModel(given: TrainProfile): Promise<ModelSummary> {
  const profile = await withLabels(given);
  const architecture = architectureOf(profile.model);
  if (!architecture) throw new Error(`profile ${profile.name}: unknown model.architecture`);
  return { labels: profile.labels, ...await architecture.summarize(profile) };
}
