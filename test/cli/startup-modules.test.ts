/**
 * What a command loads before it does anything: `--help`, `--version` and `inventory validate`
 * must not load the HTTP client (got, hpagent), the spinner (ora), the prompts or the emulator,
 * and no command compiles the inventory schema (it is compiled at build time: ajv's compiler
 * never loads). Each case runs the BUILT CLI with a preloaded probe that lists every module the
 * process loaded (test/helpers/module-probe.mjs); no timing is measured here (`npm run bench`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, runCli } from "../helpers/cli.js";

const PROBE = pathToFileURL(join(ROOT, "test/helpers/module-probe.mjs")).href;

/** Runs the CLI with the probe; returns its result and the modules it loaded. */
async function loaded(args: string[]): Promise<{ code: number | null; stderr: string; modules: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "safesquid-modules-"));
  const file = join(dir, "modules.txt");
  try {
    const r = await runCli(args, { env: { SAFESQUID_MODULE_PROBE: file, NODE_OPTIONS: `--import=${PROBE}` } });
    const modules = readFileSync(file, "utf8").split("\n").filter(Boolean);
    return { code: r.code, stderr: r.stderr, modules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEAVY: [string, RegExp][] = [
  ["got (the HTTP client)", /node_modules\/got\//],
  ["hpagent", /node_modules\/hpagent\//],
  ["ora (the spinner)", /node_modules\/ora\//],
  ["@inquirer/prompts", /node_modules\/@inquirer\//],
  ["the emulator", /\/dist\/emulator\//],
  ["the wire client", /\/dist\/safesquid\/transport\.js/],
  ["ajv's schema compiler", /node_modules\/ajv\/dist\/(ajv|core|compile\/)/],
];

function assertNone(modules: string[], what: string): void {
  for (const [name, re] of HEAVY) {
    const hit = modules.find((m) => re.test(m));
    assert.equal(hit, undefined, `${what} loaded ${name}: ${hit}`);
  }
}

const EXAMPLE = join(ROOT, "examples/inventory.yaml");

for (const args of [["--help"], ["--version"], ["verify", "--help"], ["inventory", "validate", "-i", EXAMPLE]]) {
  test(`${args.join(" ").replace(ROOT, "")} loads neither got, ora, the prompts, the emulator nor ajv's compiler`, async () => {
    const r = await loaded(args);
    assert.equal(r.code, 0, r.stderr);
    // The probe works: it saw the CLI itself and commander (an ES module and a CommonJS one).
    assert.ok(r.modules.some((m) => m.endsWith("/dist/cli.js")), "the probe saw dist/cli.js");
    assert.ok(r.modules.some((m) => /node_modules\/commander\/index\.js$/.test(m)), "the probe saw commander");
    assertNone(r.modules, args.join(" "));
  });
}

test("inventory validate checks the inventory with the validator compiled at build time", async () => {
  const r = await loaded(["inventory", "validate", "-i", EXAMPLE]);
  assert.ok(r.modules.some((m) => m.endsWith("/dist/inventory/schema-validator.js")), "the precompiled validator ran");
  assert.ok(r.modules.some((m) => /node_modules\/yaml\//.test(m)), "the probe saw yaml (CommonJS)");
});
