/**
 * Byte-for-byte equality of two byte arrays.
 *
 * @module
 */

/**
 * Whether `a` and `b` hold the same bytes.
 *
 * @example
 * ```ts
 * sameBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2)); // true
 * ```
 */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
