/**
 * Tail averaging of saved model folders (lib/train/average_weights.ts): the mean of every tensor of every
 * weights file, other files copied when equal; folders that do not match are refused in one line that names
 * them, and the target folder is left as it was.
 */
import { assertEquals, assertRejects, assertStringIncludes, assertThrows } from "@std/assert";
import { join } from "node:path";
import { readSafetensors, writeSafetensors } from "../../lib/model/formats/safetensors.ts";
import type { StateDict } from "../../lib/model/types.ts";
import { averagedEpochs, averageModelFolders } from "../../lib/train/average_weights.ts";
import { loadProfile, validateProfile } from "../../lib/train/profile.ts";

/** A model folder: `config.json`, and `head/model.safetensors` holding the given tensors. */
async function modelFolder(dir: string, tensors: Record<string, number[]>, config = "{}") {
  await Deno.mkdir(join(dir, "head"), { recursive: true });
  await Deno.writeTextFile(join(dir, "config.json"), config);
  const dict: StateDict = new Map(
    Object.entries(tensors).map(([name, values]) => [
      name,
      { shape: [values.length], data: Float32Array.from(values), storedAs: "F32" },
    ]),
  );
  await writeSafetensors(join(dir, "head", "model.safetensors"), dict);
  return dir;
}

const tensorsOf = async (dir: string) =>
  Object.fromEntries(
    [...await readSafetensors(join(dir, "head", "model.safetensors"))].map((
      [name, t],
    ) => [name, [...t.data]]),
  );

Deno.test("the mean of each tensor over the folders; other files copied", async () => {
  const root = await Deno.makeTempDir();
  const folders = await Promise.all([
    modelFolder(join(root, "1"), { w: [1, 2], b: [0] }, '{"a":1}'),
    modelFolder(join(root, "2"), { w: [3, 4], b: [1] }, '{"a":1}'),
    modelFolder(join(root, "3"), { w: [5, 9], b: [2] }, '{"a":1}'),
  ]);
  await averageModelFolders({ folders, into: join(root, "mean") });
  assertEquals(await tensorsOf(join(root, "mean")), { w: [3, 5], b: [1] });
  assertEquals(await Deno.readTextFile(join(root, "mean", "config.json")), '{"a":1}');
});

Deno.test("folders that do not match are refused, naming them; the target is untouched", async () => {
  const root = await Deno.makeTempDir();
  const into = await modelFolder(join(root, "best"), { w: [7, 7] });
  const base = await modelFolder(join(root, "base"), { w: [1, 2] });
  const cases: [string, () => Promise<string>, string][] = [
    [
      "shape",
      () => modelFolder(join(root, "shape"), { w: [1, 2, 3] }),
      "tensor w is [2] in the first, shape [3]",
    ],
    [
      "missing",
      () => modelFolder(join(root, "missing"), { v: [1, 2] }),
      "tensor w is [2] in the first, no such",
    ],
    ["extra", () => modelFolder(join(root, "extra"), { w: [1, 2], v: [0] }), "tensor v is only in the other"],
    ["config", () => modelFolder(join(root, "config"), { w: [1, 2] }, '{"a":2}'), "config.json differs"],
    ["file", async () => {
      const dir = await modelFolder(join(root, "file"), { w: [1, 2] });
      await Deno.writeTextFile(join(dir, "vocab.json"), "{}");
      return dir;
    }, "vocab.json is in only one of them"],
  ];
  for (const [what, make, message] of cases) {
    const other = await make();
    const error = await assertRejects(() => averageModelFolders({ folders: [base, other], into }), Error);
    assertEquals(error.message.includes(message), true, `${what}: ${error.message}`);
    assertEquals(
      error.message.includes(base) && error.message.includes(other),
      true,
      `${what}: ${error.message}`,
    );
    assertEquals(await tensorsOf(into), { w: [7, 7] }, what);
  }
  await assertRejects(() => averageModelFolders({ folders: [], into }), Error, "no model folders");
});

Deno.test("averagedEpochs: the profile's last epochs, none when absent or 1", () => {
  assertEquals(averagedEpochs({ epochs: 10, averageLastEpochs: 3 }), [8, 9, 10]);
  assertEquals(averagedEpochs({ epochs: 4, averageLastEpochs: 4 }), [1, 2, 3, 4]);
  assertEquals(averagedEpochs({ epochs: 10, averageLastEpochs: 1 }), []);
  assertEquals(averagedEpochs({ epochs: 10 }), []);
});

Deno.test("a profile's averageLastEpochs: a positive count, at most its epochs, with trainOn train+dev only", async () => {
  const profile = { ...await loadProfile("bilstm-crf-smoke"), trainOn: "train+dev" as const, epochs: 3 };
  validateProfile({ ...profile, averageLastEpochs: 3 });
  validateProfile({ ...profile, trainOn: "train", averageLastEpochs: 1 });
  const problem = (overrides: Record<string, unknown>) =>
    (assertThrows(() => validateProfile({ ...profile, ...overrides })) as Error).message;
  assertStringIncludes(problem({ averageLastEpochs: 4 }), "averageLastEpochs must be at most epochs");
  assertStringIncludes(problem({ averageLastEpochs: 0 }), "averageLastEpochs must be");
  assertStringIncludes(
    problem({ trainOn: "train", averageLastEpochs: 2 }),
    'averageLastEpochs needs trainOn "train+dev"',
  );
});
