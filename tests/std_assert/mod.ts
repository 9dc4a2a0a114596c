/**
 * A local stand-in for `jsr:@std/assert`, which cannot be resolved here (jsr is unreachable).
 *
 * It exports the same names with the same call shapes, built on `node:assert/strict`.
 * To go back to the real module, change one line in deno.json:
 * `"@std/assert": "jsr:@std/assert@^1"`.
 *
 * @module
 */
import nodeAssert from "node:assert/strict";

/** Error thrown by every assertion in this module, like std's `AssertionError`. */
export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssertionError";
  }
}

function fail(defaultMessage: string, msg?: string): never {
  throw new AssertionError(msg ?? defaultMessage);
}

function rethrow(error: unknown, msg?: string): never {
  const text = error instanceof Error ? error.message : String(error);
  throw new AssertionError(msg ? `${msg}\n${text}` : text);
}

/**
 * Asserts that `expr` is truthy.
 *
 * @example
 * ```ts
 * assert(1 + 1 === 2);
 * ```
 */
export function assert(expr: unknown, msg = ""): asserts expr {
  if (!expr) fail("Expected expression to be truthy", msg || undefined);
}

/**
 * Deep structural equality, like std's `assertEquals`.
 *
 * @example
 * ```ts
 * assertEquals({ a: [1, 2] }, { a: [1, 2] });
 * ```
 */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  try {
    nodeAssert.deepStrictEqual(actual, expected);
  } catch (error) {
    rethrow(error, msg);
  }
}

/** Asserts that two values are not deeply equal. */
export function assertNotEquals<T>(actual: T, expected: T, msg?: string): void {
  try {
    nodeAssert.notDeepStrictEqual(actual, expected);
  } catch (error) {
    rethrow(error, msg);
  }
}

/** Asserts `Object.is(actual, expected)`. */
export function assertStrictEquals<T>(actual: unknown, expected: T, msg?: string): asserts actual is T {
  if (!Object.is(actual, expected)) {
    fail(`Values are not strictly equal: ${String(actual)} !== ${String(expected)}`, msg);
  }
}

/** Asserts that a value is neither `null` nor `undefined`. */
export function assertExists<T>(actual: T, msg?: string): asserts actual is NonNullable<T> {
  if (actual === null || actual === undefined) fail(`Expected a value, got ${actual}`, msg);
}

/**
 * Asserts `|actual - expected| <= tolerance` (default `1e-7`, as in std).
 *
 * @example
 * ```ts
 * assertAlmostEquals(0.1 + 0.2, 0.3);
 * ```
 */
export function assertAlmostEquals(actual: number, expected: number, tolerance = 1e-7, msg?: string): void {
  if (Object.is(actual, expected)) return;
  const delta = Math.abs(expected - actual);
  if (!(delta <= tolerance)) {
    fail(`Expected ${actual} to be close to ${expected}: delta ${delta} is above ${tolerance}`, msg);
  }
}

/** Asserts that `actual` is an instance of `expectedType`. */
export function assertInstanceOf<T extends abstract new (...args: never[]) => unknown>(
  actual: unknown,
  expectedType: T,
  msg?: string,
): asserts actual is InstanceType<T> {
  if (!(actual instanceof expectedType)) fail(`Expected an instance of ${expectedType.name}`, msg);
}

/** Asserts that `actual` includes `expected` (a substring). */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (!actual.includes(expected)) {
    fail(`Expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}`, msg);
  }
}

/** Asserts that `actual` matches the regular expression. */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  if (!expected.test(actual)) fail(`Expected ${JSON.stringify(actual)} to match ${expected}`, msg);
}

/** Asserts that the array includes every value of `expected` (deep equality). */
export function assertArrayIncludes<T>(actual: ArrayLike<T>, expected: ArrayLike<T>, msg?: string): void {
  const items = Array.from(actual);
  for (const wanted of Array.from(expected)) {
    const found = items.some((item) => {
      try {
        nodeAssert.deepStrictEqual(item, wanted);
        return true;
      } catch {
        return false;
      }
    });
    if (!found) fail(`Expected array to include ${JSON.stringify(wanted)}`, msg);
  }
}

