/**
 * The PNG decoder (every filter type) and the blank-image check it supports.
 */
import { assertEquals, assertGreater, assertThrows } from "@std/assert";
import { deflateSync } from "node:zlib";
import { decodePng, pixelStats } from "../../lib/plot/mod.ts";

/** Encodes an 8-bit RGB image, row y with filter filters[y] (CRCs left 0: the decoder does not read them). */
function encodePng(width: number, rows: number[][], filters: number[]): Uint8Array {
  const stride = width * 3;
  const raw: number[] = [];
  rows.forEach((row, y) => {
    raw.push(filters[y]);
    for (let x = 0; x < stride; x++) {
      const left = x >= 3 ? row[x - 3] : 0, up = y > 0 ? rows[y - 1][x] : 0;
      const upLeft = x >= 3 && y > 0 ? rows[y - 1][x - 3] : 0;
      const p = left + up - upLeft;
      const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
      const paeth = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filters[y]];
      raw.push((row[x] - predictor) & 0xff);
    }
  });
  const chunk = (type: string, data: Uint8Array) => {
    const out = new Uint8Array(12 + data.length);
    new DataView(out.buffer).setUint32(0, data.length);
    out.set([...type].map((c) => c.charCodeAt(0)), 4);
    out.set(data, 8);
    return out;
  };
  const header = new Uint8Array(13);
  new DataView(header.buffer).setUint32(0, width);
  new DataView(header.buffer).setUint32(4, rows.length);
  header.set([8, 2, 0, 0, 0], 8);
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(new Uint8Array(raw)))),
    chunk("IEND", new Uint8Array()),
  ];
  const png = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (png.set(p, at), at + p.length), 0);
  return png;
}

Deno.test("decodePng undoes all five PNG filters", () => {
  // 3×5 RGB pixels with varied values, each row using another filter (None, Sub, Up, Average, Paeth).
  const rows = Array.from(
    { length: 5 },
    (_, y) => Array.from({ length: 9 }, (_, x) => (37 * x + 91 * y + x * y) % 256),
  );
  const image = decodePng(encodePng(3, rows, [0, 1, 2, 3, 4]));
  assertEquals([image.width, image.height, image.channels], [3, 5, 3]);
  assertEquals([...image.pixels], rows.flat());
});

Deno.test("pixelStats: a blank image has zero variance, a drawn one does not", () => {
  const white = decodePng(
    encodePng(2, [[255, 255, 255, 255, 255, 255], [255, 255, 255, 255, 255, 255]], [0, 0]),
  );
  assertEquals(pixelStats(white), { mean: 255, variance: 0, colors: 1 });
  const drawn = decodePng(encodePng(2, [[255, 255, 255, 0, 0, 0], [255, 255, 255, 255, 255, 255]], [0, 1]));
  // Grey levels 255, 0, 255, 255: mean 191.25, variance 191.25·63.75.
  assertEquals(pixelStats(drawn), { mean: 191.25, variance: 191.25 * 63.75, colors: 2 });
  assertGreater(pixelStats(drawn).variance, 0);
});

Deno.test("decodePng rejects what is not a PNG", () => {
  assertThrows(() => decodePng(new TextEncoder().encode("GIF89a....")), Error, "not a PNG");
});
