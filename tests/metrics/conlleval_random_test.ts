/**
 * Default mode against the conlleval Perl script on random data, as seqeval's own statistical test does
 * (random tags from the prefix sets BIO and EIO, four types, random sentence breaks). Needs perl and a
 * conlleval script: set CONLLEVAL=/path/to/conlleval.pl (it is not part of this repository); skipped otherwise.
 */
import { assertEquals } from "@std/assert";
import { accuracyScore, countEntities } from "../../lib/metrics/mod.ts";

const script = Deno.env.get("CONLLEVAL");

/** mulberry32, seeded. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 1000 random tokens, a sentence break after each with probability 0.05. */
function randomData(next: () => number, prefixes: string): { yTrue: string[][]; yPred: string[][] } {
  const types = ["PER", "MISC", "ORG", "LOC"];
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)];
  const tag = () => {
    const prefix = pick([...prefixes]);
    return prefix === "O" ? "O" : `${prefix}-${pick(types)}`;
  };
  const yTrue: string[][] = [[]], yPred: string[][] = [[]];
  for (let i = 0; i < 1000; i++) {
    yTrue.at(-1)!.push(tag());
    yPred.at(-1)!.push(tag());
    if (next() > 0.95 && i < 999) (yTrue.push([]), yPred.push([]));
  }
  return { yTrue, yPred };
}

async function conlleval(yTrue: string[][], yPred: string[][]): Promise<string> {
  const input = yTrue.map((sentence, i) => sentence.map((t, j) => `X X ${t} ${yPred[i][j]}`).join("\n")).join(
    "\n\n",
  );
  const child = new Deno.Command("perl", { args: [script!], stdin: "piped", stdout: "piped" }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input + "\n"));
  await writer.close();
  return new TextDecoder().decode((await child.output()).stdout);
}

Deno.test({
  name: "default mode counts exactly what conlleval counts on random BIO and EIO data",
  ignore: !script,
  async fn() {
    const next = random(2024);
    for (const prefixes of ["BIO", "EIO"]) {
      for (let round = 0; round < 100; round++) {
        const { yTrue, yPred } = randomData(next, prefixes);
        const output = await conlleval(yTrue, yPred);
        const [, tokens, phrases, found, correct] = output.match(
          /processed (\d+) tokens with (\d+) phrases; found: (\d+) phrases; correct: (\d+)\./,
        )!.map(Number);
        const counts = countEntities(yTrue, yPred);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        const where = `${prefixes} round ${round}`;
        assertEquals(
          [tokens, phrases, found, correct],
          [1000, sum(counts.actual), sum(counts.predicted), sum(counts.truePositives)],
          where,
        );
        const accuracy = output.match(/accuracy:\s+([\d.]+)%/)![1];
        assertEquals((100 * accuracyScore(yTrue, yPred)).toFixed(2), accuracy, where);
        // Per type: conlleval prints the found count last on each type's line.
        const perType = [...output.matchAll(/^\s*(\S+): precision:.*\s(\d+)$/gm)].map((
          m,
        ) => [m[1], Number(m[2])]);
        assertEquals(perType, counts.types.map((type, i) => [type, counts.predicted[i]]), where);
      }
    }
  },
});
