import { assert, assertEquals, assertRejects } from "@std/assert";
import { join } from "node:path";
import { brotliCompressSync } from "node:zlib";
import { installNativeTensorflow, nativeInstalled, tfjsNodePackageDir } from "../../lib/backend/mod.ts";

/**
 * A stand-in for `tfjs-node-lambda-releases`: an npm tarball whose `package/nodejs12.x-tf2.7.0.br` is a
 * brotli tar of a tfjs-node install with a small fake libtensorflow and binding, and an `npm` script that
 * "packs" it. Returns the script's path and the tarball's size.
 */
async function fakeRegistry(root: string): Promise<{ npm: string; size: number }> {
  const install = join(root, "install");
  const tfjsNode = join(install, "node_modules/@tensorflow/tfjs-node");
  await Deno.mkdir(join(tfjsNode, "deps/lib"), { recursive: true });
  await Deno.mkdir(join(tfjsNode, "lib/napi-v6"), { recursive: true });
  await Deno.writeTextFile(join(tfjsNode, "deps/lib/libtensorflow.so.1.15.0"), "fake libtensorflow");
  await Deno.symlink("libtensorflow.so.1.15.0", join(tfjsNode, "deps/lib/libtensorflow.so.1"));
  await Deno.writeTextFile(join(tfjsNode, "lib/napi-v6/tfjs_binding.node"), "fake binding");
  await Deno.writeTextFile(join(tfjsNode, "package.json"), "{}"); // not selected: must not be copied
  const tar = (args: string[]) => new Deno.Command("tar", { args }).output();
  await tar(["-cf", join(root, "release.tar"), "-C", install, "node_modules"]);
  await Deno.mkdir(join(root, "package"));
  await Deno.writeFile(
    join(root, "package/nodejs12.x-tf2.7.0.br"),
    brotliCompressSync(await Deno.readFile(join(root, "release.tar"))),
  );
  await tar(["-czf", join(root, "releases-1.0.0.tgz"), "-C", root, "package"]);
  const npm = join(root, "npm");
  // Called as: npm pack <spec> --pack-destination <dir> --silent
  await Deno.writeTextFile(
    npm,
    `#!/bin/sh\ncp "${root}/releases-1.0.0.tgz" "$4/" && echo releases-1.0.0.tgz\n`,
  );
  await Deno.chmod(npm, 0o755);
  return { npm, size: (await Deno.stat(join(root, "releases-1.0.0.tgz"))).size };
}

Deno.test("installs libtensorflow and the binding from an npm tarball, then skips when present", async () => {
  const root = await Deno.makeTempDir();
  const { npm, size } = await fakeRegistry(root);
  const packageDir = join(root, "tfjs-node");
  await Deno.mkdir(packageDir);
  const options = { packageDir, cacheDir: join(root, "cache"), npm, releases: { spec: "fake@1.0.0", size } };

  const first = await installNativeTensorflow(options);
  assertEquals([first.status, first.libtensorflow], ["installed", "1.15.0"]);
  assert(nativeInstalled(packageDir));
  assertEquals(await Deno.readTextFile(join(packageDir, "lib/napi-v8/tfjs_binding.node")), "fake binding");
  assertEquals(
    await Deno.readLink(join(packageDir, "deps/lib/libtensorflow.so.1")),
    "libtensorflow.so.1.15.0",
  );
  // Only deps/ and the binding are taken; scratch files are gone.
  assertEquals([...Deno.readDirSync(packageDir)].map((e) => e.name).sort(), ["deps", "lib"]);
  assertEquals([...Deno.readDirSync(join(root, "cache"))], []);

  const second = await installNativeTensorflow({ ...options, npm: "/nonexistent/npm" });
  assertEquals(second.status, "present");
  await Deno.remove(root, { recursive: true });
});

Deno.test("a download of the wrong size installs nothing and says so", async () => {
  const root = await Deno.makeTempDir();
  const { npm, size } = await fakeRegistry(root);
  const packageDir = join(root, "tfjs-node");
  await Deno.mkdir(packageDir);
  await assertRejects(
    () =>
      installNativeTensorflow({
        packageDir,
        cacheDir: join(root, "cache"),
        npm,
        releases: { spec: "x", size: size + 1 },
      }),
    Error,
    `expected ${size + 1}`,
  );
  assertEquals([...Deno.readDirSync(packageDir)], []);
  await Deno.remove(root, { recursive: true });
});

Deno.test("this project's tfjs-node is installed (deno task setup ran)", {
  ignore: !tfjsNodePackageDir("@tensorflow/tfjs-node"),
}, () => {
  assert(nativeInstalled(tfjsNodePackageDir("@tensorflow/tfjs-node")!), "run `deno task setup`");
});
