/**
 * A command lists only the options it honours, and refuses the others with a reason (exit 2,
 * nothing read, the USAGE envelope with -o json), instead of ignoring them: allow takes no
 * --shard (one row for the whole fleet) and no --concurrency (one node), verify no --yes (it
 * asks nothing). allow --limit is honoured: only the named slaves go into the row.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../helpers/cli.js";
import { startFleet } from "../helpers/fleet.js";
import { envelope, offlineInventory } from "./helpers.js";

/** The long option names a command's --help lists. */
async function listed(command: string): Promise<string[]> {
  const r = await runCli([command, "--help"]);
  assert.equal(r.code, 0, r.stderr);
  return [...r.stdout.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]!);
}

test("--help lists only what the command honours", async () => {
  const allow = await listed("allow");
  assert.ok(allow.includes("--limit") && allow.includes("--dry-run") && allow.includes("--yes"), allow.join(" "));
  assert.ok(!allow.includes("--shard") && !allow.includes("--concurrency"), allow.join(" "));
  const verify = await listed("verify");
  assert.ok(verify.includes("--shard") && verify.includes("--concurrency"), verify.join(" "));
  assert.ok(!verify.includes("--yes"), verify.join(" "));
  for (const command of ["join-slave", "apply"]) {
    const all = await listed(command);
    for (const o of ["--yes", "--concurrency", "--shard", "--limit"]) assert.ok(all.includes(o), `${command} lists ${o}`);
  }
});

test("an option the command does not honour is refused with the reason, before anything is read", async (t) => {
  const inv = offlineInventory(t);
  const cases: [string[], RegExp][] = [
    [["allow", "--concurrency", "4"], /allow does not take --concurrency: it changes one node, the master/],
    [["allow", "--shard", "1/2"], /allow does not take --shard: it changes the master once for the whole fleet/],
    [["verify", "--yes"], /verify does not take --yes: it changes nothing and asks no yes\/no question/],
    [["verify", "-y"], /verify does not take --yes/],
  ];
  for (const [args, message] of cases) {
    const text = await runCli([...args, "-i", inv.file], { cwd: inv.dir });
    assert.equal(text.code, 2, `${args.join(" ")}: ${text.stderr}`);
    assert.match(text.stderr, message);
    assert.doesNotMatch(text.stderr, /unreachable|did not answer|192\\.0\\.2/i, "no node was contacted");
    const json = await runCli([...args, "-i", inv.file, "-o", "json"], { cwd: inv.dir });
    const doc = envelope(json, "USAGE", 2, args.join(" "));
    assert.match(doc.error.message, message);
  }
});

test("allow --limit: only the named slaves go into the allow row", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const r = await f.json(["allow", "--dry-run", "--limit", "slave-1"]);
  assert.equal(r.r.code, 0, r.r.stderr);
  const comment: string = r.report.nodes[0].row.after.comment;
  assert.match(comment, /slave-1/);
  assert.doesNotMatch(comment, /slave-2/);
  assert.equal(r.report.nodes[0].row.after.ip.length, 1);
});
