/**
 * This process's peak memory, for benchmarks and GPU checks.
 *
 * @module
 */

/**
 * Peak resident set size of this process in MB (Linux VmHWM), or undefined elsewhere.
 *
 * @example
 * ```ts
 * console.error(`peak RSS ${peakRssMB()} MB`);
 * ```
 */
export function peakRssMB(): number | undefined {
  try {
    const kB = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))?.[1];
    return kB ? Math.round(Number(kB) / 1024) : undefined;
  } catch {
    return undefined;
  }
}
