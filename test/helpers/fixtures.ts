/**
 * The vendor reference files in ../shared/fixtures (reference data, not shipped). Tests that
 * read them call `vendorFixture(t, rel)`, which skips the test with a message where the
 * folder is absent (a clone outside this workplace), and returns the text otherwise.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TestContext } from "node:test";

/** The fixtures folder, or undefined when this checkout has no ../shared beside it. */
export const VENDOR_DIR: string | undefined = (() => {
  const env = process.env.SAFESQUID_VENDOR_FIXTURES;
  const dir = env ?? fileURLToPath(new URL("../../../shared/fixtures/", import.meta.url));
  return existsSync(dir) ? dir : undefined;
})();

/** Absolute path of a vendor fixture, or undefined (and the test skipped) when absent. */
export function vendorPath(t: TestContext, rel: string): string | undefined {
  if (!VENDOR_DIR) {
    t.skip(`vendor fixtures not found (../shared/fixtures); set SAFESQUID_VENDOR_FIXTURES to run this test`);
    return undefined;
  }
  return VENDOR_DIR + rel;
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
