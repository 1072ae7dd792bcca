/**
 * Tools from outside the project that some tests need (promtool, zsh). A developer's run
 * without one skips those tests, saying how to install it; where the tool is required
 * (`SAFESQUID_TEST_REQUIRE=promtool,zsh`, as .ci/run sets it) its absence fails them instead,
 * so that CI cannot pass by skipping.
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";

/** Is this tool named in $SAFESQUID_TEST_REQUIRE? */
export function isRequired(tool: string): boolean {
  return (process.env.SAFESQUID_TEST_REQUIRE ?? "").split(",").map((s) => s.trim()).includes(tool);
}

/** True when the tool is there; else skips the test with `howTo`, or fails it where the tool is required. */
export function needTool(t: TestContext, tool: string, have: boolean, howTo: string): boolean {
  if (have) return true;
  if (isRequired(tool)) assert.fail(`${howTo} (SAFESQUID_TEST_REQUIRE names ${tool})`);
  t.skip(howTo);
  return false;
}
