/**
 * Where metric warnings go. seqeval warns through Python's `warnings` module, which by default shows each
 * distinct message once per process; {@link warnOnce} does the same on stderr.
 *
 * @module
 */

/** Receives one warning message (e.g. an ill-defined precision set to 0). */
export type WarningSink = (message: string) => void;

const alreadyShown = new Set<string>();

/**
 * Prints a warning to stderr the first time this message is seen in the process.
 *
 * @example
 * ```ts
 * warnOnce("Precision is ill-defined ..."); // printed
 * warnOnce("Precision is ill-defined ..."); // silent
 * ```
 */
export function warnOnce(message: string): void {
  if (alreadyShown.has(message)) return;
  alreadyShown.add(message);
  console.warn(`warning: ${message}`);
}
