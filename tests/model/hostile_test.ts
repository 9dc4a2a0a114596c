/**
 * Hostile and damaged weight files (issue 11): each defect an adversarial review found has its case here.
 * Every refusal is a {@link ModelFileError} — one line naming the file and the problem — that comes at once,
 * before anything the size of the claim is allocated; nothing loads as NaN or Infinity.
 */
import { assert, assertEquals, assertInstanceOf, assertLess, assertRejects, assertThrows } from "@std/assert";
import { ModelFileError } from "../../lib/model/errors.ts";
import { unpickle } from "../../lib/model/formats/pickle.ts";
import { parsePytorchCheckpoint } from "../../lib/model/formats/pytorch.ts";
import { parseSafetensors, serializeSafetensors } from "../../lib/model/formats/safetensors.ts";
import { readZipDirectory, zipEntryData } from "../../lib/model/formats/zip.ts";
import {
  bytes,
  deflatedZeros,
  float32Bytes,
  int32,
  OP,
  type PickledTensor,
  pytorchZip,
  stateDictPickle,
  zipArchive,
} from "./hostile_files.ts";

/** A one-tensor zip checkpoint over the float32 `values`. */
function oneTensorCheckpoint(tensor: Omit<PickledTensor, "name" | "key">, values: number[]): Uint8Array {
  return pytorchZip(stateDictPickle([{ name: "w", key: "0", ...tensor }]), { "0": float32Bytes(values) });
}

/** Awaits `load`, expecting a one-line ModelFileError that includes `message`, within `seconds`. */
async function assertRefused(load: () => Promise<unknown> | unknown, message: string, seconds = 2) {
  const started = performance.now();
  const error = await assertRejects(async () => await load(), ModelFileError, message);
  assertLess((performance.now() - started) / 1000, seconds, "refused, but too slowly");
  assert(!error.message.includes("\n"), `not one line: ${error.message}`);
  return error as ModelFileError;
}

Deno.test("a 6-byte pickle with a negative length is refused at once (it used to loop forever)", async () => {
  const sixBytes = bytes(OP.BINSTRING, int32(-5), OP.STOP);
  assertEquals(sixBytes.length, 6);
  const error = await assertRefused(() => parsePytorchCheckpoint(sixBytes, "six.bin"), "negative length");
  assertEquals(error.file, "six.bin");
  // Invalid UTF-8 in a string is refused, not replaced.
  await assertRefused(
    () => unpickle(bytes(0x8c, 2, [0xc3, 0x28], OP.STOP), { globals: {}, source: "p" }),
    "not valid UTF-8",
  );
  // A length beyond the remaining bytes is refused before anything is read or allocated.
  await assertRefused(
    () => unpickle(bytes(OP.BINUNICODE, int32(0x7fffffff), OP.STOP), { globals: {}, source: "p" }),
    "beyond the end",
  );
});

Deno.test("negative strides are refused (they used to read outside the storage as NaN weights)", async () => {
  const checkpoint = oneTensorCheckpoint({ numel: 2, offset: 0, shape: [2], stride: [-1] }, [1, 2]);
  await assertRefused(() => parsePytorchCheckpoint(checkpoint, "neg.bin"), "w: negative stride");
  // Views that stay inside the storage still load: a transposed (non-contiguous) 2×2.
  const transposed = oneTensorCheckpoint({ numel: 4, offset: 0, shape: [2, 2], stride: [1, 2] }, [
    1,
    2,
    3,
    4,
  ]);
  assertEquals((await parsePytorchCheckpoint(transposed)).get("w")!.data, Float32Array.of(1, 3, 2, 4));
});

Deno.test("a stride-0 view with a huge shape is refused before allocating (it took 1.2 GB)", async () => {
  const rssBefore = Deno.memoryUsage().rss;
  const checkpoint = oneTensorCheckpoint({ numel: 1, offset: 0, shape: [30000, 10000], stride: [0, 0] }, [1]);
  await assertRefused(() => parsePytorchCheckpoint(checkpoint, "broadcast.bin"), "w: a view of 300000000");
  assertLess(Deno.memoryUsage().rss - rssBefore, 100e6);
});

Deno.test("a view past its storage, or a shape whose product overflows, is refused", async () => {
  const past = oneTensorCheckpoint({ numel: 2, offset: 1, shape: [2], stride: [1] }, [1, 2]);
  await assertRefused(() => parsePytorchCheckpoint(past, "past.bin"), "exceeds its storage");
  const huge = oneTensorCheckpoint({ numel: 1, offset: 0, shape: [2e9, 2e9, 2e9], stride: [0, 0, 0] }, [1]);
  await assertRefused(() => parsePytorchCheckpoint(huge, "huge.bin"), "w: a view of");
  const claimsMore = pytorchZip(
    stateDictPickle([{ name: "w", key: "0", numel: 1e9, offset: 0, shape: [1], stride: [1] }]),
    { "0": float32Bytes([1]) },
  );
  await assertRefused(
    () => parsePytorchCheckpoint(claimsMore, "claims.bin"),
    "storage 0 declares 1000000000",
  );
  // One storage named with two sizes: the second view must not be checked against the wrong count.
  const twoSizes = pytorchZip(
    stateDictPickle([
      { name: "a", key: "0", numel: 2, offset: 0, shape: [2], stride: [1] },
      { name: "b", key: "0", numel: 4, offset: 0, shape: [4], stride: [1] },
    ]),
    { "0": float32Bytes([1, 2]) },
  );
  await assertRefused(
    () => parsePytorchCheckpoint(twoSizes, "two.bin"),
    "storage 0 is named with 2 and with 4",
  );
});

