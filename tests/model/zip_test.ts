import { assertEquals, assertThrows } from "@std/assert";
import { isZip, readZipDirectory, zipEntryData } from "../../lib/model/formats/zip.ts";

/**
 * A one-entry stored archive in the zip64 layout (what archives over 4 GB use): every 32-bit size and offset
 * is 0xFFFFFFFF and the real values sit in zip64 extra fields and the zip64 end-of-directory record.
 */
function zip64Archive(name: string, content: Uint8Array): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  const local = new DataView(new ArrayBuffer(30 + nameBytes.length + 20));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 45, true);
  local.setUint32(18, 0xffffffff, true);
  local.setUint32(22, 0xffffffff, true);
  local.setUint16(26, nameBytes.length, true);
  local.setUint16(28, 20, true);
  new Uint8Array(local.buffer).set(nameBytes, 30);
  local.setUint16(30 + nameBytes.length, 0x0001, true);
  local.setUint16(32 + nameBytes.length, 16, true);
  local.setBigUint64(34 + nameBytes.length, BigInt(content.length), true);
  local.setBigUint64(42 + nameBytes.length, BigInt(content.length), true);

  const central = new DataView(new ArrayBuffer(46 + nameBytes.length + 28));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(4, 45, true);
  central.setUint16(6, 45, true);
  central.setUint32(20, 0xffffffff, true);
  central.setUint32(24, 0xffffffff, true);
  central.setUint16(28, nameBytes.length, true);
  central.setUint16(30, 28, true);
  central.setUint32(42, 0xffffffff, true);
  new Uint8Array(central.buffer).set(nameBytes, 46);
  const extra = 46 + nameBytes.length;
  central.setUint16(extra, 0x0001, true);
  central.setUint16(extra + 2, 24, true);
  central.setBigUint64(extra + 4, BigInt(content.length), true); // size
  central.setBigUint64(extra + 12, BigInt(content.length), true); // compressed size
  central.setBigUint64(extra + 20, 0n, true); // local header offset

  const centralOffset = local.byteLength + content.length;
  const zip64End = new DataView(new ArrayBuffer(56));
  zip64End.setUint32(0, 0x06064b50, true);
  zip64End.setBigUint64(4, 44n, true);
  zip64End.setBigUint64(24, 1n, true);
  zip64End.setBigUint64(32, 1n, true);
  zip64End.setBigUint64(40, BigInt(central.byteLength), true);
  zip64End.setBigUint64(48, BigInt(centralOffset), true);
  const locator = new DataView(new ArrayBuffer(20));
  locator.setUint32(0, 0x07064b50, true);
  locator.setBigUint64(8, BigInt(centralOffset + central.byteLength), true);
  locator.setUint32(16, 1, true);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, 0xffff, true);
  end.setUint16(10, 0xffff, true);
  end.setUint32(12, 0xffffffff, true);
  end.setUint32(16, 0xffffffff, true);

  const parts = [local, content, central, zip64End, locator, end].map((part) =>
    part instanceof DataView ? new Uint8Array(part.buffer) : part
  );
  const archive = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  parts.reduce((offset, part) => (archive.set(part, offset), offset + part.length), 0);
  return archive;
}

Deno.test("zip64 archives: sizes and offsets come from the zip64 records", async () => {
  const content = new TextEncoder().encode("tensor bytes");
  const archive = zip64Archive("archive/data/0", content);
  assertEquals(isZip(archive), true);
  const entries = readZipDirectory(archive);
  const entry = entries.get("archive/data/0")!;
  assertEquals({ size: entry.size, compressedSize: entry.compressedSize, method: entry.method }, {
    size: content.length,
    compressedSize: content.length,
    method: 0,
  });
  assertEquals(await zipEntryData(archive, entry), content);
});

Deno.test("not a zip, or a truncated one: errors name the archive", () => {
  assertEquals(isZip(new TextEncoder().encode("PK?")), false);
  assertThrows(() => readZipDirectory(new Uint8Array(100), "x.bin"), Error, "x.bin: not a zip archive");
  // A download cut short loses the end-of-directory records.
  const archive = zip64Archive("a", new Uint8Array(8));
  assertThrows(() => readZipDirectory(archive.slice(0, -30), "x.bin"), Error, "x.bin: not a zip archive");
});
