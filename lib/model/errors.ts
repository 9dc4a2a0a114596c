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
