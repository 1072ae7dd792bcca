/**
 * The vendor reference files (reference data, not shipped): `SAFESQUID_VENDOR_FIXTURES` when
 * set (a folder, with or without a trailing slash), else the first `shared/fixtures` beside
 * the checkout or beside a folder above it (a git worktree sits deeper than its main
 * checkout). Tests that read them call `vendorFixture(t, rel)`, which skips the test with a
 * message where there is none (a clone outside this workplace), and returns the text otherwise.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";

/** The first `shared/fixtures` in the folders above `checkout`, nearest first. */
export function fixturesAbove(checkout: string): string | undefined {
  for (let dir = dirname(resolve(checkout)); ; dir = dirname(dir)) {
    const candidate = join(dir, "shared", "fixtures");
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The fixtures folder, or undefined when neither the variable nor a shared/ above the checkout gives one. */
export const VENDOR_DIR: string | undefined = (() => {
  const env = process.env.SAFESQUID_VENDOR_FIXTURES;
  if (env !== undefined && env !== "") return existsSync(env) ? resolve(env) : undefined;
  return fixturesAbove(fileURLToPath(new URL("../../", import.meta.url)));
})();

/** Absolute path of a vendor fixture, or undefined (and the test skipped) when absent. */
export function vendorPath(t: TestContext, rel: string): string | undefined {
  if (!VENDOR_DIR) {
    t.skip(`vendor fixtures not found (no shared/fixtures above the checkout); set SAFESQUID_VENDOR_FIXTURES to run this test`);
    return undefined;
  }
  return join(VENDOR_DIR, rel);
}

/** Text of a vendor fixture, or undefined (and the test skipped) when absent. */
export function vendorFixture(t: TestContext, rel: string): string | undefined {
  const p = vendorPath(t, rel);
  return p === undefined ? undefined : readFileSync(p, "utf8");
}

/** The vendor documents every part of the tool must handle as master and slave documents. */
export const VENDOR_DOCUMENTS = [
  "safesquid-2023.1011/config.xml",
  "vendor-variants/demo-appv2-config.xml",
  "vendor-variants/demo-setup-config.xml",
] as const;
