/**
 * The dropout keep-masks' generator (lib/model/dropout_mask.ts): reproducible per seed, each element kept with
 * probability 1 − rate, and no structure a layer could learn from — neighbouring elements, rows, and two
 * seeds' masks agree only as often as independent draws would. Bounds are 5 standard deviations wide.
 */
import { assert, assertEquals, assertNotEquals } from "@std/assert";
import { initBackend } from "../../lib/backend/mod.ts";
import { dropoutKeepMask } from "../../lib/model/mod.ts";
import { withSeededMathRandom } from "../../lib/model/bert/seeded_dropout.ts";

await initBackend();

const SHAPE = [32, 12, 128, 128]; // a BERT-base attention mask at 32×128: 6.3 M elements

async function keepMask(rate: number, seed?: string): Promise<Uint8Array> {
  const mask = dropoutKeepMask(SHAPE, rate, seed);
  try {
    return Uint8Array.from(await mask.data());
  } finally {
    mask.dispose();
  }
}

/** Asserts `count` of `n` Bernoulli(p) trials is within 5 standard deviations of n·p. */
function assertBinomial(count: number, n: number, p: number, what: string) {
  const sd = Math.sqrt(n * p * (1 - p));
  assert(
    Math.abs(count - n * p) < 5 * sd,
    `${what}: ${count} of ${n}, expected ${(n * p).toFixed(0)} ± ${(5 * sd).toFixed(0)}`,
  );
}

Deno.test("dropoutKeepMask: the same seed gives the same mask, another seed another; no seed draws one from Math.random", async () => {
  assertEquals(await keepMask(0.1, "3:7"), await keepMask(0.1, "3:7"));
  assertNotEquals(await keepMask(0.1, "3:7"), await keepMask(0.1, "3:8"));
  const seeded = () => withSeededMathRandom(42, () => dropoutKeepMask([64, 64], 0.1));
  const [a, b] = [seeded(), seeded()];
  assertEquals(await a.data(), await b.data());
  a.dispose();
  b.dispose();
});

Deno.test("dropoutKeepMask keeps each element with probability 1 − rate; rate 0 keeps all, rate 1 none", async () => {
  for (const rate of [0.1, 0.5]) {
    const mask = await keepMask(rate, `rate ${rate}`);
    assertBinomial(mask.reduce((sum, k) => sum + k, 0), mask.length, 1 - rate, `kept at rate ${rate}`);
  }
  assert((await keepMask(0, "x")).every((k) => k === 1));
  assert((await keepMask(1, "x")).every((k) => k === 0));
});

Deno.test("dropoutKeepMask: neighbours, rows and two seeds' masks agree as often as independent draws", async () => {
  const rate = 0.1, keep = 1 - rate;
  const agree = keep * keep + rate * rate; // P(two independent draws are equal)
  const a = await keepMask(rate, "1:0"), b = await keepMask(rate, "1:1");
  const row = SHAPE[3];
  let neighbours = 0, rows = 0, seeds = 0;
  for (let i = 0; i + row < a.length; i++) {
    if (a[i] === a[i + 1]) neighbours++;
    if (a[i] === a[i + row]) rows++;
    if (a[i] === b[i]) seeds++;
  }
  const n = a.length - row;
  assertBinomial(neighbours, n, agree, "element i and i + 1");
  assertBinomial(rows, n, agree, "element i and the one a row below");
  assertBinomial(seeds, n, agree, "two seeds, element by element");
});
