/**
 * The monitoring renderers without a lab: `-o prometheus` (exact exposition for a slave in
 * each state, label escaping, the shard label, a master that could not be read, no sample for
 * what is unknown; promtool's own check) and `-o nagios` (the guidelines' range syntax, the
 * status line and perfdata for OK / WARNING / CRITICAL / UNKNOWN, thresholds on the count and
 * on the age of the last sync).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { NodeResult, RunReport } from "../../src/fleet/report.js";
import { alerts, DEFAULT_WARNING, parseRange, parseThresholds, renderNagios } from "../../src/report/nagios.js";
import { renderPrometheus } from "../../src/report/prometheus.js";
import { checkMetrics, needPromtool } from "../helpers/promtool.js";
import { VERIFY } from "./samples.js";

// VERIFY's slaves, with what their logs showed of their last sync (the run ends 10:01:02.500).
const synced = (n: NodeResult, at: string): NodeResult => ({ ...n, sync: { ...(n.sync ?? { target: "10.0.0.10:8080", at: "x", stamp: "x", outcome: "synchronized" }), lastSyncedAt: at } });
const REPORT: RunReport = {
  ...VERIFY,
  nodes: VERIFY.nodes.map((n) => (n.name === "pune-1" ? synced(n, "2025-11-26T10:00:41.000Z") : n.name === "pune-3" ? synced(n, "2025-11-26T09:01:02.500Z") : n)),
};

test("prometheus: every metric with HELP and TYPE, one slave in each state, nothing for what is unknown", () => {
  const text = renderPrometheus(REPORT);
  const lines = text.split("\n");
  const samples = (name: string): string[] => lines.filter((l) => l.startsWith(`${name}{`));
  assert.deepEqual(samples("safesquid_fleet_master_up"), ['safesquid_fleet_master_up{master="hq"} 1']);
  assert.deepEqual(samples("safesquid_fleet_slave_up"), [1, 2, 3, 4, 5].map((i) => `safesquid_fleet_slave_up{master="hq",slave="pune-${i}"} ${i === 5 ? 0 : 1}`));
  // pune-5 did not answer: nothing is known of it but that.
  assert.deepEqual(samples("safesquid_fleet_slave_joined"), [1, 2, 3, 4].map((i) => `safesquid_fleet_slave_joined{master="hq",slave="pune-${i}"} ${i === 4 ? 0 : 1}`));
  assert.deepEqual(samples("safesquid_fleet_slave_in_sync"), [1, 2, 3, 4].map((i) => `safesquid_fleet_slave_in_sync{master="hq",slave="pune-${i}"} ${i === 1 ? 1 : 0}`));
  assert.deepEqual(
    samples("safesquid_fleet_slave_state").filter((l) => l.endsWith(" 1")),
    ["in_sync", "pending", "out_of_sync", "not_joined", "unreachable"].map((st, i) => `safesquid_fleet_slave_state{master="hq",slave="pune-${i + 1}",state="${st}"} 1`),
  );
  assert.equal(samples("safesquid_fleet_slave_state").length, 25, "5 states per slave");
  assert.deepEqual(samples("safesquid_fleet_section_state").filter((l) => l.includes('slave="pune-1"') && l.endsWith(" 1")), [
    'safesquid_fleet_section_state{master="hq",slave="pune-1",section="access",state="in_sync"} 1',
    'safesquid_fleet_section_state{master="hq",slave="pune-1",section="profiles",state="in_sync"} 1',
    'safesquid_fleet_section_state{master="hq",slave="pune-1",section="sslcert",state="excluded"} 1',
    'safesquid_fleet_section_state{master="hq",slave="pune-1",section="cache",state="unknown"} 1',
  ]);
  assert.ok(samples("safesquid_fleet_section_state").includes('safesquid_fleet_section_state{master="hq",slave="pune-2",section="access",state="pending"} 1'));
  assert.ok(!text.includes('section_state{master="hq",slave="pune-5"'), "no section of a slave that did not answer");
  assert.deepEqual(samples("safesquid_fleet_slave_last_sync_timestamp_seconds"), [
    'safesquid_fleet_slave_last_sync_timestamp_seconds{master="hq",slave="pune-1"} 1764151241',
    'safesquid_fleet_slave_last_sync_timestamp_seconds{master="hq",slave="pune-3"} 1764147662.5',
  ]);
  assert.deepEqual(samples("safesquid_fleet_slave_last_sync_age_seconds"), [
    'safesquid_fleet_slave_last_sync_age_seconds{master="hq",slave="pune-1"} 21.5',
    'safesquid_fleet_slave_last_sync_age_seconds{master="hq",slave="pune-3"} 3600',
  ]);
  assert.deepEqual(samples("safesquid_fleet_slaves"), ["in_sync", "pending", "out_of_sync", "not_joined", "unreachable"].map((st) => `safesquid_fleet_slaves{master="hq",state="${st}"} 1`));
  assert.deepEqual(samples("safesquid_fleet_verify_duration_seconds"), ['safesquid_fleet_verify_duration_seconds{master="hq"} 62.5']);
  assert.deepEqual(samples("safesquid_fleet_verify_timestamp_seconds"), ['safesquid_fleet_verify_timestamp_seconds{master="hq"} 1764151262.5']);
  assert.doesNotMatch(text, /NaN|Inf/);
  // Every metric: HELP, then TYPE gauge, then its samples; the text ends with one line feed.
  const names = [...new Set(lines.filter((l) => l && !l.startsWith("#")).map((l) => l.slice(0, l.indexOf("{"))))];
  for (const name of names) {
    const i = lines.indexOf(lines.find((l) => l.startsWith(`# HELP ${name} `))!);
    assert.ok(i >= 0, `HELP for ${name}`);
    assert.equal(lines[i + 1], `# TYPE ${name} gauge`);
    assert.match(name, /^safesquid_fleet_[a-z_]+$/);
  }
  assert.ok(text.endsWith("\n") && !text.endsWith("\n\n"));
});

test("prometheus: promtool check metrics passes (names, HELP, TYPE, units)", (t) => {
  if (!needPromtool(t)) return;
  const r = checkMetrics(renderPrometheus(REPORT));
  assert.equal(r.code, 0, r.output);
  assert.equal(r.output.trim(), "", "no lint remark either");
});

test("prometheus: label values escaped; the shard label on the run's own series; a master that could not be read", (t) => {
  const odd = 'we"ird\\name\nx';
  const text = renderPrometheus({ ...REPORT, shard: { index: 2, count: 4 }, master: { name: odd, address: "a" }, nodes: [{ ...REPORT.nodes[0]!, sections: [{ name: odd, status: "in_sync" }] }] });
  assert.match(text, /^safesquid_fleet_master_up\{master="we\\"ird\\\\name\\nx",shard="2\/4"\} 1$/m);
  assert.match(text, /^safesquid_fleet_slave_up\{master="we\\"ird\\\\name\\nx",slave="pune-1"\} 1$/m, "a slave's series carry no shard: each slave is in one shard");
  assert.match(text, /^safesquid_fleet_verify_duration_seconds\{master="we\\"ird\\\\name\\nx",shard="2\/4"\} 62\.5$/m);
  const down = renderPrometheus({ ...REPORT, nodes: [], masterError: { code: "UNREACHABLE", message: "hq refused the connection" } });
  assert.deepEqual(
    down.split("\n").filter((l) => l && !l.startsWith("#")),
    ['safesquid_fleet_master_up{master="hq"} 0', 'safesquid_fleet_verify_duration_seconds{master="hq"} 62.5', 'safesquid_fleet_verify_timestamp_seconds{master="hq"} 1764151262.5'],
  );
  if (needPromtool(t)) for (const x of [text, down]) assert.equal(checkMetrics(x).code, 0, checkMetrics(x).output);
});

test("nagios: ranges as the monitoring plugins' guidelines define them", () => {
  const cases: [string, number[], number[]][] = [
    // range, values that alert, values that do not
    ["10", [-1, 11], [0, 10]],
    ["10:", [9], [10, 1e9]],
    ["~:10", [11], [-1e9, 10]],
    ["10:20", [9, 21], [10, 20]],
    ["@10:20", [10, 15, 20], [9, 21]],
    ["0", [1], [0]],
  ];
  for (const [text, yes, no] of cases) {
    const r = parseRange(text);
    for (const v of yes) assert.ok(alerts(r, v), `${text} alerts on ${v}`);
    for (const v of no) assert.ok(!alerts(r, v), `${text} does not alert on ${v}`);
  }
  assert.equal(parseRange("15m", true).end, 900);
  assert.equal(parseRange("15m", true).text, "900");
  for (const bad of ["", "x", "1:2:3", "20:10", "15m"]) assert.throws(() => parseRange(bad), /not a range|above its end/, bad);
  assert.deepEqual(parseThresholds("2,30m"), { problems: parseRange("2"), age: parseRange("1800") });
  assert.deepEqual(parseThresholds(",1h"), { age: parseRange("3600") });
  assert.throws(() => parseThresholds("1,2,3"), /at most two/);
});

test("nagios: one status line with perfdata; OK, WARNING, CRITICAL, UNKNOWN and their exit codes", () => {
  const allGood: RunReport = { ...REPORT, nodes: [REPORT.nodes[0]!] };
  assert.deepEqual(renderNagios(allGood, { warning: DEFAULT_WARNING, critical: {} }), {
    state: "OK",
    exitCode: 0,
    line: "SAFESQUID FLEET OK - 1 of 1 slave in sync (master hq) | problems=0;0;;0;1 in_sync=1;;;0;1 pending=0;;;0;1 out_of_sync=0;;;0;1 not_joined=0;;;0;1 unreachable=0;;;0;1 sync_age=0s;;;0 duration=62.5s;;;0\n",
  });
  const warn = renderNagios(REPORT, { warning: DEFAULT_WARNING, critical: {} });
  assert.equal(warn.exitCode, 1);
  // (how "an hour" is written is formatDuration's business)
  const age = warn.line.match(/pune-3 last synced (\S+) ago/)?.[1];
  assert.match(age ?? "", /^(60m00s|1h|1h00m|60m)$/);
  assert.equal(
    warn.line,
    `SAFESQUID FLEET WARNING - 1 of 5 slaves in sync (master hq); out of sync: pune-3; not joined: pune-4; unreachable: pune-5; pending: pune-2; pune-3 last synced ${age} ago | problems=3;0;;0;5 in_sync=1;;;0;5 pending=1;;;0;5 out_of_sync=1;;;0;5 not_joined=1;;;0;5 unreachable=1;;;0;5 sync_age=3600s;;;0 duration=62.5s;;;0\n`,
  );
  // Critical above 2 problem slaves; or by the age of the last sync of a slave that is behind.
  assert.equal(renderNagios(REPORT, { warning: parseThresholds("0"), critical: parseThresholds("2") }).state, "CRITICAL");
  assert.equal(renderNagios(REPORT, { warning: parseThresholds("5"), critical: parseThresholds("5") }).state, "OK");
  const byAge = renderNagios(REPORT, { warning: parseThresholds("5,10m"), critical: parseThresholds("5,2h") });
  assert.equal(byAge.state, "WARNING");
  assert.match(byAge.line, / sync_age=3600s;600;7200;0 /);
  // A slave in sync that last took sections long ago is not behind: its age raises nothing.
  const quiet: RunReport = { ...REPORT, nodes: [synced(REPORT.nodes[0]!, "2025-11-20T10:00:00.000Z")] };
  assert.equal(renderNagios(quiet, { warning: parseThresholds("0,1m"), critical: parseThresholds("0,1m") }).state, "OK");
  // Behind, but its log does not show when it last synced: U, and no alert from the age.
  const unknown = renderNagios({ ...REPORT, nodes: [REPORT.nodes[1]!] }, { warning: parseThresholds("5,1s"), critical: {} });
  assert.match(unknown.line, / sync_age=U;1;;0 /);
  assert.equal(unknown.state, "OK");
  assert.deepEqual(renderNagios(REPORT, { warning: {}, critical: {}, interrupted: true }), { state: "UNKNOWN", exitCode: 3, line: "SAFESQUID FLEET UNKNOWN - interrupted before the run finished\n" });
  const down = renderNagios({ ...REPORT, nodes: [], masterError: { code: "UNREACHABLE", message: "hq (10.0.0.10:8080) refused the connection" } }, { warning: DEFAULT_WARNING, critical: {} });
  assert.deepEqual(down, { state: "CRITICAL", exitCode: 2, line: "SAFESQUID FLEET CRITICAL - the master hq (10.0.0.10:8080) could not be read: hq (10.0.0.10:8080) refused the connection | duration=62.5s;;;0\n" });
  // Values from the network cannot break the line or drive a terminal.
  const hostile = renderNagios({ ...REPORT, nodes: [{ ...REPORT.nodes[2]!, name: "a\nb\u001b[2J|c" }] }, { warning: DEFAULT_WARNING, critical: {} });
  assert.equal(hostile.line.split("\n").length, 2);
  assert.equal(hostile.line.split("|").length, 2, "one | only: the one before the perfdata");
  assert.doesNotMatch(hostile.line, /\u001b/);
});
