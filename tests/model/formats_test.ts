import { assertEquals, assertThrows } from "@std/assert";
import { halfToFloat, toFloat32 } from "../../lib/model/formats/dtype.ts";
import { parseSafetensors, serializeSafetensors } from "../../lib/model/mod.ts";
import type { StateDict } from "../../lib/model/mod.ts";

Deno.test("float16 and bfloat16 bits decode to the values IEEE 754 defines", () => {
  assertEquals(halfToFloat(0x3c00), 1);
  assertEquals(halfToFloat(0xc000), -2);
  assertEquals(halfToFloat(0x7bff), 65504); // largest finite half
  assertEquals(halfToFloat(0x0001), 2 ** -24); // smallest subnormal
  assertEquals(halfToFloat(0x7c00), Infinity);
  assertEquals(halfToFloat(0xfc00), -Infinity);
  assertEquals(Number.isNaN(halfToFloat(0x7e00)), true);
  // bfloat16 0x3f80 = 1, 0xc049 = -3.140625 (the upper halves of the float32s).
  assertEquals(
    toFloat32(Uint8Array.from([0x80, 0x3f, 0x49, 0xc0]), "BF16", 2, "t"),
    Float32Array.from([1, -3.140625]),
  );
  // int64 -1 and 2^40, little-endian.
  const int64 = new Uint8Array(16);
  new DataView(int64.buffer).setBigInt64(0, -1n, true);
  new DataView(int64.buffer).setBigInt64(8, 2n ** 40n, true);
  assertEquals(toFloat32(int64, "I64", 2, "t"), Float32Array.from([-1, 2 ** 40]));
  assertThrows(
    () => toFloat32(new Uint8Array(4), "C64", 1, "tensor x"),
    Error,
    "tensor x: unsupported dtype C64",
  );
});

Deno.test("safetensors: written bytes read back equal, with an 8-aligned header and HF's metadata", () => {
  const stateDict: StateDict = new Map([
    ["a.weight", { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]), storedAs: "F32" }],
    ["b", { shape: [1], data: Float32Array.from([-0.5]), storedAs: "F32" }],
  ]);
  const bytes = serializeSafetensors(stateDict);
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assertEquals(headerLength % 8, 0);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  // HF's {"format": "pt"}, and the tensors' digest (lib/model/formats/weights_digest.ts).
  assertEquals(Object.keys(header.__metadata__), ["format", "bc5cdr_tensors_sha256"]);
  assertEquals(header.__metadata__.format, "pt");
  assertEquals(header["a.weight"], { dtype: "F32", shape: [2, 3], data_offsets: [0, 24] });
  assertEquals(parseSafetensors(bytes), stateDict);
});

Deno.test("safetensors: damaged files fail with errors naming the file and the tensor", () => {
  const good = serializeSafetensors(
    new Map([["w", { shape: [4], data: Float32Array.from([1, 2, 3, 4]), storedAs: "F32" }]]),
  );
  assertThrows(
    () => parseSafetensors(good.subarray(0, good.length - 4), "m.safetensors"),
    Error,
    "m.safetensors: tensor w",
  );
  assertThrows(() => parseSafetensors(new Uint8Array(4), "m.safetensors"), Error, "too short");
  const badHeader = good.slice();
  badHeader[8] = 0x7b + 1; // "{" → "|"
  assertThrows(() => parseSafetensors(badHeader, "m.safetensors"), Error, "header is not JSON");
  assertThrows(
    () => serializeSafetensors(new Map([["x", { shape: [3], data: new Float32Array(2), storedAs: "F32" }]])),
    Error,
    "tensor x: shape [3] holds 3 values, data has 2",
  );
});
