/**
 * Debian's Chromium, headless, driven by playwright-core: for PNG rendering of figures and the web demo's
 * browser test.
 *
 * @module
 */
import { type Browser, chromium } from "playwright-core";
import { envValue } from "./config.ts";

/** The Chromium binary: `$CHROMIUM_PATH`, else Debian's. */
export function chromiumPath(): string {
  return envValue("CHROMIUM_PATH");
}

/** Whether the Chromium binary is there. */
export async function hasChromium(): Promise<boolean> {
  return await Deno.stat(chromiumPath()).then(() => true, () => false);
}

/**
 * Flags for a headless Chromium that must not reach the network or a GPU (a closed network refuses its
 * background connections; playwright gives it a fresh temporary profile).
 */
const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * Launches headless Chromium, or explains how to get it.
 *
 * @example
 * ```ts
 * const browser = await launchHeadlessChromium();
 * const page = await browser.newPage();
 * await browser.close();
 * ```
 */
export async function launchHeadlessChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!await hasChromium()) {
    throw new Error(
      `Chromium not found at ${executablePath}: install Debian's chromium (deno task setup) or set CHROMIUM_PATH`,
    );
  }
  return await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
}
