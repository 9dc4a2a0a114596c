import { assertEquals, assertStringIncludes } from "@std/assert";
import { nativeInstalled, tfjsNodePackageDir, useBackend } from "../../lib/backend/mod.ts";

const installed = nativeInstalled(tfjsNodePackageDir("@tensorflow/tfjs-node") ?? "");

Deno.test({
  name: "a second isolate of the process (a deno test --parallel worker) does not share the native binding",
  ignore: !installed,
  async fn() {
    let mine;
    try {
      mine = await useBackend("native");
    } catch (error) {
      // Another test file of this `deno test --parallel` run claimed the binding first: nothing to compare.
      assertStringIncludes((error as Error).message, "another isolate of this process");
      return;
    }
    assertEquals(mine.name, "native");
    const worker = new Worker(new URL("./native_worker.ts", import.meta.url), { type: "module" });
    const reply = await new Promise<{ name?: string; error?: string }>((resolve) => {
      worker.onmessage = (event) => resolve(event.data);
    });
    worker.terminate();
    assertStringIncludes(reply.error ?? `chose ${reply.name}`, "another isolate of this process");
  },
});
