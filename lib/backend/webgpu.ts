/**
 * WebGPU through Deno's `navigator.gpu` (Vulkan/Metal/DX12 via wgpu) and `@tensorflow/tfjs-backend-webgpu`:
 * the npm-only way onto a GPU. Software adapters (llvmpipe, SwiftShader, WARP…) work but are slower than the
 * CPU backends, so they are skipped unless forced.
 *
 * @module
 */
import { activateTfjsBackend } from "./check.ts";
import { type BackendCandidate, BackendUnavailableError } from "./select.ts";
import { envValue, setEnv } from "../util/config.ts";

/** What we need of a `GPUAdapterInfo` (plus the fallback flag Deno puts on it). */
export interface AdapterInfo {
  vendor: string;
  device?: string;
  description: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE_RENDERERS = /llvmpipe|lavapipe|softpipe|swiftshader|warp|software/i;

/**
 * Whether an adapter is a CPU emulation of a GPU.
 *
 * @example
 * ```ts
 * isSoftwareAdapter({ vendor: "65541", description: "llvmpipe (LLVM 15.0.6, 256 bits)" }); // true
 * ```
 */
export function isSoftwareAdapter(info: AdapterInfo): boolean {
  return info.isFallbackAdapter === true || SOFTWARE_RENDERERS.test(info.description);
}

/**
 * Deno's WebGPU (wgpu) initialises the Vulkan window-system layer, which prints "XDG_RUNTIME_DIR is invalid or
 * not set" on every adapter request where a login session did not set it (CI, containers, cron). It only
 * needs a private folder: give the process one (removed at exit) before the first request.
 */
function ensureXdgRuntimeDir(): void {
  if (Deno.build.os !== "linux" || envValue("XDG_RUNTIME_DIR")) return;
  const dir = Deno.makeTempDirSync({ prefix: "xdg-runtime-" }); // mode 0700, as the spec requires
  setEnv("XDG_RUNTIME_DIR", dir);
  globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
}

/**
 * The default WebGPU adapter's info, or the reason there is none.
 *
 * @example
 * ```ts
 * const probe = await probeWebgpuAdapter();
 * if ("info" in probe) console.log(probe.info.description);
 * ```
 */
export async function probeWebgpuAdapter(): Promise<{ info: AdapterInfo } | { why: string }> {
  ensureXdgRuntimeDir();
  const gpu = (navigator as { gpu?: GPU }).gpu;
  if (!gpu) return { why: "navigator.gpu is missing (this Deno was built without WebGPU)" };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  } catch (error) {
    return { why: `requesting a WebGPU adapter failed: ${(error as Error).message}` };
  }
  if (!adapter) return { why: "no WebGPU adapter (no Vulkan/Metal driver found)" };
  return { info: adapter.info as unknown as AdapterInfo };
}

/** WebGPU on a real GPU; on a software adapter only when forced. */
export const webgpuCandidate: BackendCandidate = {
  name: "webgpu",
  async activate({ forced }) {
    const probe = await probeWebgpuAdapter();
    if ("why" in probe) throw new BackendUnavailableError(probe.why);
    const software = isSoftwareAdapter(probe.info);
    const description = `${probe.info.description || "unnamed adapter"} (vendor ${probe.info.vendor})`;
    if (software && !forced) {
      throw new BackendUnavailableError(
        `only a software adapter: ${description}; slower than the CPU backends`,
      );
    }
    await import("@tensorflow/tfjs-backend-webgpu");
    await activateTfjsBackend("webgpu");
    return { tfjsName: "webgpu", detail: `${description}${software ? ", software (forced)" : ""}` };
  },
};