/** Asserts `actual > expected`. */
export function assertGreater<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual > expected)) fail(`Expected ${actual} > ${expected}`, msg);
}

/** Asserts `actual >= expected`. */
export function assertGreaterOrEqual<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual >= expected)) fail(`Expected ${actual} >= ${expected}`, msg);
}

/** Asserts `actual < expected`. */
export function assertLess<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual < expected)) fail(`Expected ${actual} < ${expected}`, msg);
}

/** Asserts `actual <= expected`. */
export function assertLessOrEqual<T>(actual: T, expected: T, msg?: string): void {
  if (!(actual <= expected)) fail(`Expected ${actual} <= ${expected}`, msg);
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

function checkError<E extends Error>(
  error: unknown,
  ErrorClass?: ErrorClass<E>,
  msgIncludes?: string,
  msg?: string,
): E {
  if (ErrorClass && !(error instanceof ErrorClass)) {
    fail(`Expected error to be an instance of ${ErrorClass.name}, got ${String(error)}`, msg);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (msgIncludes !== undefined && !message.includes(msgIncludes)) {
    fail(
      `Expected error message to include ${JSON.stringify(msgIncludes)}, got ${JSON.stringify(message)}`,
      msg,
    );
  }
  return error as E;
}

/**
 * Asserts that `fn` throws; returns the error. Same overloads as std:
 * `assertThrows(fn)`, `assertThrows(fn, msg)`, `assertThrows(fn, ErrorClass, msgIncludes?, msg?)`.
 *
 * @example
 * ```ts
 * assertThrows(() => JSON.parse("{"), SyntaxError);
 * ```
 */
export function assertThrows(fn: () => unknown, msg?: string): unknown;
export function assertThrows<E extends Error>(
  fn: () => unknown,
  ErrorClass: ErrorClass<E>,
  msgIncludes?: string,
  msg?: string,
): E;
export function assertThrows<E extends Error>(
  fn: () => unknown,
  classOrMsg?: ErrorClass<E> | string,
  msgIncludes?: string,
  msg?: string,
): unknown {
  const ErrorClass = typeof classOrMsg === "function" ? classOrMsg : undefined;
  const message = typeof classOrMsg === "string" ? classOrMsg : msg;
  try {
    fn();
  } catch (error) {
    return checkError(error, ErrorClass, msgIncludes, message);
  }
  fail("Expected function to throw", message);
}

/**
 * Asserts that the promise returned by `fn` rejects; resolves to the error. Same overloads as std.
 *
 * @example
 * ```ts
 * await assertRejects(() => Promise.reject(new TypeError("x")), TypeError, "x");
 * ```
 */
export function assertRejects(fn: () => PromiseLike<unknown>, msg?: string): Promise<unknown>;
export function assertRejects<E extends Error>(
  fn: () => PromiseLike<unknown>,
  ErrorClass: ErrorClass<E>,
  msgIncludes?: string,
  msg?: string,
): Promise<E>;
export async function assertRejects<E extends Error>(
  fn: () => PromiseLike<unknown>,
  classOrMsg?: ErrorClass<E> | string,
  msgIncludes?: string,
  msg?: string,
): Promise<unknown> {
  const ErrorClass = typeof classOrMsg === "function" ? classOrMsg : undefined;
  const message = typeof classOrMsg === "string" ? classOrMsg : msg;
  try {
    await fn();
  } catch (error) {
    return checkError(error, ErrorClass, msgIncludes, message);
  }
  fail("Expected promise to reject", message);
}

/** Always fails, like std's `fail`. */
export function assertFail(msg?: string): never {
  fail("Failed assertion", msg);
}
export { assertFail as fail };

/** Marks unreachable code. */
export function unreachable(msg?: string): never {
  fail("Unreachable", msg);
}
