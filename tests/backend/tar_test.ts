import { assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { extractTar, type TarEntry } from "../../lib/backend/tar.ts";

/** Builds a tar archive of `files` (path → content) plus a symlink, with GNU tar in the given format. */
async function makeTar(format: "gnu" | "pax", files: Record<string, string>): Promise<string> {
  const source = await Deno.makeTempDir();
  for (const [path, content] of Object.entries(files)) {
    await Deno.mkdir(join(source, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(source, path), content);
  }
  await Deno.mkdir(join(source, "deep"), { recursive: true });
  await Deno.symlink("lib.so.1.2.3", join(source, "deep", "lib.so"));
  const archive = join(source, "..", `${source.split("/").pop()}.tar`);
  const { success } = await new Deno.Command("tar", {
    args: [`--format=${format}`, "-cf", archive, "-C", source, "."],
  }).output();
  if (!success) throw new Error("tar failed");
  await Deno.remove(source, { recursive: true });
  return archive;
}

const longName = `deep/${"a-very-long-directory-name/".repeat(5)}file.txt`; // > 100 bytes: needs an extension

for (const format of ["gnu", "pax"] as const) {
  Deno.test(`extracts selected entries of a ${format} archive under new names, long names and symlinks included`, async () => {
    const archive = await makeTar(format, {
      [longName]: "long",
      "deep/lib.so.1.2.3": "library",
      "skip/me.txt": "not selected",
    });
    const destination = await Deno.makeTempDir();
    const seen: TarEntry[] = [];
    const written = await extractTar((await Deno.open(archive)).readable, {
      destination,
      select(entry) {
        seen.push(entry);
        return entry.path.startsWith("./deep/") && entry.type !== "directory"
          ? `out/${entry.path.slice("./deep/".length)}`
          : undefined;
      },
    });
    assertEquals(written.sort(), [`out/${longName.slice(5)}`, "out/lib.so", "out/lib.so.1.2.3"]);
    assertEquals(await Deno.readTextFile(join(destination, "out", longName.slice(5))), "long");
    assertEquals(await Deno.readLink(join(destination, "out/lib.so")), "lib.so.1.2.3");
    assertEquals(await Deno.readTextFile(join(destination, "out/lib.so")), "library");
    assertEquals(seen.find((e) => e.path === "./skip/me.txt")?.size, "not selected".length);
    await Deno.remove(destination, { recursive: true });
    await Deno.remove(archive);
  });
}

Deno.test("refuses to write outside the destination", async () => {
  const archive = await makeTar("gnu", { "a.txt": "x" });
  const destination = await Deno.makeTempDir();
  await assertRejects(
    async () =>
      await extractTar((await Deno.open(archive)).readable, {
        destination,
        select: (e) => e.path === "./a.txt" ? "../escaped.txt" : undefined,
      }),
    Error,
    "would be written outside the destination",
  );
  await Deno.remove(destination, { recursive: true });
  await Deno.remove(archive);
});

Deno.test("a truncated archive is an error, not a silently shorter file", async () => {
  const archive = await makeTar("gnu", { "big.bin": "z".repeat(5000) });
  const bytes = await Deno.readFile(archive);
  const destination = await Deno.makeTempDir();
  await assertRejects(
    () =>
      extractTar(ReadableStream.from([bytes.subarray(0, 2048)]), {
        destination,
        select: (e) => e.path.endsWith("big.bin") ? "big.bin" : undefined,
      }),
    Error,
    "archive ends",
  );
  await Deno.remove(destination, { recursive: true });
  await Deno.remove(archive);
});
