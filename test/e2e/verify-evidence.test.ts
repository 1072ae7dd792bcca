/**
 * What verify takes as evidence. A slave whose parameters name the master but that was never
 * restarted with them (its log shows no attempt, or none in a whole SYNCTIME) is not joined,
 * whatever log history its node keeps. And verify --wait judges against the master as it is now: a policy change on the master during
 * the wait, which the slaves take within seconds, ends the wait in_sync (not out_of_sync until
 * the deadline, as when the master was read once before polling). The master is read again
 * each round, with If-Modified-Since where it sends Last-Modified (seen at its socket). No
 * timing is asserted: a run that judged against a stale master would wait out its 2 minutes
 * and end out_of_sync.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin } from "../helpers/admin.js";
import { startFleet, type Fleet } from "../helpers/fleet.js";
import { nextSync, until } from "../helpers/lab.js";
import type { CapturedRequest } from "../../src/emulator/capture.js";

async function changeMaster(f: Fleet, comment: string): Promise<void> {
  const r = await admin(
    f.lab.master,
    `handler=configuration&section=access&subsection=allow&action=add&F0=FALSE&F1=${encodeURIComponent(comment)}&F2=FALSE&F3=&F4=&F5=&F6=10.99.0.1&F7=FALSE&F8=&F9=&F10_PROXY=on&F12=&F13=&F14=`,
    { localAddress: "127.0.0.1" },
  );
  assert.doesNotMatch(r.body, /<error/);
}

/** The tool's conf_xml reads (it connects from 127.0.0.1; slaves sync from their own addresses). */
const toolReads = (captured: CapturedRequest[]): CapturedRequest[] =>
  captured.filter((c) => /127\.0\.0\.1$/.test(c.remote) && c.params.some(([k, v]) => k === "handler" && v === "conf_xml"));

test("verify --wait: the master changes during the wait, the slaves take it, the wait ends in_sync", async (t) => {
  const f = await startFleet(t, { slaves: 2, capture: true });
  const [one, two] = f.lab.slaves;
  const applied = await f.json(["apply", "--yes", "--wait", "60s"]);
  assert.equal(applied.r.code, 0, applied.r.stdout + applied.r.stderr);

  // slave-2 falls behind: its sync is denied while the master changes.
  f.lab.master.faults.denySyncFrom(two!.host);
  const refused = nextSync(two!, "failed", 30_000);
  await changeMaster(f, "first change");
  await refused;

  const before = toolReads(f.lab.master.captured).length;
  const seen = toolReads(two!.captured).length;
  let changed = false;
  const waiting = f.json(["verify", "--wait", "2m"], {
    onSpawn: () => {
      // Once the wait has read slave-2 (behind), the master changes again and lets it sync.
      void until(() => toolReads(two!.captured).length > seen, "verify read slave-2", 60_000).then(async () => {
        await changeMaster(f, "second change");
        f.lab.master.faults.denySyncFrom();
        changed = true;
      });
    },
  });
  const done = await waiting;
  assert.ok(changed, "the master changed during the wait");
  assert.equal(done.r.code, 0, done.r.stdout + done.r.stderr);
  assert.deepEqual(done.report.nodes.map((n: any) => `${n.name}:${n.status}`), [`${one!.name}:in_sync`, `${two!.name}:in_sync`]);

  const reads = toolReads(f.lab.master.captured).slice(before);
  assert.ok(reads.length >= 2, `the master was read again during the wait (${reads.length} reads)`);
  const lastModified = (await admin(f.lab.master, { handler: "conf_xml" }, { localAddress: "127.0.0.1" })).headers["last-modified"];
  if (lastModified) assert.ok(reads.slice(1).some((r) => r.headers["if-modified-since"]), "re-read with If-Modified-Since where the master sends Last-Modified");
  else assert.ok(reads.every((r) => !r.headers["if-modified-since"]), "no If-Modified-Since to a master that sends no Last-Modified");
});

test("written but not restarted (--no-restart): verify says not joined, a restart pending, whatever log history the node keeps", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const written = await f.json(["join-slave", "--no-restart"]);
  assert.equal(written.r.code, 0, written.r.stdout + written.r.stderr);
  assert.equal(written.report.nodes[0].status, "skipped");
  const v = await f.json(["verify"]);
  assert.equal(v.r.code, 1);
  const n = v.report.nodes[0];
  assert.equal(n.status, "not_joined", JSON.stringify(n));
  assert.equal(n.joined, false);
  assert.match(n.warnings.join("\n"), /MASTER_IP \/ MASTER_PORT name this master but its log shows (no sync with it|it syncing with \S+), so a restart is pending: run `safesquid-fleet join-slave slave-1 /);
});
