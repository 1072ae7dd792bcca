/**
 * The sharded examples (examples/github-actions-sharded.yml, examples/kubernetes-sharded-job.yaml):
 * valid YAML, allow once then the shards then the merge, shard numbers that cover 1..N, every
 * command and flag they use known to the CLI, and secrets only from the secret store.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { parse, parseAllDocuments } from "yaml";
import { registerCommands } from "../../src/commands/index.js";

const read = (name: string): string => readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8");
const GH = "github-actions-sharded.yml";
const K8S = "kubernetes-sharded-job.yaml";

/** Every `safesquid-fleet ...` invocation in a text: its subcommand words and long flags. */
function invocations(text: string): { words: string[]; flags: string[]; line: string }[] {
  const out: { words: string[]; flags: string[]; line: string }[] = [];
  // Commands as a shell runs them: after `npx `, `exec `, `; ` or at the start of a line (not prose).
  const joined = text.replace(/\n\s+(?=--)/g, " ");
  for (const m of joined.matchAll(/(?:npx |exec |; |^\s*)safesquid-fleet ((?:[a-z][\w-]*\s+)*)([^>\n;|]*)/gm)) {
    const words = m[1]!.trim().split(/\s+/).filter(Boolean);
    out.push({ words, flags: [...m[2]!.matchAll(/(?<!\S)(--[a-z][\w-]*)/g)].map((f) => f[1]!), line: m[0].trim() });
  }
  return out;
}

test("the sharded recipes use only commands and flags the CLI has", () => {
  const program = new Command("safesquid-fleet");
  registerCommands(program);
  const used = [...invocations(read(GH)), ...invocations(read(K8S))];
  assert.ok(used.length >= 6, used.map((u) => u.line).join("\n"));
  for (const { words, flags, line } of used) {
    let cmd = program;
    for (const w of words) {
      const sub = cmd.commands.find((c) => c.name() === w);
      if (!sub) break;
      cmd = sub;
    }
    assert.equal(cmd.name(), words.at(-1), `${line}: no such command`);
    const known = new Set(cmd.options.map((o) => o.long));
    for (const f of flags) assert.ok(known.has(f), `${line}: ${f} is not an option of ${cmd.name()}`);
    if (words[0] === "allow") assert.ok(!flags.includes("--shard"), "allow runs once, unsharded");
  }
});

test("GitHub Actions: allow once, then a matrix of shards 1..N, then one merged JUnit report", () => {
  const wf = parse(read(GH)) as any;
  assert.deepEqual(Object.keys(wf.jobs), ["allow", "shards", "merge"]);
  assert.equal(wf.jobs.shards.needs, "allow");
  assert.deepEqual(wf.jobs.merge.needs, ["allow", "shards"]);
  assert.match(wf.jobs.merge.if, /always\(\)/, "the merge reports failed shards too");
  assert.equal(wf.jobs.shards.strategy["fail-fast"], false);
  const shards: number[] = wf.jobs.shards.strategy.matrix.shard;
  assert.deepEqual(shards, Array.from({ length: shards.length }, (_, i) => i + 1), "shards are numbered 1..N");
  const steps = (job: string): string => wf.jobs[job].steps.map((s: any) => s.run ?? "").join("\n");
  assert.match(steps("allow"), /npx safesquid-fleet allow -o json/);
  assert.match(steps("shards"), /npx safesquid-fleet apply .*--shard \$\{\{ matrix\.shard \}\}\/\$\{\{ strategy\.job-total \}\} -o json > shard-\$\{\{ matrix\.shard \}\}\.json/);
  assert.match(steps("merge"), /npx safesquid-fleet report merge shard-\*\.json -o junit > report\.xml/);
  const upload = wf.jobs.shards.steps.find((s: any) => String(s.uses).startsWith("actions/upload-artifact"));
  assert.equal(upload.if, "always()", "a failing shard's report is uploaded too");
  // One Node.js line for every job: a matrix of Node.js versions would change the fleet once per line.
  for (const job of Object.keys(wf.jobs)) {
    assert.deepEqual(Object.keys(wf.jobs[job].strategy?.matrix ?? {}).filter((k) => k !== "shard"), [], job);
    const setup = wf.jobs[job].steps.find((s: any) => String(s.uses).startsWith("actions/setup-node"));
    assert.equal(setup.with["node-version"], 24, job);
  }
});

test("Kubernetes: an Indexed Job whose completion index + 1 is the shard, N in one place", () => {
  const docs = parseAllDocuments(read(K8S)).map((d) => {
    assert.deepEqual(d.errors, []);
    return d.toJS() as any;
  });
  const job = (name: string): any => docs.find((d) => d.kind === "Job" && d.metadata.name === name);
  const shards = job("safesquid-fleet-shards");
  assert.equal(shards.spec.completionMode, "Indexed");
  const c = shards.spec.template.spec.containers[0];
  const n = Number(c.env.find((e: any) => e.name === "SHARDS").value);
  assert.equal(shards.spec.completions, n);
  assert.equal(shards.spec.parallelism, n);
  const script = c.command.join(" ");
  assert.match(script, /I=\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)/);
  assert.match(script, /safesquid-fleet apply .*--shard "\$I\/\$SHARDS" -o json > "\/reports\/shard-\$I\.json"/);
  assert.match(job("safesquid-fleet-allow").spec.template.spec.containers[0].command.join(" "), /safesquid-fleet allow -o json/);
  assert.match(job("safesquid-fleet-merge").spec.template.spec.containers[0].command.join(" "), /report merge \/reports\/shard-\*\.json -o junit/);
  assert.equal(shards.spec.template.spec.restartPolicy, "Never");
});

test("secrets come from the secret store into SAFESQUID_PASSWORD (the inventory's passwordEnv), never inline", () => {
  const gh = read(GH);
  const refs = [...gh.matchAll(/SAFESQUID_PASSWORD: (.*)/g)].map((m) => m[1]);
  assert.ok(refs.length >= 2);
  for (const r of refs) assert.equal(r, "${{ secrets.SAFESQUID_PASSWORD }}");
  assert.ok(!/pull_request_target/.test(gh));
  for (const d of parseAllDocuments(read(K8S)).map((x) => x.toJS() as any)) {
    assert.notEqual(d.kind, "Secret", "no Secret object with data in the example");
    for (const c of d.spec?.template?.spec?.containers ?? []) {
      for (const e of c.env ?? []) {
        if (/PASSWORD/.test(e.name)) assert.deepEqual(e.valueFrom, { secretKeyRef: { name: "safesquid-fleet", key: "password" } }, e.name);
      }
    }
  }
  for (const name of [GH, K8S]) assert.ok(!/password:\s*["']?\w/i.test(read(name)), name);
});
