/**
 * verify's other views without a lab: the default text report collapses the slaves whose
 * every section is in sync, `--summary` gives one line per slave, `--diff` a "Differences"
 * block (plan-like, credentials never shown); the `--watch` view (worst first, fits the
 * terminal's width and height) and the in-place redraw (cursor hidden, moved up over the last
 * frame, shown again at the end, also when the process exits another way).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { NodeResult, RunReport } from "../../src/fleet/report.js";
import { LiveView } from "../../src/report/live.js";
import { renderText } from "../../src/report/text.js";
import { renderWatch, worstFirst } from "../../src/report/watch.js";
import { visibleWidth } from "../../src/report/table.js";
import { VERIFY } from "./samples.js";

const plain = (r: RunReport, o: { summary?: boolean; width?: number } = {}): string => renderText(r, { color: false, unicode: true, width: o.width ?? 100, ...(o.summary ? { summary: true } : {}) });
const fine = (name: string, n: number): NodeResult => ({
  name,
  role: "slave",
  address: `10.0.1.${n}:8080`,
  status: "in_sync",
  durationMs: 5,
  joined: true,
  sections: [
    { name: "access", status: "in_sync" },
    { name: "cache", status: "excluded", detail: "in the slave's NEVER_SYNC" },
  ],
});

test("text: slaves whose every section is in sync (excluded aside) leave the grid for one line", () => {
  const r: RunReport = { ...VERIFY, nodes: [fine("ok-1", 1), ...VERIFY.nodes, fine("ok-2", 2)] };
  const text = plain(r);
  const grid = text.slice(text.search(/\n {2}SLAVE +access/), text.indexOf("✓ every section in sync"));
  assert.doesNotMatch(grid, /ok-1|ok-2/, grid);
  assert.match(grid, /pune-2/);
  assert.match(text, /\n {2}✓ every section in sync on 2 slaves \(ok-1, ok-2\), excluded ones aside\n/);
  assert.match(text, /ok-1 +10\.0\.1\.1:8080 +✓ in sync/, "still in the slave table");
  const allFine = plain({ ...VERIFY, nodes: [fine("ok-1", 1), fine("ok-2", 2)], exitCode: 0, ok: true });
  assert.match(allFine, /\n {2}✓ every section in sync on all 2 slaves, excluded ones aside\n/);
  assert.doesNotMatch(allFine, /SLAVE +access|✗ out of sync {3}…/, "no grid, no legend");
});

test("text --summary: one line per slave with the sections that differ, no grid", () => {
  const text = plain(VERIFY, { summary: true });
  assert.doesNotMatch(text, /SLAVE +access|excluded \(NEVER_SYNC\)/);
  assert.match(text, /SLAVE +ADDRESS +STATUS +JOINED +LAST SYNC +DIFFERS +TIME/);
  assert.match(text, /pune-2 .*… pending .* access +12s/);
  assert.match(text, /pune-1 .*✓ in sync .* - +12s/);
});

test("text --diff: the changed field with both values, rows only on one side, a credential named only", () => {
  const r: RunReport = {
    ...VERIFY,
    nodes: [
      {
        ...VERIFY.nodes[2]!,
        diff: [
          {
            section: "access",
            status: "out_of_sync",
            changes: [
              { op: "change", subsection: "allow", masterPosition: 3, slavePosition: 3, label: "admins", fields: [{ field: "comment", master: "admins", slave: "admins (edited)" }] },
              { op: "remove", subsection: "allow", slavePosition: 5, label: "local", fields: [{ field: "ip", slave: "10.9.9.9" }, { field: "comment", slave: "local" }] },
              { op: "add", subsection: "allow", masterPosition: 6, fields: [{ field: "ip", master: "10.0.0.6" }] },
              { op: "field", fields: [{ field: "policy", master: "DENY", slave: "ALLOW" }] },
            ],
          },
          { section: "ldap", status: "out_of_sync", changes: [{ op: "change", subsection: "ldapserver", masterPosition: 1, slavePosition: 1, fields: [{ field: "ldappassword", hidden: true }] }], more: 3 },
          { section: "profiles", status: "out_of_sync", missingOnSlave: true, changes: [] },
        ],
      },
    ],
  };
  const text = plain(r);
  const block = text.slice(text.indexOf("Differences"), text.indexOf("Needs attention"));
  assert.equal(
    block,
    [
      "Differences (as the next sync would change the slave: + only on the master, - only on the slave, ~ changed, > moved)",
      "  pune-3  access  out of sync",
      '    ~ allow row 3 "admins"',
      '      comment  master "admins"',
      '               slave  "admins (edited)"',
      '    - allow row 5 "local" only on the slave',
      '      ip       "10.9.9.9"',
      '      comment  "local"',
      "    + allow row 6 only on the master",
      '      ip  "10.0.0.6"',
      '    ~ policy  master "DENY"',
      '              slave  "ALLOW"',
      "  pune-3  ldap  out of sync",
      "    ~ ldapserver row 1",
      "      ldappassword  (a credential: differs, values not shown)",
      "    … 3 more changes (all of them: -o json)",
      "  pune-3  profiles  out of sync: the slave has no such section",
      "",
      "",
    ].join("\n"),
  );
});

const round = (nodes: NodeResult[]) => ({ at: new Date("2025-11-26T10:01:02.500Z"), nodes });

test("watch view: worst first, a summary line, every line within the width, the view within the height", () => {
  const synced = (n: NodeResult): NodeResult => ({ ...n, sync: { target: "x", at: "x", stamp: "x", outcome: "synchronized", lastSyncedAt: "2025-11-26T10:00:41.000Z" } });
  const nodes = [synced(VERIFY.nodes[0]!), ...VERIFY.nodes.slice(1)];
  assert.deepEqual(worstFirst(nodes).map((n) => n.status), ["unreachable", "out_of_sync", "not_joined", "pending", "in_sync"]);
  const view = renderWatch({ master: VERIFY.master, intervalMs: 5000, round: round(nodes), reading: false, width: 90, height: 24, color: false, unicode: true });
  assert.match(view[0]!, /^verify --watch · updated \d\d:\d\d:\d\d · every 5\.?0?s · master hq 10\.0\.0\.10:8080$/);
  assert.deepEqual(
    view.slice(1, 6).map((l) => l.split(/\s{2,}/).slice(0, 2).join(" | ")),
    ["✗ pune-5 | unreachable", "✗ pune-3 | out of sync", "✗ pune-4 | not joined", "… pune-2 | pending", "✓ pune-1 | in sync"],
  );
  assert.match(view[5]!, /last sync 2\d(\.\d)?s ago$/);
  assert.match(view[1]!, /pune-5 did not answer within 10s/);
  assert.equal(view.at(-1), "✗ 1 in sync, 1 pending, 1 out of sync, 1 not joined, 1 unreachable · Ctrl-C to stop");
  for (const l of view) assert.ok(visibleWidth(l) <= 89, `wider than the terminal: ${l}`);

  const many = Array.from({ length: 40 }, (_, i) => ({ ...nodes[i % 5]!, name: `slave-${i + 1}` }));
  const small = renderWatch({ master: VERIFY.master, intervalMs: 5000, round: round(many), reading: true, width: 50, height: 12, color: false, unicode: true });
  assert.ok(small.length <= 11, `${small.length} lines on 12 rows`);
  assert.match(small[0]!, /^verify --watch · reading… · every/);
  assert.match(small.at(-2)!, /^… and \d+ more: /);
  for (const l of small) assert.ok(visibleWidth(l) <= 49, l);
  const down = renderWatch({ master: VERIFY.master, intervalMs: 5000, round: { at: new Date(), nodes: [], masterError: { code: "UNREACHABLE", message: "hq refused the connection" } }, reading: false, width: 80, height: 24, color: false, unicode: true });
  assert.equal(down[1], "✗ the master could not be read: hq refused the connection");
});

test("watch view: long names are cut by printed width between grapheme clusters (wide, combining, emoji sequences, flags)", () => {
  const names = ["पुणे-स्लेव-प्रथम-".repeat(4), "東京の第二スレーブ".repeat(4), "cafe\u0301-".repeat(12), "👩‍💻-".repeat(15), "x🇮🇳".repeat(20), "🇮🇳".repeat(30)];
  const nodes = names.map((name, i) => ({ ...fine(name, i + 1), status: "out_of_sync" as const }));
  const segments = new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const clusters = (s: string): Set<string> => new Set([...segments.segment(s)].map((x) => x.segment));
  for (const width of [30, 31, 41, 42, 60, 61]) {
    const view = renderWatch({ master: VERIFY.master, intervalMs: 5000, round: round(nodes), reading: false, width, height: 24, color: false, unicode: true });
    for (const l of view) assert.ok(visibleWidth(l) <= width - 1, `wider than ${width - 1}: ${l}`);
    for (const [i, name] of names.entries()) {
      const line = view[i + 1]!; // all out of sync: inventory order, after the header
      const whole = clusters(name);
      // Every cluster of the name shown is one of the name's clusters: none was cut apart.
      const shown = line.slice(2).split("  ")[0]!.replace(/~$/, "");
      for (const c of segments.segment(shown)) assert.ok(whole.has(c.segment), `width ${width}: ${JSON.stringify(c.segment)} is part of a cluster of ${name}`);
    }
  }
});

class FakeTty extends EventEmitter {
  out = "";
  columns = 80;
  rows = 24;
  write(s: string): boolean {
    this.out += s;
    return true;
  }
}

test("live view: cursor hidden, each frame drawn over the last, the cursor shown at the end (and on a sudden exit)", () => {
  const tty = new FakeTty();
  const before = process.listenerCount("exit");
  const v = new LiveView(tty as unknown as NodeJS.WriteStream);
  assert.equal(process.listenerCount("exit"), before + 1, "an exit hook shows the cursor whatever ends the process");
  v.draw(["a", "b", "c"]);
  v.draw(["d", "e"]);
  tty.emit("resize");
  v.draw(["f"]);
  v.close();
  assert.equal(tty.out, "\u001b[?25l" + "\u001b[Ja\nb\nc\n" + "\r\u001b[3A\u001b[Jd\ne\n" + "\u001b[H\u001b[2J\u001b[Jf\n" + "\u001b[?25h");
  assert.equal(process.listenerCount("exit"), before, "the hook is gone once closed");
  v.draw(["late"]);
  assert.ok(!tty.out.endsWith("late\n"), "nothing is drawn after close");
});
