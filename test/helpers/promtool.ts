/**
 * The real `promtool` (Prometheus's own checker) for the monitoring tests: `check metrics`
 * on an exposition, `check rules` on a rule file. Where it is not installed the test is
 * skipped with a message saying how to install it (`.ci/run` installs it in CI).
 */
import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";
import { needTool } from "./required.js";

export const HAVE_PROMTOOL = spawnSync("promtool", ["--version"]).status === 0;

export const INSTALL_PROMTOOL = "promtool is not installed: on Debian or Ubuntu `sudo apt-get install -y prometheus` brings it (or put the promtool of a Prometheus release on PATH)";

/**
 * Skips the test (with how to install promtool) when it is missing; true when it is there.
 * Where promtool is required (`SAFESQUID_TEST_REQUIRE` names it, as .ci/run does), a
 * missing promtool fails the test instead: CI must not pass by skipping the check.
 */
export function needPromtool(t: TestContext): boolean {
  return needTool(t, "promtool", HAVE_PROMTOOL, INSTALL_PROMTOOL);
}

/** Runs `promtool check metrics` on the text; returns its exit code and what it said. */
export function checkMetrics(text: string): { code: number | null; output: string } {
  const r = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** Runs `promtool check rules FILE...`. */
export function checkRules(...files: string[]): { code: number | null; output: string } {
  const r = spawnSync("promtool", ["check", "rules", ...files], { encoding: "utf8" });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}
