import { test } from "node:test";
import assert from "node:assert/strict";
import { stripVTControlCharacters } from "node:util";
import type { NodeResult, Report, RunReport } from "../../src/fleet/report.js";
import { unicodeSupported } from "../../src/report/symbols.js";
import { renderText } from "../../src/report/text.js";
import { ALLOW, ALLOW_DRY, APPLY, APPLY_STOPPED, HOSTILE_REPORT, JOIN, JOIN_DRY, SAMPLES, VERIFY } from "./samples.js";

const plain = (r: RunReport, width = 100): string => renderText(r, { color: false, unicode: true, width });
const lines = (text: string): string[] => text.split("\n");

for (const [name, report] of Object.entries(SAMPLES)) {
  test(`${name}: no escape code without colour; with colour the same text plus SGR codes only`, () => {
    const off = renderText(report, { color: false, unicode: true });
    assert.ok(!off.includes("\u001b"), "ESC in colourless output");
    const on = renderText(report, { color: true, unicode: true });
    assert.equal(stripVTControlCharacters(on), off);
    assert.ok(!on.replace(/\u001b\[[0-9;]*m/g, "").includes("\u001b"), "an escape that is not a colour");
    assert.ok(off.endsWith("\n") && !off.endsWith("\n\n"));
    for (const l of lines(off)) assert.equal(l, l.trimEnd(), "trailing spaces");
  });

  test(`${name}: ASCII symbols only when the terminal cannot show Unicode`, () => {
    if (name === "HOSTILE_REPORT") return; // its names are not ASCII on purpose (escaped, but \u202e shows as text)
    const text = renderText(report, { color: false, unicode: false });
    const wide = [...text].filter((ch) => ch.codePointAt(0)! > 0x7e);
    assert.deepEqual(wide, []);
  });
}

function columnOf(header: string, title: string): number {
  const i = header.indexOf(title);
  assert.ok(i >= 0, `${title} in ${header}`);
  return i;
}

test("join-slave: a table per slave, current → planned, aligned columns, the recap line", () => {
  const text = plain(JOIN);
  const ls = lines(text);
  assert.match(ls[0]!, /^join-slave {2}· {2}master hq 10\.0\.0\.10:8080 {2}· {2}inventory safesquid-fleet\.yaml$/);
  const header = ls.find((l) => l.includes("SLAVE"))!;
  const rows = ls.slice(0, ls.indexOf("Needs attention")).filter((l) => /^ {2}pune-\d /.test(l));
  assert.equal(rows.length, 5);
  const st = columnOf(header, "STATUS");
  const mp = columnOf(header, "MASTER_IP:PORT");
  for (const r of rows) {
    assert.match(r.slice(st), /^[✓=↺✗~] /, r);
    assert.notEqual(r[mp - 1], undefined);
    assert.equal(r[mp - 1], " ", r);
  }
  assert.ok(rows[0]!.includes("✓ joined") && rows[0]!.includes("10.0.0.5:8080 → 10.0.0.10:8080"));
  assert.ok(rows[2]!.includes("= unchanged") && rows[2]!.slice(mp).startsWith("10.0.0.10:8080 "));
  assert.ok(rows[3]!.includes("↺ rolled back") && rows[3]!.includes("10.0.0.5:8080 (restored)"));
  assert.equal(ls.at(-2), "✗ 2 joined, 1 unchanged, 1 rolled back (master unreachable from pune-4), 1 failed  ·  1m03s");
});

test("join-slave: failures carry the reason, what was done, and the next step; warnings name their node", () => {
  const text = plain(JOIN);
  const att = text.slice(text.indexOf("Needs attention"));
  assert.match(att, /pune-4 {2}↺ rolled back: pune-4 cannot reach the master 10\.0\.0\.10:8080 \(connection refused\)\n {10}master unreachable from pune-4; previous values in effect again/);
  assert.match(att, /done: params written, saved, restarted, previous values restored, restarted/);
  assert.match(att, /next: check the route and firewall from pune-4/);
  assert.match(att, /pune-5 {2}✗ failed: pune-5 \(10\.0\.1\.15:8080\) refused the connection\n {10}next: is SafeSquid running on 10\.0\.1\.15:8080\?/);
  assert.ok(!att.includes("pune-1 ") || !att.slice(0, att.indexOf("Warnings")).includes("pune-1"), "a joined node is not in Needs attention");
  assert.match(text, /Warnings\n {2}! pune-1: the master refuses pune-1 \(407\): run `safesquid-fleet allow`/);
  assert.match(text, /run record \(previous values\): \.safesquid-fleet\/runs\//);
});

test("join-slave --dry-run: planned with current and planned values, nothing changed", () => {
  const text = plain(JOIN_DRY);
  assert.match(text, /^join-slave \(dry run\)/);
  assert.match(text, /pune-1 +10\.0\.1\.11:8080 +~ planned +\(none\) → 10\.0\.0\.10:8080/);
  assert.match(text, /✓ 1 unchanged, 1 planned \(dry run: nothing was changed\)/);
  assert.ok(!text.includes("Needs attention"));
});

test("allow: the master's row before and after, changed fields marked, the moves", () => {
  const text = plain(ALLOW);
  assert.match(text, /hq +10\.0\.0\.10:8080 +✓ updated +2 +800ms/);
  assert.match(text, /\n {4}ALLOW ROW +BEFORE +AFTER\n/);
  assert.match(text, /\n {2}~ position +7 +2\n/);
  assert.match(text, /\n {4}enabled +yes +yes\n/);
  assert.match(text, /\n {2}~ ip +10\.0\.1\.11 +10\.0\.1\.11, 10\.0\.1\.12, 10\.0\.1\.13\n/);
  assert.match(text, /moves\n {4}moved the row from position 7 to 2/);
  const dry = plain(ALLOW_DRY);
  assert.match(dry, /\n {2}~ ip +- +10\.0\.1\.11/);
  assert.match(dry, /1 planned \(dry run: nothing was changed\)/);
});

test("allow: a long address list wraps inside its column", () => {
  const ips = Array.from({ length: 40 }, (_, i) => `10.0.1.${i + 1}`);
  const r: RunReport = { ...ALLOW, nodes: [{ ...ALLOW.nodes[0]!, row: { ...ALLOW.nodes[0]!.row!, after: { ...ALLOW.nodes[0]!.row!.after!, ip: ips } } }] };
  const text = plain(r, 80);
  for (const l of lines(text)) if (l.includes("10.0.1.3")) assert.ok(l.length <= 80 + 20, l);
  for (const ip of ips) assert.ok(text.includes(ip + ",") || text.includes(ip + "\n"), ip);
});

test("verify: slave lines, the slave × section grid with symbols, the legend", () => {
  const text = plain(VERIFY);
  const ls = lines(text);
  // Joined: the master it synced with is this one, not repeated; no age known, so the stamp.
  assert.match(text, /pune-3 +10\.0\.1\.13:8080 +✗ out of sync +yes +failed 2025 11 26 09:58:02\.000 +12s$/m);
  const gh = ls.find((l) => /^ {2}SLAVE +access +profiles +sslcert +cache$/.test(l));
  assert.ok(gh, text);
  const grid = ls.slice(ls.indexOf(gh!) + 1, ls.indexOf(gh!) + 6);
  const cell = (row: number, section: string): string => grid[row]![columnOf(gh!, section)] ?? " ";
  assert.deepEqual(["access", "profiles", "sslcert", "cache"].map((s) => cell(0, s)), ["✓", "✓", "–", "?"]);
  assert.deepEqual(["access", "profiles", "sslcert"].map((s) => cell(1, s)), ["…", "✓", "✓"]);
  assert.equal(cell(2, "access"), "✗");
  assert.equal(grid[3]!.trim(), "pune-4");
  assert.match(text, /✓ in sync {3}✗ out of sync {3}… pending {3}– excluded \(NEVER_SYNC\) {3}\? unknown/);
  assert.match(text, /pune-2 {2}… pending: access pending \(changed on the master 20s ago\)/);
  // Its warning is said once, here (reason, then its fix as the next step), not again under Warnings.
  assert.match(text, /pune-3 {2}✗ out of sync: last sync failed: 407 from the master\n +the master refuses pune-3 \(407\)\n +access out of sync \(differs from the master for 3m\)\n +next: run `safesquid-fleet allow`\n/);
  assert.doesNotMatch(text, /^Warnings/m);
  assert.match(text, /pune-4 {2}✗ not joined: its startup parameters do not name this master\n +next: run `safesquid-fleet join-slave pune-4`/);
  assert.match(text, /pune-5 {2}✗ unreachable: pune-5 did not answer within 10s/);
  assert.equal(ls.at(-2), "✗ 1 in sync, 1 pending, 1 out of sync, 1 not joined, 1 unreachable  ·  1m03s");
});

test("verify: about 30 sections are cut into blocks that fit the width; ASCII symbols without Unicode", () => {
  const names = Array.from({ length: 30 }, (_, i) => `section${String(i).padStart(2, "0")}`);
  const node = (n: number): NodeResult => ({ name: `slave-${n}`, role: "slave", address: `10.0.1.${n}:8080`, status: "in_sync", durationMs: 5, joined: true, sections: names.map((name, i) => ({ name, status: i === 7 ? "out_of_sync" : i === 9 ? "excluded" : "in_sync" })) });
  const r: RunReport = { ...VERIFY, nodes: [node(1), node(2)] };
  const text = renderText(r, { color: false, unicode: false, width: 60 });
  const headers = lines(text).filter((l) => l.startsWith("  SLAVE   "));
  assert.ok(headers.length >= 4, text);
  for (const h of headers) assert.ok(h.length <= 60, h);
  for (const n of names) assert.equal(headers.filter((h) => h.includes(n)).length, 1, n);
  const h = headers.find((l) => l.includes("section07"))!;
  const row = lines(text)[lines(text).indexOf(h) + 1]!;
  assert.equal(row[h.indexOf("section07")], "x");
  assert.match(text, /\+ in sync {3}x out of sync {3}\. pending {3}- excluded \(NEVER_SYNC\) {3}\? unknown/);
});

test("apply: the three phases, per-phase attention and recap", () => {
  const text = plain(APPLY);
  const at = (s: string): number => text.indexOf(s);
  assert.ok(at("\nallow\n") < at("\njoin-slave\n") && at("\njoin-slave\n") < at("\nverify\n"), text);
  assert.match(text, /pune-2 \(join-slave\) {2}↺ rolled back: did not come back within 2m; previous values in effect again/);
  assert.match(text, /pune-2 \(verify\) {6}✗ not joined/);
  assert.match(text, /✗ apply {2}· {2}1m03s\n {2}allow: 1 updated\n {2}join-slave: 1 joined, 1 rolled back \(did not come back within 2m\)\n {2}verify: 1 in sync, 1 not joined\n$/);
  const stopped = plain(APPLY_STOPPED);
  assert.match(stopped, /\njoin-slave\n {2}skipped: stopped after allow: the master is not ready\n/);
  assert.match(stopped, /\n {2}verify: skipped: stopped after allow: the master is not ready\n$/);
  assert.match(stopped, /hq \(allow\) {2}✗ failed: the change would shut the tool out of hq\n +next: add 127\.0\.0\.1/);
});

test("a hostile name or comment cannot drive the terminal (ESC, BEL, RLO are shown escaped)", () => {
  for (const color of [false, true]) {
    const text = renderText(HOSTILE_REPORT, { color, unicode: true });
    const withoutOurColours = text.replace(/\u001b\[[0-9;]*m/g, "");
    assert.ok(!withoutOurColours.includes("\u001b"), "ESC");
    assert.ok(!text.includes("\u202e") && !text.includes("\u0007"), "RLO or BEL");
    assert.ok(stripVTControlCharacters(text).includes("evil\\x1b[31mRED\\x1b]0;pwned\\x07\\u202etxt.exe"));
  }
});

test("an interrupted run says so; notes and the shard are shown", () => {
  const text = plain({ ...JOIN, interrupted: true, exitCode: 130, notes: ["join and verify only: allow runs before the shards"], shard: { index: 2, count: 3 } });
  assert.match(lines(text)[0]!, /shard 2\/3$/);
  assert.match(text, /note: join and verify only: allow runs before the shards/);
  assert.match(text, /✗ interrupted before the run finished: 2 joined/);
});

test("no slaves selected reads as such; an empty shard or merge says why, not 'see --limit'", () => {
  assert.match(plain({ ...VERIFY, nodes: [], summary: {} }), /no slaves selected[\s\S]*no nodes/);
  assert.match(plain({ ...VERIFY, nodes: [], summary: {}, shard: { index: 3, count: 4 } }), /\n {2}no slaves: shard 3\/4 holds none of the selected slaves\n/);
  const merged: Report["MergeInfo"] = { count: 2, shards: [{ index: 2, file: "s2.json", exitCode: 0, nodes: 0 }], missing: [1], failed: [] };
  const text = plain({ ...VERIFY, nodes: [], summary: {}, merged });
  assert.match(text, /\n {2}no slaves: the merged reports hold none \(1 of 2 shards\)\n/);
  assert.doesNotMatch(text, /--limit/);
});

test("Unicode symbols unless the terminal or the locale cannot show them", () => {
  assert.equal(unicodeSupported({ LANG: "en_US.UTF-8", TERM: "xterm-256color" }, "linux"), true);
  assert.equal(unicodeSupported({}, "linux"), true);
  assert.equal(unicodeSupported({ LANG: "C" }, "linux"), false);
  assert.equal(unicodeSupported({ LC_ALL: "POSIX", LANG: "en_US.UTF-8" }, "linux"), false);
  assert.equal(unicodeSupported({ LANG: "de_DE.ISO-8859-1" }, "darwin"), false);
  assert.equal(unicodeSupported({ LANG: "C.UTF-8" }, "linux"), true);
  assert.equal(unicodeSupported({ TERM: "linux" }, "linux"), false);
  assert.equal(unicodeSupported({}, "win32"), false);
  assert.equal(unicodeSupported({ WT_SESSION: "1" }, "win32"), true);
});

test("apply without phases: the slaves' verify view, with their join-slave outcome under attention", () => {
  const text = plain({ ...APPLY, phases: undefined } as RunReport);
  assert.match(text, /pune-2 +10\.0\.1\.12:8080 +✗ not joined/);
  assert.match(text, /pune-2 {2}✗ not joined: its startup parameters do not name this master\n +join-slave: rolled back \(did not come back within 2m\)\n +next: look at pune-2's console/);
});

test("many sections not in sync are grouped and wrapped to the width; a long row comment wraps", () => {
  const detail = "differs from the master; the master changed 279ms ago (sync interval 2s)";
  const names = ["dnsbl", "general", "keywords-filtering", "limits", "network", "profiles", "sslcert"];
  const node: NodeResult = { name: "slave-1", role: "slave", address: "127.77.0.2:42427", status: "not_joined", joined: false, durationMs: 5, sections: names.map((name) => ({ name, status: "pending", detail })) };
  const text = plain({ ...VERIFY, nodes: [node] }, 80);
  const att = text.slice(text.indexOf("Needs attention"));
  assert.match(att, /slave-1 {2}✗ not joined: its startup parameters do not name this master\n {11}dnsbl, general, keywords-filtering,/);
  assert.equal(att.split(detail.slice(0, 20)).length, 2, "the shared detail once");
  for (const l of lines(att)) assert.ok(l.length <= 80, l);
  const comment = "Allow slave proxy servers in the cluster to sync policies. Managed by safesquid-fleet. Slaves: slave-1 (127.77.0.2), slave-2 (127.77.0.3)";
  const r: RunReport = { ...ALLOW, nodes: [{ ...ALLOW.nodes[0]!, row: { ...ALLOW.nodes[0]!.row!, after: { ...ALLOW.nodes[0]!.row!.after!, comment } } }] };
  for (const l of lines(plain(r, 80))) assert.ok(l.length <= 80, l);
});
