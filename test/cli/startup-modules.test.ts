/**
 * What a command loads before it does anything: `--help`, `--version` and `inventory validate`
 * must not load the HTTP client (got, hpagent), the spinner (ora), the prompts or the emulator,
 * and no command compiles the inventory schema (it is compiled at build time: ajv's compiler
 * never loads). Each case runs the BUILT CLI with a preloaded probe that lists every file the
 * process loaded (test/helpers/module-probe.mjs); the CLI is a bundle (dist/bundle/, one chunk
 * per command and per lazily imported package), so each loaded chunk is read back into the
 * sources esbuild put in it (dist/bundle/meta.json). No timing is measured here (`npm run bench`).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ROOT, runCli } from "../helpers/cli.js";

const PROBE = pathToFileURL(join(ROOT, "test/helpers/module-probe.mjs")).href;

/** Which sources esbuild put into each file of the bundle ("dist/bundle/x.js" -> ["src/...", "node_modules/..."]). */
function bundleInputs(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(join(ROOT, "dist/bundle/meta.json"), "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  return new Map(Object.entries(meta.outputs).map(([out, o]) => [out, Object.keys(o.inputs)]));
}

/**
 * Runs the CLI with the probe; returns its result, the files it loaded (`files`) and the
 * sources inside the bundle files among them (`modules`: "src/cli.ts", "node_modules/got/...").
 */
async function loaded(args: string[], cacheHome?: string): Promise<{ code: number | null; stderr: string; files: string[]; modules: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "safesquid-modules-"));
  const file = join(dir, "modules.txt");
  // By default nothing kept from an earlier run: a command loads all it may need (with a kept
  // inventory check it loads no parser).
  const cache = cacheHome ? { XDG_CACHE_HOME: cacheHome, NODE_COMPILE_CACHE: join(cacheHome, "node") } : { SAFESQUID_FLEET_NO_CACHE: "1" };
  try {
    const r = await runCli(args, { env: { SAFESQUID_MODULE_PROBE: file, NODE_OPTIONS: `--import=${PROBE}`, ...cache } });
    const files = readFileSync(file, "utf8").split("\n").filter(Boolean);
    const inputs = bundleInputs();
    const modules = files.flatMap((f) => {
      const out = f.startsWith("file:") ? relative(ROOT, fileURLToPath(f)) : relative(ROOT, f);
      return inputs.get(out.split(sep).join("/")) ?? [];
    });
    return { code: r.code, stderr: r.stderr, files, modules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEAVY: [string, RegExp][] = [
  ["got (the HTTP client)", /node_modules\/got\//],
  ["hpagent", /node_modules\/hpagent\//],
  ["ora (the spinner)", /node_modules\/ora\//],
  ["@inquirer/prompts", /node_modules\/@inquirer\//],
  ["the emulator", /^src\/emulator\//],
  ["the wire client", /^src\/safesquid\/transport\.ts$/],
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
    // The probe works: it saw the bundle's entry, and in it the CLI and commander.
    assert.ok(r.files.some((m) => m.endsWith("/dist/bundle/cli.js")), "the probe saw dist/bundle/cli.js");
    assert.ok(r.modules.includes("src/cli.ts"), "the bundle's entry holds src/cli.ts");
    assert.ok(r.modules.some((m) => /^node_modules\/commander\/index\.js$/.test(m)), "the probe saw commander");
    assertNone(r.modules, args.join(" "));
  });
}

test("inventory validate checks the inventory with the validator compiled at build time", async () => {
  const r = await loaded(["inventory", "validate", "-i", EXAMPLE]);
  assert.ok(r.modules.includes("dist/generated/inventory-validator.js"), "the precompiled validator ran");
  assert.ok(r.modules.some((m) => /^node_modules\/yaml\//.test(m)), "the probe saw yaml");
});

test("an inventory checked by an earlier run is not parsed again: neither yaml nor the validator loads", async (t) => {
  const home = mkdtempSync(join(tmpdir(), "safesquid-modules-cache-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const first = await loaded(["inventory", "validate", "-i", EXAMPLE], home);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(first.modules.some((m) => /^node_modules\/yaml\//.test(m)), "the first run parsed it");
  const second = await loaded(["inventory", "validate", "-i", EXAMPLE], home);
  assert.equal(second.code, 0, second.stderr);
  assert.ok(second.modules.includes("src/inventory/load.ts"));
  for (const re of [/^node_modules\/yaml\//, /^src\/inventory\/(parse|schema-check|rules)\.ts$/]) {
    assert.equal(second.modules.find((m) => re.test(m)), undefined, `the second run loaded ${re}`);
  }
});
