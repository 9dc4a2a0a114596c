import { assertEquals } from "@std/assert";
import { join } from "node:path";
import { checkCudaLibraries, parseLdconfig, TFJS_NODE_GPU_LIBRARIES } from "../../lib/backend/cuda_libs.ts";

/** A folder of empty files and links named like a CUDA install: what the checker looks at is names. */
async function fakeLibDir(files: Record<string, string | null>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "fake-cuda-" });
  for (const [name, target] of Object.entries(files)) {
    if (target === null) await Deno.writeFile(join(dir, name), new Uint8Array());
    else await Deno.symlink(target, join(dir, name));
  }
  return dir;
}

const byName = (statuses: Awaited<ReturnType<typeof checkCudaLibraries>>) =>
  Object.fromEntries(statuses.map((s) => [s.soname, s]));

Deno.test("a full CUDA 11.2 + cuDNN 8.1 set on LD_LIBRARY_PATH is found, with versions from the real files", async () => {
  const dir = await fakeLibDir({
    "libcuda.so.580.65.06": null,
    "libcuda.so.1": "libcuda.so.580.65.06",
    "libcudart.so.11.2.152": null,
    "libcudart.so.11.0": "libcudart.so.11.2.152",
    "libcublas.so.11": null,
    "libcublasLt.so.11": null,
    "libcufft.so.10": null,
    "libcurand.so.10": null,
    "libcusolver.so.11": null,
    "libcusparse.so.11": null,
    "libcudnn.so.8.1.1": null,
    "libcudnn.so.8": "libcudnn.so.8.1.1",
  });
  const statuses = await checkCudaLibraries({ ldLibraryPath: dir, ldconfigOutput: "" });
  assertEquals(statuses.map((s) => s.status), TFJS_NODE_GPU_LIBRARIES.map(() => "ok"));
  const found = byName(statuses);
  assertEquals([found["libcudart.so.11.0"].version, found["libcudnn.so.8"].version], ["11.2.152", "8.1.1"]);
  assertEquals(found["libcudart.so.11.0"].path, join(dir, "libcudart.so.11.0"));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("CUDA 12 beside a new driver: each CUDA 11 soname is named, as missing or of the wrong version", async () => {
  const dir = await fakeLibDir({
    "libcudart.so.12": null,
    "libcublas.so.12": null,
    "libcudart.so.11.1.74": null,
    "libcudnn.so.8.0.5": null,
    "libcudnn.so.8": "libcudnn.so.8.0.5",
  });
  // The driver comes from the ldconfig cache (the 32-bit entry is not loadable and is ignored).
  const ldconfig = [
    "3 libs found in cache `/etc/ld.so.cache'",
    "\tlibcuda.so.1 (libc6) => /usr/lib32/libcuda.so.1",
    "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1",
    "\tlibcufft.so.11 (libc6,x86-64) => /usr/local/cuda-12/lib64/libcufft.so.11",
  ].join("\n");
  const found = byName(await checkCudaLibraries({ ldLibraryPath: dir, ldconfigOutput: ldconfig }));
  assertEquals(found["libcuda.so.1"].status, "ok");
  assertEquals(found["libcuda.so.1"].path, "/usr/lib/x86_64-linux-gnu/libcuda.so.1");
  assertEquals(found["libcudart.so.11.0"].status, "wrong-version");
  assertEquals(found["libcudart.so.11.0"].others, ["libcudart.so.11.1.74", "libcudart.so.12"]);
  assertEquals(
    found["libcudart.so.11.0"].message,
    "libcudart.so.11.0 missing (wrong version: only libcudart.so.11.1.74, libcudart.so.12); " +
      "install CUDA 11.x runtime (cuda-cudart-11-x)",
  );
  assertEquals(found["libcublas.so.11"].status, "wrong-version");
  assertEquals(found["libcublasLt.so.11"].status, "missing");
  assertEquals(found["libcufft.so.10"].others, ["libcufft.so.11"]);
  assertEquals(
    found["libcurand.so.10"].message,
    "libcurand.so.10 missing; install CUDA 11.x cuRAND (libcurand-11-x)",
  );
  // cuDNN 8.0 has the right soname but is older than the 8.1 libtensorflow 2.9.1 was built with.
  assertEquals(found["libcudnn.so.8"].status, "wrong-version");
  assertEquals(found["libcudnn.so.8"].version, "8.0.5");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("LD_LIBRARY_PATH comes before the ldconfig cache, as for the dynamic loader", async () => {
  const dir = await fakeLibDir({ "libcudnn.so.8.9.7": null, "libcudnn.so.8": "libcudnn.so.8.9.7" });
  const ldconfig = "\tlibcudnn.so.8 (libc6,x86-64) => /opt/old/libcudnn.so.8";
  const [cudnn] = await checkCudaLibraries(
    { ldLibraryPath: `/nonexistent:${dir}`, ldconfigOutput: ldconfig },
    TFJS_NODE_GPU_LIBRARIES.filter((l) => l.soname === "libcudnn.so.8"),
  );
  assertEquals([cudnn.status, cudnn.path, cudnn.version], ["ok", join(dir, "libcudnn.so.8"), "8.9.7"]);
  assertEquals(parseLdconfig(ldconfig).get("libcudnn.so.8"), "/opt/old/libcudnn.so.8");
  await Deno.remove(dir, { recursive: true });
});
