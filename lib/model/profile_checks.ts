/**
 * The checks a training profile's values go through (lib/train/profile.ts for every profile, each
 * architecture's for its own section): each adds one line to `problems` when its value is wrong, so that one
 * error lists them all.
 *
 * @module
 */

/** A list of problems and the checks that add to it. */
export interface ProfileChecks {
  problems: string[];
  /** `key` must be a positive integer. */
  positiveInt(key: string, value: unknown): void;
  /** `key` must be in [0, 1) (or absent, with `allowUndefined`). */
  probability(key: string, value: unknown, options?: { allowUndefined?: boolean }): void;
  /**
   * Every key of the object `value` (the profile's `section`, "" for the top level) must be in `known`: a
   * misspelt value (in the file or a `--set`) is refused rather than silently ignored.
   */
  knownKeys(section: string, value: unknown, known: readonly string[]): void;
}

/**
 * A fresh list of problems with its checks.
 *
 * @example
 * ```ts
 * const { problems, positiveInt, probability, knownKeys } = profileChecks();
 * positiveInt("epochs", 0);
 * probability("dropout", 0.5);
 * knownKeys("model", { dropuot: 0.5 }, ["dropout"]);
 * problems; // ["epochs must be a positive integer", "model.dropuot is not a profile value (known: dropout)"]
 * ```
 */
export function profileChecks(): ProfileChecks {
  const problems: string[] = [];
  return {
    problems,
    positiveInt(key, value) {
      if (!Number.isInteger(value) || (value as number) <= 0) {
        problems.push(`${key} must be a positive integer`);
      }
    },
    probability(key, value, { allowUndefined = false } = {}) {
      if (allowUndefined && value === undefined) return;
      if (typeof value !== "number" || !(value >= 0 && value < 1)) problems.push(`${key} must be in [0, 1)`);
    },
    knownKeys(section, value, known) {
      if (typeof value !== "object" || value === null) return;
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        const name = section ? `${section}.${key}` : key;
        problems.push(`${name} is not a profile value (known: ${known.join(", ")})`);
      }
    },
  };
}
