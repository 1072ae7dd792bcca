/**
 * SIGINT and SIGTERM during a run of the built CLI, over pipes (the pseudo-terminal Ctrl-C is
 * in pty.test.ts): exit 130; the report still printed (text, or exactly one schema-valid JSON
 * document with `interrupted: true`); every slave that was mid-change says what was done to it
 * and what to do next, and the run record holds its previous values. A second signal stops at
 * once (exit 130). The signal is sent once the lab shows the run got that far (a slave down in
 * its restart), never after a sleep.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { startFleet } from "../helpers/fleet.js";
import { until } from "../helpers/lab.js";
import { assertNoEscapes, junit, oneReport, runRecords } from "./helpers.js";

const JOIN = ["join-slave", "--yes", "--no-backup-to-cloud"];

/** Sends `signal` to the CLI once `ready` holds. */
function interruptWhen(ready: () => boolean, signal: NodeJS.Signals, what: string, times = 1): { onSpawn: (c: ChildProcess) => void } {
  return {
    onSpawn: (child) => {
      void until(ready, what, 60_000).then(async () => {
        for (let i = 0; i < times; i++) {
          child.kill(signal);
          await new Promise((r) => setTimeout(r, 20));
        }
      });
    },
  };
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  test(`${signal} while slaves restart (text): exit 130, each slave says what was done and what next; the run record has the previous values`, async (t) => {
    const f = await startFleet(t, { slaves: 2, restartDowntimeMs: 60_000 });
    const [one, two] = f.lab.slaves;
    const r = await f.run([...JOIN, "--concurrency", "2"], {
      env: { NO_COLOR: undefined },
      timeoutMs: 90_000,
      ...interruptWhen(() => one!.restarts >= 1 && two!.restarts >= 1, signal, "both slaves restarting"),
    });
    assert.equal(r.signal, null);
    assert.equal(r.code, 130, r.stdout + r.stderr);
    assertNoEscapes(r);
    assert.match(r.stdout, /✗ interrupted before the run finished: 2 failed/);
    const unwrapped = r.stdout.replace(/\n {11}/g, " "); // continuation lines of "Needs attention"
    for (const name of ["slave-1", "slave-2"]) {
      const block = unwrapped.slice(unwrapped.indexOf(`  ${name}  ✗ failed: interrupted`));
      assert.ok(block.length < unwrapped.length, `${name} is in "Needs attention":\n${r.stdout}`);
      assert.match(block, /done: configuration saved, MASTER_IP \/ MASTER_PORT written \(read back\), restarted/);
      assert.match(block, new RegExp(`next: interrupted mid-change \\(previous values in the run record\\): run \`safesquid-fleet verify ${name}\` to see where it stands, then \`safesquid-fleet join-slave ${name}\``));
    }
    const rec = /run record \(previous values\): (\S+)/.exec(r.stdout)?.[1];
    assert.ok(rec, "the report names the run record");
    const [record] = runRecords(f.dir);
    assert.ok(rec.endsWith(record!.file));
    for (const name of ["slave-1", "slave-2"]) {
      const write = record!.entries.find((e) => e.node === name && e.action === "params-write");
      assert.deepEqual(write?.before, { MASTER_IP: "", MASTER_PORT: "" }, `${name}: previous values on disk`);
      assert.ok(record!.entries.some((e) => e.node === name && e.action === "restart"));
    }
  });
}

test("SIGTERM with -o json: exactly one schema-valid document, interrupted, exit 130", async (t) => {
  const f = await startFleet(t, { slaves: 2, restartDowntimeMs: 60_000 });
  const r = await f.run([...JOIN, "-o", "json", "--concurrency", "1"], { timeoutMs: 90_000, ...interruptWhen(() => f.lab.slaves[0]!.restarts >= 1, "SIGTERM", "slave-1 restarting") });
  assert.equal(r.code, 130, r.stdout + r.stderr);
  const doc = oneReport(r, "interrupted join-slave");
  assert.equal(doc.interrupted, true);
  assert.equal(doc.ok, false);
  const [one, two] = doc.nodes;
  assert.equal(one.status, "failed");
  assert.equal(one.error.code, "INTERRUPTED");
  assert.deepEqual(one.steps, ["configuration saved", "MASTER_IP / MASTER_PORT written (read back)", "restarted"]);
  assert.equal(two.status, "skipped", "slave-2 (concurrency 1) was never started");
  assert.match(two.warnings.join(" "), /not started: the run was interrupted/);
  assert.equal(f.lab.slaves[1]!.restarts, 0);
  assert.ok(doc.runRecord);
});

test("SIGINT during verify --wait: exit 130 with the report of what was seen, in text and junit", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  // Not joined: verify --wait polls until its deadline. --verbose shows each admin call on
  // stderr, so the signal goes once the slave was read twice (the wait has begun).
  for (const output of ["text", "junit"]) {
    const r = await f.run(["verify", "--wait", "10m", "--verbose", "-o", output], {
      timeoutMs: 90_000,
      onSpawn: (child) => {
        let err = "";
        let sent = false;
        child.stderr?.on("data", (d: Buffer) => {
          err += d.toString();
          if (!sent && (err.match(/^slave-1 +safesquid_params +200 /gm) ?? []).length === 2) sent = child.kill("SIGINT");
        });
      },
    });
    assert.equal(r.code, 130, `${output}: ${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stderr, /interrupted again/, "one signal was sent");
    if (output === "text") assert.match(r.stdout, /✗ interrupted before the run finished: 1 not joined/, r.stdout + r.stderr);
    else assert.equal(junit(r.stdout).failures >= 1, true, "the junit report of what was seen");
  }
});

test("a second SIGINT stops at once: exit 130, says so", async (t) => {
  const f = await startFleet(t, { slaves: 1, restartDowntimeMs: 60_000 });
  const r = await f.run(JOIN, { timeoutMs: 90_000, ...interruptWhen(() => f.lab.slaves[0]!.restarts >= 1, "SIGINT", "slave-1 restarting", 2) });
  // The second signal lands either while the run stops (our handler: "interrupted again", exit
  // 130) or during Node's own exit, after the report, when Node lets it end the process the
  // default way (killed by SIGINT, which shells and CI runners also show as 130).
  assert.ok(r.code === 130 || (r.code === null && r.signal === "SIGINT"), `exit ${r.code}, signal ${r.signal}\n${r.stdout}\n${r.stderr}`);
  if (r.code === 130) assert.match(r.stderr + r.stdout, /interrupted again: stopping now|interrupted before the run finished/);
});
