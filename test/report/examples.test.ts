import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { parse } from "yaml";
import { registerCommands } from "../../src/commands/index.js";

const read = (name: string): string => readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8");
const RECIPES = ["github-actions.yml", "gitlab-ci.yml"];

/** The command a recipe line runs, as a chain of subcommands, and the long flags it passes. */
function commandsIn(text: string): { words: string[]; flags: string[]; line: string }[] {
  const out: { words: string[]; flags: string[]; line: string }[] = [];
  for (const m of text.matchAll(/npx safesquid-fleet ([^>\n|]+)/g)) {
    const args = m[1]!.trim().split(/\s+/);
    const firstOption = args.findIndex((a) => a.startsWith("-"));
    out.push({ words: firstOption < 0 ? args : args.slice(0, firstOption), flags: args.filter((a) => a.startsWith("--")), line: m[0] });
  }
  return out;
}

function find(program: Command, words: string[]): Command {
  let cmd = program;
  for (const w of words) {
    const sub = cmd.commands.find((c) => c.name() === w);
    if (!sub) break;
    cmd = sub;
  }
  return cmd;
}

test("the CI recipes are valid YAML and run the three jobs the README promises", () => {
  for (const name of RECIPES) {
    const text = read(name);
    assert.doesNotThrow(() => parse(text), name);
    assert.match(text, /npm ci /, name);
    assert.match(text, /npx safesquid-fleet inventory validate\n/, name);
    assert.match(text, /npx safesquid-fleet apply --dry-run --detailed-exitcode -o json > plan\.json\n/, name);
    assert.match(text, /npx safesquid-fleet verify --wait 5m -o junit > report\.xml\n/, name);
  }
  const gl = parse(read("gitlab-ci.yml")) as Record<string, { artifacts?: { reports?: { junit?: string } }; allow_failure?: unknown }>;
  assert.equal(gl.verify!.artifacts!.reports!.junit, "report.xml");
  assert.deepEqual(gl.plan!.allow_failure, { exit_codes: [3] });
});

test("secrets come from the CI's secret store into SAFESQUID_PASSWORD, never inline", () => {
  const gh = read("github-actions.yml");
  for (const m of gh.matchAll(/SAFESQUID_PASSWORD: (.*)/g)) assert.equal(m[1], "${{ secrets.SAFESQUID_PASSWORD }}");
  for (const name of RECIPES) assert.ok(!/password:\s*["']?\w/i.test(read(name).replace(/SAFESQUID_PASSWORD: \$\{\{ secrets\.SAFESQUID_PASSWORD \}\}/g, "")), name);
  assert.ok(!/pull_request_target/.test(gh.replace(/# Not pull_request_target.*\n/, "")));
});

test("every command and flag the recipes use exists in the CLI", () => {
  const program = new Command("safesquid-fleet");
  registerCommands(program);
  const used = RECIPES.flatMap((n) => commandsIn(read(n)));
  assert.ok(used.length >= 6);
  for (const { words, flags, line } of used) {
    const cmd = find(program, words);
    assert.equal(cmd.name(), words.at(-1), `${line}: no such command`);
    const known = new Set(cmd.options.flatMap((o) => [o.long, o.negate ? o.long : undefined]).filter(Boolean));
    for (const f of flags) assert.ok(known.has(f), `${line}: ${f} is not an option of ${cmd.name()}`);
  }
});

test("the recipes validate on every Node.js line the tool is tested on, and talk to gateways on one", () => {
  // The lines the bin shim names ("tested on 20, 22 and 24"): one list for the shim, the README and the recipes.
  const named = /tested on ([\d, ]+) and (\d+)\)/.exec(readFileSync(new URL("../../bin/safesquid-fleet.js", import.meta.url), "utf8"));
  assert.ok(named, "the shim names the tested Node.js lines");
  const lines = [...named[1]!.split(", "), named[2]!].map(Number);
  assert.deepEqual(lines, [20, 22, 24]);
  const gh = parse(read("github-actions.yml")) as { jobs: Record<string, { strategy?: { matrix: { node: number[] } }; steps: { uses?: string; with?: Record<string, unknown> }[] }> };
  const nodeOf = (job: string): unknown => gh.jobs[job]!.steps.find((s) => String(s.uses).startsWith("actions/setup-node"))!.with!["node-version"];
  assert.deepEqual(gh.jobs.validate!.strategy!.matrix.node, lines);
  assert.equal(nodeOf("validate"), "${{ matrix.node }}");
  for (const job of ["plan", "verify"]) {
    assert.equal(gh.jobs[job]!.strategy, undefined, `${job} contacts gateways: once, not once per Node.js line`);
    assert.equal(nodeOf(job), lines.at(-1));
  }
  const gl = parse(read("gitlab-ci.yml")) as Record<string, { image?: string; parallel?: unknown }>;
  assert.equal(gl["validate-inventory"]!.image, "node:${NODE_VERSION}");
  assert.deepEqual(gl["validate-inventory"]!.parallel, { matrix: [{ NODE_VERSION: lines.map(String) }] });
  assert.equal(gl.default!.image, `node:${lines.at(-1)}`);
  for (const job of ["plan", "verify"]) assert.equal(gl[job]!.parallel, undefined, job);
});