Deno.test("one region viewed by thousands of tensors is refused (pytorch), and overlapping tensors (safetensors)", async () => {
  const storage = float32Bytes(Array.from({ length: 4096 }, (_, i) => i));
  const views = Array.from({ length: 100 }, (_, i) => ({
    name: `t${i}`,
    key: "0",
    numel: 4096,
    offset: 0,
    shape: [4096],
    stride: [1],
  }));
  const viewedOver = pytorchZip(stateDictPickle(views), { "0": storage });
  await assertRefused(() => parsePytorchCheckpoint(viewedOver, "views.bin"), "viewed over and over");
  // Tied weights (two tensors, one storage) still load.
  const tied = await parsePytorchCheckpoint(pytorchZip(stateDictPickle(views.slice(0, 2)), { "0": storage }));
  assertEquals([...tied.keys()], ["t0", "t1"]);

  const two = serializeSafetensors(
    new Map([["a", { shape: [2], data: Float32Array.of(1, 2), storedAs: "F32" }], [
      "b",
      { shape: [2], data: Float32Array.of(3, 4), storedAs: "F32" },
    ]]),
  );
  const headerLength = Number(new DataView(two.buffer).getBigUint64(0, true));
  const header = new TextDecoder().decode(two.subarray(8, 8 + headerLength)).replace("[8,16]", "[0, 8 ]");
  const overlapping = bytes(two.subarray(0, 8), header, two.subarray(8 + headerLength));
  await assertRefused(() => parseSafetensors(overlapping, "o.safetensors"), "tensors a and b share bytes");
});

Deno.test("a zip bomb is refused while inflating, not after (1.1 MB used to become 2.3 GB)", async () => {
  const bomb = await deflatedZeros(256 << 20);
  // The entry says 1000 bytes; inflating stops as soon as it passes them.
  const archive = zipArchive([{ name: "archive/data.pkl", data: bomb, method: 8, size: 1000 }]);
  const rssBefore = Deno.memoryUsage().rss;
  await assertRefused(
    () => parsePytorchCheckpoint(archive, "bomb.bin"),
    "inflates to more than the 1000 bytes",
  );
  assertLess(Deno.memoryUsage().rss - rssBefore, 100e6);
  // An entry declaring more than deflate can produce from its compressed bytes is refused before inflating.
  const liar = zipArchive([{ name: "archive/data.pkl", data: bomb.subarray(0, 1000), method: 8, size: 2e9 }]);
  await assertRefused(() => readZipDirectory(liar, "liar.bin"), "declares 2000000000 bytes");
});

Deno.test("zip entries that share bytes, or whose local header disagrees with the directory, are refused", async () => {
  // The overlapping-entries bomb: many directory entries pointing at one local entry.
  const overlap = zipArchive([
    { name: "archive/data.pkl", data: new Uint8Array(10) },
    { name: "archive/data/0", data: new Uint8Array(10), localOffset: 0 },
  ]);
  await assertRefused(() => readZipDirectory(overlap, "overlap.bin"), "overlap");
  const renamed = zipArchive([{ name: "archive/data.pkl", data: new Uint8Array(4) }]);
  renamed[30] = "X".charCodeAt(0); // the local header's name
  await assertRefused(() => readZipDirectory(renamed, "renamed.bin"), "local header");
  const good = zipArchive([{ name: "a", data: Uint8Array.of(1, 2, 3) }]);
  assertEquals(
    await zipEntryData(good, readZipDirectory(good, "good.zip").get("a")!),
    Uint8Array.of(1, 2, 3),
  );
});

Deno.test("a huge LONG4 integer is refused at once (300 KB took 29 s to build)", async () => {
  const size = 300_000;
  const long4 = bytes(OP.LONG4, int32(size), new Uint8Array(size).fill(0x7f), OP.STOP);
  await assertRefused(() => unpickle(long4, { globals: {}, source: "long.pkl" }), "integer of 300000 bytes");
  // Small ones still read, negative ones too (two's complement).
  assertEquals(unpickle(bytes(0x8a, 2, [0xff, 0x7f], OP.STOP), { globals: {} }), 0x7fff);
  assertEquals(
    unpickle(bytes(0x8a, 9, [0, 0, 0, 0, 0, 0, 0, 0, 0x80], OP.STOP), { globals: {} }),
    -(2n ** 71n),
  );
});

