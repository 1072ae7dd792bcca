/**
 * On a Node.js older than package.json's `engines`, the bin shim prints one line naming the
 * supported versions on stderr and exits 2, before it loads anything that Node could not run.
 * Checked with a real Node.js 18 binary: the official one from the npm registry package
 * node-linux-<arch>, kept in the cache that .ci/node.sh shares with .ci/run (fetched at most
 * once per machine). .ci/run fetches it and names it in SAFESQUID_FLEET_NODE18, so in CI this
 * test cannot skip; elsewhere it skips when the binary is not cached and the registry cannot
 * be reached.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ROOT } from "../helpers/cli.js";

/** The Node.js 18 binary to run the shim with, or why there is none. */
function node18(): { node: string } | { missing: string } {
  const given = process.env.SAFESQUID_FLEET_NODE18;
  if (given) {
    assert.ok(existsSync(given), `SAFESQUID_FLEET_NODE18 names ${given}, which does not exist`);
    return { node: given };
  }
  // A cached 18.x needs no network; otherwise one quick try at the registry (no retries).
  const r = spawnSync("bash", [join(ROOT, ".ci/node.sh"), "--cached", "18"], {
    encoding: "utf8",
    env: { ...process.env, npm_config_fetch_retries: "0", npm_config_fetch_timeout: "20000" },
  });
  if (r.status !== 0) return { missing: (r.stderr || String(r.error)).trim().split("\n").at(-1)! };
  return { node: join(r.stdout.trim(), "node") };
}

test("on Node.js 18 the CLI prints one line naming the supported versions and exits 2", (t) => {
  const found = node18();
  if ("missing" in found) {
    t.skip(`no Node.js 18 binary (${found.missing}); run \`.ci/node.sh 18\` once with access to the npm registry (.ci/run does it in CI)`);
    return;
  }
  const version = spawnSync(found.node, ["--version"], { encoding: "utf8" }).stdout.trim();
  assert.match(version, /^v18\./);
  // Whatever the arguments, and with or without a built dist/: nothing else is loaded.
  const runs: string[][] = [[], ["--version"], ["verify", "-i", "no-such-file.yaml", "-o", "json"]];
  for (const args of runs) {
    const r: SpawnSyncReturns<string> = spawnSync(found.node, [BIN, ...args], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.stderr, `safesquid-fleet needs Node.js 20.17 or newer (tested on 20, 22 and 24); this is Node.js ${version.slice(1)}\n`, args.join(" "));
    assert.equal(r.stdout, "", args.join(" "));
    assert.equal(r.status, 2, args.join(" "));
  }
});

test("the shim's minimum is package.json's engines.node, and the shim is plain ES5", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
  const shim = readFileSync(BIN, "utf8");
  const need = /var need = \[(\d+), (\d+)\];/.exec(shim);
  assert.ok(need, "the shim declares `var need = [MAJOR, MINOR];`");
  assert.equal(pkg.engines.node, `>=${need[1]}.${need[2]}`);
  // No syntax an old Node.js cannot parse: no import/export statement, no import() or
  // import.meta outside the string, no let/const, arrow functions, template literals, ?. or ??.
  const code = shim.replace(/^#!.*\n/, "").replace(/^\s*\/\/.*$/gm, "").replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const bad of [/\bimport\b/, /\bexport\b/, /\b(?:let|const|class|async|await)\b/, /=>/, /`/, /\?\./, /\?\?/]) {
    assert.doesNotMatch(code, bad);
  }
});
