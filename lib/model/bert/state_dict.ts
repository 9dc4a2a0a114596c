/**
 * From a checkpoint's state dict to model parameters and back: HF's key fixes (old `gamma`/`beta` names, a
 * base-model checkpoint without the `bert.` prefix), shape checks, the one `[out, in]` ↔ `[in, out]`
 * transposition of Linear weights, and the missing/unexpected key report HF prints.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { BertForTokenClassification, bertParameterSpecs, type ParameterSpec } from "./network.ts";
import { fileName, ModelFileError } from "../errors.ts";
import type { BertConfig, HostTensor, StateDict } from "../types.ts";

/** Which checkpoint keys were used, as HF reports them when loading. */
export interface LoadReport {
  /** Model parameters the checkpoint lacks: initialised randomly (a new classifier head is expected). */
  missingKeys: string[];
  /** Checkpoint tensors the model has no use for (e.g. `cls.*` pre-training heads, the pooler). */
  unexpectedKeys: string[];
}

/** Buffers HF ignores silently when they are unexpected (`_keys_to_ignore_on_load_unexpected`). */
const IGNORED_UNEXPECTED = [/(^|\.)position_ids$/];

/**
 * A checkpoint key as HF reads it: `LayerNorm.gamma`/`beta` (TF-converted checkpoints) → `weight`/`bias`, and
 * the `bert.` prefix added when the checkpoint is a bare `BertModel`'s.
 *
 * @example
 * ```ts
 * normalizeKey("embeddings.LayerNorm.gamma", true); // "bert.embeddings.LayerNorm.weight"
 * ```
 */
export function normalizeKey(key: string, addBertPrefix: boolean): string {
  const renamed = key.replace(/\.gamma$/, ".weight").replace(/\.beta$/, ".bias");
  return addBertPrefix ? `bert.${renamed}` : renamed;
}

/**
 * Builds a {@link BertForTokenClassification} from a state dict in PyTorch layout. Parameters the checkpoint
 * lacks are initialised as HF does (seeded); a tensor of the wrong shape is an error naming it.
 *
 * @example
 * ```ts
 * import { readSafetensors } from "../formats/safetensors.ts";
 * declare const config: any; // the example's inputs
 * const { model, report } = modelFromStateDict(config, await readSafetensors("model.safetensors"));
 * ```
 */
export function modelFromStateDict(
  config: BertConfig,
  stateDict: StateDict,
  options: {
    seed?: number;
    source?: string;
    /**
     * Refuse a checkpoint that lacks any parameter (a token classifier loaded for inference), before the
     * model is built: missing parameters would be initialised at the config's sizes, not the file's.
     */
    requireComplete?: boolean;
  } = {},
): { model: BertForTokenClassification; report: LoadReport } {
  const source = options.source ?? "checkpoint";
  const specs = bertParameterSpecs(config);
  const wanted = new Map(specs.map((spec) => [spec.name, spec]));
  // HF's rule: a checkpoint with no key under the model's prefix is a base model's; prefix its keys.
  const keys = [...stateDict.keys()];
  const addBertPrefix = !keys.some((key) => key.startsWith("bert."));

  const values = new Map<string, tf.Tensor>();
  const unexpectedKeys: string[] = [];
  try {
    for (const key of keys) {
      const name = normalizeKey(key, addBertPrefix);
      const spec = wanted.get(name);
      if (!spec) {
        if (!IGNORED_UNEXPECTED.some((pattern) => pattern.test(name))) unexpectedKeys.push(key);
        continue;
      }
      if (values.has(name)) {
        throw new ModelFileError(source, `two tensors map to ${name} (one is ${fileName(key)})`);
      }
      values.set(name, toModelLayout(stateDict.get(key)!, spec, source, key));
    }
    const missingKeys = specs.map((spec) => spec.name).filter((name) => !values.has(name));
    if (options.requireComplete && missingKeys.length > 0) {
      throw new ModelFileError(
        source,
        `not a complete token classifier: it lacks ${missingKeys.slice(0, 6).join(", ")}` +
          `${missingKeys.length > 6 ? ` and ${missingKeys.length - 6} more` : ""}. ` +
          "To put a new head on a base model, pass the labels.",
      );
    }
    const model = BertForTokenClassification.create(config, { seed: options.seed, values });
    return { model, report: { missingKeys, unexpectedKeys } };
  } finally {
    for (const value of values.values()) value.dispose();
  }
}

/**
 * The model's parameters as a state dict in PyTorch layout (Linear weights `[out, in]`), ready to be written.
 *
 * @example
 * ```ts
 * import { writeSafetensors } from "../formats/safetensors.ts";
 * declare const model: any; // the example's inputs
 * await writeSafetensors("model.safetensors", await stateDictFromModel(model));
 * ```
 */
export async function stateDictFromModel(model: BertForTokenClassification): Promise<StateDict> {
  const stateDict: StateDict = new Map();
  for (const spec of bertParameterSpecs(model.config)) {
    const variable = model.parameters.get(spec.name);
    if (!variable) throw new Error(`model has no parameter ${spec.name}`);
    // Linear weights go back to PyTorch's [out, in]; the transposition runs on the backend.
    const hfLayout = spec.linear ? tf.transpose(variable) : variable;
    const data = new Float32Array(await hfLayout.data<"float32">());
    if (hfLayout !== variable) hfLayout.dispose();
    stateDict.set(spec.name, { shape: hfLayout.shape, data, storedAs: "F32" });
  }
  return stateDict;
}

/**
 * HF's loading messages for `report` (empty string when every key matched): which checkpoint weights were not
 * used, and which model weights were newly initialised.
 *
 * @example
 * ```ts
 * declare const report: any; // the example's inputs
 * console.error(formatLoadReport(report, "dmis-lab/biobert-base-cased-v1.1"));
 * ```
 */
export function formatLoadReport(report: LoadReport, source: string): string {
  const lines: string[] = [];
  if (report.unexpectedKeys.length > 0) {
    lines.push(
      `Some weights of the model checkpoint at ${source} were not used when initializing ` +
        `BertForTokenClassification: ${JSON.stringify(report.unexpectedKeys)}`,
      "- This IS expected if you are initializing BertForTokenClassification from the checkpoint of a model " +
        "trained on another task or with another architecture (e.g. a BertForPreTraining model).",
    );
  }
  if (report.missingKeys.length > 0) {
    lines.push(
      `Some weights of BertForTokenClassification were not initialized from the model checkpoint at ${source} ` +
        `and are newly initialized: ${JSON.stringify(report.missingKeys)}`,
      "You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.",
    );
  }
  return lines.join("\n");
}

function toModelLayout(tensor: HostTensor, spec: ParameterSpec, source: string, key: string): tf.Tensor {
  const expected = spec.linear ? [...spec.shape].reverse() : spec.shape;
  if (!tf.util.arraysEqual(tensor.shape, expected)) {
    throw new ModelFileError(
      source,
      `${fileName(key)} has shape [${tensor.shape}], the model expects [${expected}]`,
    );
  }
  // Linear weights: PyTorch's [out, in] → [in, out], transposed on the backend.
  return tf.tidy(() => {
    const value = tf.tensor(tensor.data, tensor.shape, "float32");
    return spec.linear ? tf.transpose(value) : value;
  });
}
