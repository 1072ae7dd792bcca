/**
 * SIGINT and SIGTERM during a run of the built CLI, over pipes (the pseudo-terminal Ctrl-C is
 * in pty.test.ts): exit 130; the report still printed (text, or exactly one schema-valid JSON
 * document with `interrupted: true`); every slave that was mid-change says what was done to it
 * and what to do next, and the run record holds its previous values. A second signal stops at
 * once (exit 130). With stdout a pipe, a short summary goes to stderr too (`apply | tee`, where
 * Ctrl-C kills tee). The signal is sent once the lab shows the run got that far (a slave down
 * in its restart), never after a sleep.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BIN } from "../helpers/cli.js";
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
    const master = `MASTER_IP=${f.lab.master.host}, MASTER_PORT=${f.lab.port}`;
    const inv = f.inventory.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const name of ["slave-1", "slave-2"]) {
      const block = unwrapped.slice(unwrapped.indexOf(`  ${name}  ✗ failed: interrupted`));
      assert.ok(block.length < unwrapped.length, `${name} is in "Needs attention":\n${r.stdout}`);
      // Exactly what it was doing, and that nobody watched it come back.
      assert.ok(block.startsWith(`  ${name}  ✗ failed: interrupted while restarting with ${master}; not observed after the interrupt (it comes back on its own with these values)`), block);
      assert.match(block, /done: configuration saved, MASTER_IP \/ MASTER_PORT written \(read back\), restarted/);
      // The next step runs as printed: it keeps the -i FILE the run was given.
      assert.match(block, new RegExp(`next: run \`safesquid-fleet verify ${name} -i ${inv}\` to see where it stands \\(its previous values are in the run record\\), then \`safesquid-fleet join-slave ${name} -i ${inv}\`, or \`safesquid-fleet undo --limit ${name} -i ${inv}\` to put it back as before the run`));
    }
    // stdout is a pipe here: the short summary goes to stderr too.
    assert.match(r.stderr, new RegExp(`^interrupted: join-slave stopped before it finished \\(exit 130\\)\n  slave-1: interrupted while restarting with ${master}; not observed after the interrupt`, "m"));
    assert.match(r.stderr, new RegExp(`  next: \`safesquid-fleet verify -i ${inv}\` shows where each node stands`));
    const rec = /run record \(previous values\): (\S+)/.exec(r.stdout)?.[1];
    assert.ok(rec, "the report names the run record");
    assert.ok(r.stderr.includes(`  run record (previous values): ${rec}\n`), "so does the summary on stderr");
    assert.ok(r.stderr.includes(`  undo: \`safesquid-fleet undo ${rec} -i ${f.inventory}\` puts back what this run changed\n`), r.stderr);
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
  assert.match(one.error.message, /^interrupted while restarting with MASTER_IP=\S+, MASTER_PORT=\d+; not observed after the interrupt/);
  assert.match(one.error.hint, /^run `safesquid-fleet verify slave-1 -i \S+` to see where it stands/);
  assert.match(r.stderr, /^interrupted: join-slave stopped before it finished \(exit 130\)\n  slave-1: interrupted while restarting with .*\n  not started: 1 slave\n  run record \(previous values\): \S+\.jsonl\n/m, "-o json: the summary is on stderr");
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

test("`apply | tee out.txt` and Ctrl-C (SIGINT to the whole pipeline: tee dies too): the summary reaches stderr, with the run record", async (t) => {
  const f = await startFleet(t, { slaves: 2, restartDowntimeMs: 60_000 });
  const out = join(f.dir, "out.txt");
  const line = `"${process.execPath}" "${BIN}" apply --yes -i "${f.inventory}" | tee "${out}"`;
  // A process group of its own, as a shell's job is: Ctrl-C at a terminal signals the whole group.
  const child = spawn("sh", ["-c", line], { cwd: f.dir, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  t.after(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  });
  await until(() => f.lab.slaves.every((s) => s.restarts >= 1), "both slaves restarting", 90_000);
  process.kill(-child.pid!, "SIGINT");
  await closed;
  assert.match(stderr, /^interrupted: apply stopped before it finished \(exit 130\)$/m, stderr);
  for (const name of ["slave-1", "slave-2"]) {
    assert.match(stderr, new RegExp(`^  ${name}: interrupted while restarting with MASTER_IP=${f.lab.master.host.replace(/\./g, "\\.")}, MASTER_PORT=${f.lab.port}; not observed after the interrupt`, "m"));
  }
  const rec = /^ {2}run record \(previous values\): (\S+)$/m.exec(stderr)?.[1];
  assert.ok(rec && existsSync(join(f.dir, rec)), `the summary names the run record: ${stderr}`);
  assert.match(stderr, /^ {2}next: `safesquid-fleet verify -i \S+fleet\.yaml` shows where each node stands$/m);
});

test("after Ctrl-C, the undo command the stderr summary prints runs as printed and puts the slaves back as before the run", async (t) => {
  const f = await startFleet(t, { slaves: 2, restartDowntimeMs: 4000 });
  const r = await f.run([...JOIN, "--concurrency", "2"], { timeoutMs: 90_000, ...interruptWhen(() => f.lab.slaves.every((s) => s.restarts >= 1), "SIGINT", "both slaves restarting") });
  assert.equal(r.code, 130, r.stdout + r.stderr);
  const line = /^ {2}undo: `([^`]+)` puts back what this run changed$/m.exec(r.stderr)?.[1];
  assert.ok(line, r.stderr);
  const words = line.split(" ");
  assert.deepEqual([words[0], words[1], words.at(-2), words.at(-1)], ["safesquid-fleet", "undo", "-i", f.inventory], line);
  // The slaves come back on their own with the new values; then the printed command puts them back.
  for (const s of f.lab.slaves) await s.waitForStatus("up", 60_000);
  const undo = await f.json([...words.slice(1), "--yes"]);
  assert.equal(undo.r.code, 0, undo.r.stdout + undo.r.stderr);
  assert.deepEqual(undo.report.nodes.map((n: any) => `${n.name}:${n.status}`).sort(), ["slave-1:restored", "slave-2:restored"]);
  for (const s of f.lab.slaves) assert.equal(s.effectiveParams().get("MASTER_IP"), "", `${s.name}: stand-alone again, in effect`);
});

test("Ctrl-C during a rolling restart or a detach: each slave says what it was restarting with, not observed; next steps run as printed", async (t) => {
  const f = await startFleet(t, { slaves: 2, joinSlaves: true, restartDowntimeMs: 60_000 });
  const [one, two] = f.lab.slaves;
  const inv = f.inventory.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const master = `MASTER_IP=${f.lab.master.host}, MASTER_PORT=${f.lab.port}`;
  const r = await f.json(["restart", "slave-1", "--yes"], { timeoutMs: 90_000, ...interruptWhen(() => one!.restarts >= 1, "SIGINT", "slave-1 restarting") });
  assert.equal(r.r.code, 130, r.r.stdout + r.r.stderr);
  const n = r.report.nodes.find((x: any) => x.name === "slave-1");
  assert.equal(n.error.code, "INTERRUPTED");
  assert.equal(n.error.message, `interrupted while restarting with ${master}; not observed after the interrupt (it comes back on its own with these values)`);
  assert.match(n.error.hint, new RegExp(`^run \`safesquid-fleet verify slave-1 -i ${inv}\` to see where it stands .*, then \`safesquid-fleet restart slave-1 -i ${inv}\`$`), "no undo: a restart leaves nothing to put back");
  assert.match(r.r.stderr, /^interrupted: restart stopped before it finished \(exit 130\)$/m);
  assert.doesNotMatch(r.r.stderr, /^ {2}undo:/m);

  const d = await f.json(["detach", "slave-2", "--yes"], { timeoutMs: 90_000, ...interruptWhen(() => two!.restarts >= 1, "SIGINT", "slave-2 restarting") });
  assert.equal(d.r.code, 130, d.r.stdout + d.r.stderr);
  const m = d.report.nodes.find((x: any) => x.name === "slave-2");
  assert.equal(m.error.message, "interrupted while restarting stand-alone (MASTER_IP / MASTER_PORT empty); not observed after the interrupt (it comes back on its own, stand-alone)");
  assert.match(m.error.hint, new RegExp(`then \`safesquid-fleet detach slave-2 -i ${inv}\`, or \`safesquid-fleet undo --limit slave-2 -i ${inv}\` to put it back as before the run$`));
  assert.match(d.r.stderr, new RegExp(`^ {2}undo: \`safesquid-fleet undo \\S+detach\\S+\\.jsonl -i ${inv}\` puts back what this run changed$`, "m"));
});
