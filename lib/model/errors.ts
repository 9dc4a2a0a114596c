/**
 * The error every weight-file reader throws for a file it refuses: damaged, truncated, hostile or simply not
 * a checkpoint. One line that names the file and the problem, so a CLI can print it as is.
 *
 * @module
 */

/** A weight file (safetensors, pytorch_model.bin, a pickle, a zip) refused: `file: problem`. */
export class ModelFileError extends Error {
  /** An error for `file` (a path, or a name such as "pickle"), saying what is wrong with it. */
  constructor(readonly file: string, readonly problem: string, options?: ErrorOptions) {
    super(`${file}: ${problem}`, options);
    this.name = "ModelFileError";
  }
}

/**
 * A name read from a file (a tensor, a zip entry, a pickled global), fit for a one-line message: as is when
 * it is plain, else JSON-quoted (newlines and control characters escaped) and cut to 80 characters.
 *
 * @example
 * ```ts
 * fileName("bert.embeddings.word_embeddings.weight"); // as is
 * fileName("evil\nname"); // "\"evil\\nname\""
 * ```
 */
export function fileName(name: string): string {
  if (/^[\w.\/<>:@+-]{1,120}$/.test(name)) return name;
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}