Deno.test("big strings, big APPENDS and deep nesting neither overflow the stack nor print more than a line", async () => {
  const size = 1 << 20;
  const bigString = bytes(OP.BINSTRING, int32(size), new Uint8Array(size).fill(0x61), OP.STOP);
  assertEquals((unpickle(bigString, { globals: {} }) as string).length, size);
  const items = 500_000;
  const bigAppends = bytes(OP.EMPTY_LIST, OP.MARK, new Uint8Array(2 * items).fill(0x4b), OP.APPENDS, OP.STOP);
  // BININT1 0x4b, 500 000 times
  const list = unpickle(bigAppends, { globals: {} }) as number[];
  assertEquals(list.length, items);
  assertEquals(list[items - 1], 0x4b);
  // A state dict whose key is a list nested 200 000 deep: the error describes it without recursing.
  const depth = 200_000;
  const nested = bytes(
    OP.PROTO,
    2,
    OP.EMPTY_DICT,
    new Uint8Array(depth).fill(OP.EMPTY_LIST),
    new Uint8Array(depth - 1).fill(OP.APPEND),
    OP.NEWFALSE,
    OP.SETITEM,
    OP.STOP,
  );
  await assertRefused(() => parsePytorchCheckpoint(pytorchZip(nested, {}), "deep.bin"), "is not a tensor");
});

Deno.test("non-finite weights are refused with the tensor's name", async () => {
  const nan = serializeSafetensors(
    new Map([["enc.w", { shape: [2], data: Float32Array.of(1, NaN), storedAs: "F32" }]]),
  );
  await assertRefused(() => parseSafetensors(nan, "nan.safetensors"), "tensor enc.w holds NaN");
  const inf = oneTensorCheckpoint({ numel: 2, offset: 0, shape: [2], stride: [1] }, [Infinity, 1]);
  await assertRefused(() => parsePytorchCheckpoint(inf, "inf.bin"), "w holds Infinity");
});

Deno.test("safetensors headers: lengths, offsets, shapes and dtypes are checked against the file", async () => {
  const good = serializeSafetensors(
    new Map([["w", { shape: [2], data: Float32Array.of(1, 2), storedAs: "F32" }]]),
  );
  const withHeader = (header: unknown) => {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = bytes(new Uint8Array(8), json, new Uint8Array(8));
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    return out;
  };
  const huge = good.slice();
  new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
  await assertRefused(() => parseSafetensors(huge, "h.safetensors"), "header length");
  const cases: [unknown, string][] = [
    [[1, 2], "header is not a JSON object"],
    [{ w: { dtype: "toString", shape: [2], data_offsets: [0, 8] } }, "unsupported dtype toString"],
    [{ w: { dtype: "F32", shape: [-2], data_offsets: [0, 8] } }, "shape"],
    [{ w: { dtype: "F32", shape: [2], data_offsets: [-8, 0] } }, "data_offsets"],
    [{ w: { dtype: "F32", shape: [1e300, 1e300], data_offsets: [0, 8] } }, "shape"],
    [{ w: { dtype: "F32", shape: [2], data_offsets: [0.5, 8.5] } }, "data_offsets"],
    [{ w: null }, "tensor w"],
  ];
  for (const [header, message] of cases) {
    const error = await assertRefused(() => parseSafetensors(withHeader(header), "h.safetensors"), message);
    assertInstanceOf(error, ModelFileError);
  }
  assertThrows(() => parseSafetensors(good.subarray(0, 4), "t.safetensors"), ModelFileError, "too short");
});

Deno.test("a small data.pkl padded with 1 GiB of zeros is refused before inflating (it cost 2.2 GB)", async () => {
  const pickle = stateDictPickle([{ name: "w", key: "0", numel: 2, offset: 0, shape: [2], stride: [1] }]);
  // The pickle, then zeros: honest sizes, 1 MB on disk.
  const padding = 1 << 30;
  const zeros = new Uint8Array(1 << 20);
  let left = padding / zeros.length;
  const stream = new ReadableStream<BufferSource>({
    start: (controller) => controller.enqueue(pickle.slice()),
    pull: (controller) => left-- > 0 ? controller.enqueue(zeros) : controller.close(),
  });
  const deflated = new Uint8Array(
    await new Response(stream.pipeThrough(new CompressionStream("deflate-raw"))).arrayBuffer(),
  );
  const archive = zipArchive([
    { name: "archive/data.pkl", data: deflated, method: 8, size: pickle.length + padding },
    { name: "archive/data/0", data: float32Bytes([1, 2]) },
  ]);
  const rssBefore = Deno.memoryUsage().rss;
  await assertRefused(
    () => parsePytorchCheckpoint(archive, "padded.bin"),
    "declares 1073741933 bytes, over the 8388608",
  );
  assertLess(Deno.memoryUsage().rss - rssBefore, 100e6);
});
