/**
 * The monitoring outputs end to end, against a lab with a slave in each state (in sync with
 * an excluded section, out of sync, pending, not joined, unreachable): `-o prometheus` (the
 * exact samples, promtool's check, `--output-file` written whole), `-o nagios` (the exact
 * status line and exit codes with and without thresholds), the text report (the grid
 * collapsed, `--summary`), `-o json` and `-o junit` (each slave's and section's state), `--diff` (the changed field of the row edited on the slave, in text
 * and as structured JSON changes), and a master that cannot be read (master_up 0, CRITICAL).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { oneReport } from "../cli/helpers.js";
import { startFleet } from "../helpers/fleet.js";
import { intoStates, STATES_LAB } from "../helpers/monitoring-fleet.js";
import { checkMetrics, needPromtool } from "../helpers/promtool.js";

const SLAVE_STATES = ["in_sync", "pending", "out_of_sync", "not_joined", "unreachable"];
const SECTION_STATES = ["in_sync", "pending", "out_of_sync", "excluded", "unknown"];

/** The samples of one metric, as lines. */
const samples = (text: string, name: string): string[] => text.split("\n").filter((l) => l.startsWith(`${name}{`));

test("every output mode against a slave in each state", async (t) => {
  const { f, shows, pending, edited } = await intoStates(await startFleet(t, STATES_LAB));
  if (!pending) t.diagnostic(`this lab's nodes give ${shows.lastModified ? "" : "no Last-Modified"}${shows.lastModified || shows.backlog ? "" : " and "}${shows.backlog ? "" : "no log backlog"}: a difference cannot be called pending in one look, so slave-3 is left stand-alone`);
  // What each slave is, and which of its sections are not in sync.
  const expected: Record<string, { state: string; sections: Record<string, string> | undefined }> = {
    "slave-1": { state: "in_sync", sections: { cache: "excluded" } },
    "slave-2": { state: "out_of_sync", sections: { access: "out_of_sync", cache: "excluded" } },
    "slave-3": pending ? { state: "pending", sections: { access: "pending", cache: "excluded" } } : { state: "not_joined", sections: undefined },
    "slave-4": { state: "not_joined", sections: undefined },
    "slave-5": { state: "unreachable", sections: undefined },
  };
  const names = Object.keys(expected);
  const count = (st: string): number => names.filter((n) => expected[n]!.state === st).length;

  await t.test("-o prometheus: the exact samples, and promtool's check", async (t) => {
    const r = await f.run(["verify", "-o", "prometheus"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, "", "nothing on stderr: the data is the metrics");
    const m = r.stdout;
    assert.deepEqual(samples(m, "safesquid_fleet_master_up"), ['safesquid_fleet_master_up{master="master"} 1']);
    assert.deepEqual(samples(m, "safesquid_fleet_slave_up"), names.map((n) => `safesquid_fleet_slave_up{master="master",slave="${n}"} ${n === "slave-5" ? 0 : 1}`));
    const answered = names.filter((n) => n !== "slave-5");
    assert.deepEqual(samples(m, "safesquid_fleet_slave_joined"), answered.map((n) => `safesquid_fleet_slave_joined{master="master",slave="${n}"} ${expected[n]!.state === "not_joined" ? 0 : 1}`));
    assert.deepEqual(samples(m, "safesquid_fleet_slave_in_sync"), answered.map((n) => `safesquid_fleet_slave_in_sync{master="master",slave="${n}"} ${n === "slave-1" ? 1 : 0}`));
    assert.deepEqual(
      samples(m, "safesquid_fleet_slave_state"),
      names.flatMap((n) => SLAVE_STATES.map((st) => `safesquid_fleet_slave_state{master="master",slave="${n}",state="${st}"} ${expected[n]!.state === st ? 1 : 0}`)),
    );
    assert.deepEqual(samples(m, "safesquid_fleet_slaves"), SLAVE_STATES.map((st) => `safesquid_fleet_slaves{master="master",state="${st}"} ${count(st)}`));
    // Per section: five samples each, one of them 1; what is not in sync is exactly as set up.
    const sections = samples(m, "safesquid_fleet_section_state");
    assert.ok(!sections.some((l) => l.includes('slave="slave-5"')), "no section of the slave that did not answer");
    for (const n of ["slave-1", "slave-2", ...(pending ? ["slave-3"] : [])]) {
      const mine = sections.filter((l) => l.includes(`slave="${n}"`));
      const on = mine.filter((l) => l.endsWith(" 1")).map((l) => /section="([^"]+)",state="([^"]+)"/.exec(l)!.slice(1) as [string, string]);
      assert.equal(mine.length, on.length * SECTION_STATES.length, `${n}: five samples per section`);
      assert.deepEqual(Object.fromEntries(on.filter(([, st]) => st !== "in_sync")), expected[n]!.sections, n);
    }
    assert.ok(sections.includes('safesquid_fleet_section_state{master="master",slave="slave-4",section="cache",state="excluded"} 1'));
    // The last sync: from the slaves' logs where they show one; never a NaN.
    const last = samples(m, "safesquid_fleet_slave_last_sync_timestamp_seconds");
    const ages = samples(m, "safesquid_fleet_slave_last_sync_age_seconds");
    // With a log backlog every slave that synced shows when; without one, only a slave whose
    // next attempt came while its log was read (racy: either is right, an invented time is not).
    const synced = ["slave-1", "slave-2", ...(pending ? ["slave-3"] : [])];
    const known = last.map((l) => /slave="([^"]+)"/.exec(l)![1]!);
    if (shows.backlog) assert.deepEqual(known, synced);
    else for (const n of known) assert.ok(synced.includes(n), `${n} has synced, to show when`);
    for (const l of last) assert.match(l, /\} 1\d{9}(\.\d{1,3})?$/);
    assert.deepEqual(ages.map((l) => /slave="([^"]+)"/.exec(l)![1]), known);
    for (const l of ages) assert.match(l, /\} \d+(\.\d{1,3})?$/);
    assert.match(samples(m, "safesquid_fleet_verify_duration_seconds")[0]!, /^safesquid_fleet_verify_duration_seconds\{master="master"\} \d+(\.\d{1,3})?$/);
    const stamp = Number(samples(m, "safesquid_fleet_verify_timestamp_seconds")[0]!.split(" ")[1]);
    assert.ok(Math.abs(stamp - Date.now() / 1000) < 600, "the run's time, as a Unix time in seconds");
    assert.doesNotMatch(m, /NaN|Inf/);
    if (!needPromtool(t)) return;
    const check = checkMetrics(m);
    assert.equal(check.code, 0, check.output);
  });

  await t.test("--output-file: the metrics written whole, nothing left beside them; a folder that cannot take it stops the run first", async () => {
    const dir = join(f.dir, "textfile");
    mkdirSync(dir);
    const r = await f.run(["verify", "-o", "prometheus", "--output-file", "textfile/safesquid.prom"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    assert.deepEqual(readdirSync(dir), ["safesquid.prom"], "no temporary file left");
    const text = readFileSync(join(dir, "safesquid.prom"), "utf8");
    assert.match(text, /^# HELP safesquid_fleet_master_up /);
    assert.ok(text.endsWith("\n"));
    const bad = await f.run(["verify", "-o", "prometheus", "--output-file", "no/such/folder/x.prom"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--output-file: cannot write into \S*no\/such\/folder/);
    assert.ok(!existsSync(join(f.dir, "no")));
  });

  await t.test("-o nagios: the status line, its perfdata, and exit codes 1, 2 and 0 by the thresholds", async () => {
    const listed = ["out_of_sync", "not_joined", "unreachable", "pending"]
      .map((st) => [st, names.filter((n) => expected[n]!.state === st)] as const)
      .filter(([, ns]) => ns.length)
      .map(([st, ns]) => `; ${st.replace(/_/g, " ")}: ${ns.join(", ")}`)
      .join("");
    const problems = count("out_of_sync") + count("not_joined") + count("unreachable");
    const perf = (w: string, c: string): string =>
      `problems=${problems};${w};${c};0;5 ${SLAVE_STATES.map((st) => `${st}=${count(st)};;;0;5`).join(" ")} sync_age=(\\d+s|U);;;0 duration=\\d+(\\.\\d+)?s;;;0`;
    const line = (state: string, w: string, c: string): RegExp =>
      new RegExp(`^SAFESQUID FLEET ${state} - 1 of 5 slaves in sync \\(master master\\)${listed}(; slave-[23] last synced \\S+ ago)? \\| ${perf(w, c)}\\n$`);
    const warn = await f.run(["verify", "-o", "nagios"]);
    assert.equal(warn.code, 1, warn.stderr);
    assert.match(warn.stdout, line("WARNING", "0", ""));
    assert.equal(warn.stderr, "");
    const crit = await f.run(["verify", "-o", "nagios", "--warning", "0", "--critical", "2"]);
    assert.equal(crit.code, 2);
    assert.match(crit.stdout, line("CRITICAL", "0", "2"));
    const ok = await f.run(["verify", "-o", "nagios", "-w", String(problems), "-c", "@10:20"]);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, line("OK", String(problems), "@10:20"));
    const usage = await f.run(["verify", "-o", "nagios", "-w", "lots"]);
    assert.equal(usage.code, 3, "a check that cannot run is UNKNOWN");
    assert.match(usage.stdout, /^SAFESQUID FLEET UNKNOWN - .*"lots" is not a range/);
  });

  await t.test("text: the grid collapses the slave in sync; --summary is one line per slave", async () => {
    const r = await f.run(["verify"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /\n {2}✓ every section in sync on 1 slave \(slave-1\), excluded ones aside\n/);
    assert.doesNotMatch(r.stdout.slice(r.stdout.search(/\n {2}SLAVE +access/)), /\n {2}slave-1 /, "slave-1 is not in the grid");
    const s = await f.run(["verify", "--summary"]);
    assert.equal(s.code, 1);
    assert.doesNotMatch(s.stdout, /SLAVE +access/);
    for (const n of names) assert.equal(s.stdout.split("\n").filter((l) => new RegExp(`^ {2}${n} +127\\.`).test(l)).length, 1, n);
    assert.match(s.stdout, /\n {2}slave-2 .*✗ out of sync .* access +\d/);
    if (pending) assert.match(s.stdout, /\n {2}slave-3 .*… pending .* access +\d/);
  });

  await t.test("-o json and -o junit: each slave's state and its sections, exit 1", async () => {
    const { r, report } = await f.json(["verify"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.nodes.map((n: any) => [n.name, n.status]),
      names.map((n) => [n, expected[n]!.state]),
    );
    for (const n of report.nodes) {
      const want = expected[n.name]!;
      if (want.sections === undefined) continue;
      const notInSync = Object.fromEntries(n.sections.filter((sec: any) => sec.status !== "in_sync").map((sec: any) => [sec.name, sec.status]));
      assert.deepEqual(notInSync, want.sections, n.name);
      assert.equal(n.joined, true, n.name);
      if (n.sync?.lastSyncedAt !== undefined) assert.ok(Date.parse(n.sync.lastSyncedAt) <= Date.now() + 1000, `${n.name}: a last sync in the past`);
    }
    assert.equal(report.nodes.find((n: any) => n.name === "slave-4").joined, false);
    assert.equal(report.nodes.find((n: any) => n.name === "slave-5").error.code, "UNREACHABLE");

    const j = await f.run(["verify", "-o", "junit"]);
    assert.equal(j.code, 1, j.stderr);
    assert.equal(j.stderr, "");
    // One testcase per slave ("joined and syncing") and per section it reported.
    const cases = [...j.stdout.matchAll(/<testcase classname="([^"]+)" name="([^"]+)" time="[\d.]+"(\/>|>\n\s*<(failure|skipped)[^>]*>)/g)].map((m) => ({ slave: m[1]!, name: m[2]!, outcome: m[4] ?? "passed" }));
    for (const n of names) {
      const mine = cases.filter((c) => c.slave === n);
      assert.deepEqual(mine.filter((c) => c.name === "joined and syncing").map((c) => c.outcome), [expected[n]!.state === "in_sync" ? "passed" : "failure"], n);
      if (expected[n]!.sections === undefined) continue; // not joined: its sections are whatever it has
      const sections = mine.filter((c) => c.name !== "joined and syncing" && c.outcome !== "passed");
      const want = Object.entries(expected[n]!.sections ?? {}).map(([sec, st]) => [sec, st === "excluded" ? "skipped" : "failure"]);
      assert.deepEqual(sections.map((c) => [c.name, c.outcome]).sort(), want.sort(), `${n}: its sections not in sync`);
    }
    const failures = cases.filter((c) => c.outcome === "failure").length;
    assert.match(j.stdout, new RegExp(`<testsuites name="safesquid-fleet verify" tests="${cases.length}" failures="${failures}" errors="0"`));
  });

  await t.test("--diff: the field edited on slave-2, as text and as structured changes", async () => {
    const r = await f.run(["verify", "slave-2", "--diff"]);
    assert.equal(r.code, 1);
    const block = r.stdout.slice(r.stdout.indexOf("Differences"), r.stdout.indexOf("Needs attention"));
    assert.match(block, /\n {2}slave-2 {2}access {2}out of sync\n/);
    assert.match(block, new RegExp(`\\n {4}~ allow row \\d+ "${edited.before.slice(0, 20)}[^\\n]*\\n {6}comment {2}master "${edited.before.replace(/\./g, "\\.")}"\\n {15}slave {2}"${edited.after.replace(/[()]/g, "\\$&")}"\\n`));
    assert.match(block, /\n {4}\+ allow row \d+ "changed by the monitoring test" only on the master\n/, "the master's change the slave could not take");

    const j = await f.run(["verify", "--diff", "access", "-o", "json"]);
    const doc = oneReport(j, "verify --diff access -o json");
    const s2 = doc.nodes.find((n: any) => n.name === "slave-2");
    assert.deepEqual(s2.diff.map((d: any) => d.section), ["access"]);
    const changed = s2.diff[0].changes.filter((c: any) => c.op === "change");
    assert.deepEqual(changed.map((c: any) => ({ subsection: c.subsection, label: c.label, fields: c.fields })), [{ subsection: "allow", label: edited.before, fields: [{ field: "comment", master: edited.before, slave: edited.after }] }]);
    assert.ok(s2.diff[0].changes.some((c: any) => c.op === "add" && c.label === "changed by the monitoring test"));
    assert.equal(doc.nodes.find((n: any) => n.name === "slave-1").diff.length, 0, "nothing differs on the slave in sync");
    const none = await f.run(["verify", "--diff", "nosuch"]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--diff: the master's document has no section "nosuch"/);
    assert.match(none.stderr, /put its name before --diff \(verify nosuch --diff\)/);
  });

  await t.test("a master that cannot be read: master_up 0 (exit 1), CRITICAL (exit 2)", async (t) => {
    await f.lab.master.faults.refuseConnections();
    const p = await f.run(["verify", "-o", "prometheus"]);
    assert.equal(p.code, 1, p.stderr);
    assert.deepEqual(
      p.stdout.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.replace(/ [\d.]+$/, " N")),
      ['safesquid_fleet_master_up{master="master"} N', 'safesquid_fleet_verify_duration_seconds{master="master"} N', 'safesquid_fleet_verify_timestamp_seconds{master="master"} N'],
    );
    assert.match(p.stdout, /^safesquid_fleet_master_up\{master="master"\} 0$/m);
    const n = await f.run(["verify", "-o", "nagios"]);
    assert.equal(n.code, 2);
    assert.match(n.stdout, /^SAFESQUID FLEET CRITICAL - the master master \(127\.[\d.]+:\d+\) could not be read: .*refused the connection \(3 tries, [^)]+ in all\) \| duration=[\d.]+s;;;0\n$/);
    await f.lab.master.faults.acceptConnections();
    if (needPromtool(t)) assert.equal(checkMetrics(p.stdout).code, 0);
  });
});
