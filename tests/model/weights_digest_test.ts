/** The weights' digest: written by the safetensors writer into the file's metadata, equal to a fresh hash. */
import { assertEquals, assertNotEquals } from "@std/assert";
import { join } from "node:path";
import { readSafetensors, serializeSafetensors } from "../../lib/model/formats/safetensors.ts";
import { TENSORS_DIGEST_KEY, weightsDigest } from "../../lib/model/formats/weights_digest.ts";
import { FIXTURE, otherWeights, withoutMetadata } from "../onnx/fixture_model.ts";

Deno.test("the safetensors writer stores the tensors' digest; hashing the same tensors gives the same", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bytes = serializeSafetensors(await readSafetensors(join(FIXTURE, "model.safetensors")));
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    assertEquals(header.__metadata__.format, "pt");
    await Deno.writeFile(join(dir, "with.safetensors"), bytes);
    await Deno.writeFile(join(dir, "without.safetensors"), withoutMetadata(bytes));
    const stored = await weightsDigest(join(dir, "with.safetensors"));
    const hashed = await weightsDigest(join(dir, "without.safetensors"));
    assertEquals([stored.from, hashed.from], ["metadata", "hashed"]);
    assertEquals(stored.sha256, header.__metadata__[TENSORS_DIGEST_KEY]);
    assertEquals(hashed.sha256, stored.sha256);
    await otherWeights(join(dir, "other.safetensors"), { withDigest: false });
    assertNotEquals((await weightsDigest(join(dir, "other.safetensors"))).sha256, stored.sha256);
    // Any other weights file: SHA-256 of its bytes.
    assertEquals((await weightsDigest(join(FIXTURE, "pytorch_model.bin"))).sha256.length, 64);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
