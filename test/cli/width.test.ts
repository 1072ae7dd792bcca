/**
 * 80 columns, as a person at a small terminal meets them (a tmux pane 80 columns wide): the
 * text report, `inventory validate` and the errors on stderr fit the width, so the terminal
 * never breaks a line (tmux's joined capture shows any line it wrapped as wider than 80). The
 * verify table's LAST SYNC is a relative time ("12s ago"); a cell too wide is cut with an
 * ellipsis, the full values stay in `-o json`. Skipped, with a message, where tmux is missing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFleet } from "../helpers/fleet.js";
import { visibleWidth } from "../../src/report/table.js";
import { renderText } from "../../src/report/text.js";
import { VERIFY } from "../report/samples.js";
import { pane, paneReady, tempDir } from "./helpers.js";

const COLS = 80;

function fits(printed: string, what: string): void {
  const wide = printed.split("\n").filter((l) => visibleWidth(l) > COLS);
  assert.deepEqual(wide, [], `${what}: lines the terminal had to break:\n${printed}`);
}


test("at 80 columns: join-slave and verify fit; LAST SYNC reads '... ago'; the recap and its next step fit", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 2 });
  const join = pane(t, ["join-slave", "-i", f.inventory, "--yes", "--no-backup-to-cloud"], { cwd: f.dir, cols: COLS, rows: 60 });
  assert.equal(await join.exitCode(120_000), 0, join.screen());
  const joined = join.printed();
  fits(joined, "join-slave");
  assert.match(joined, /^! 2 joined, 2 need allow \(2 warnings\) {2}· /m);
  assert.match(joined, /^ {2}next: run `safesquid-fleet allow -i/m);

  const verify = pane(t, ["verify", "-i", f.inventory], { cwd: f.dir, cols: COLS, rows: 60 });
  assert.equal(await verify.exitCode(120_000), 1, verify.screen());
  const out = verify.printed();
  fits(out, "verify");
  assert.match(out, /^ {2}SLAVE +ADDRESS +STATUS +JOINED +LAST SYNC +TIME$/m);
  assert.match(out, /^ {2}slave-1 +\S+ +✗ out of sync +yes +(failed|attempted) (\d+s ago|just now) +\S+$/m);
});

test("at 80 columns: inventory validate becomes one block per node; an inventory error on stderr is wrapped at word boundaries", async (t) => {
  if (!paneReady(t)) return;
  const dir = tempDir(t);
  const file = join(dir, "fleet.yaml");
  writeFileSync(
    file,
    [
      "version: 1",
      "defaults:",
      "  credentials: { username: fleet-operations, passwordEnv: SAFESQUID_FLEET_OPERATIONS_PASSWORD }",
      "master: { name: headquarters-master, host: headquarters-master.proxy.example.net, port: 8080 }",
      "slaves:",
      "  - { name: pune-datacentre-1, host: pune-datacentre-1.proxy.example.net, transport: https, timeout: 30s }",
      "",
    ].join("\n"),
  );
  const v = pane(t, ["inventory", "validate", "-i", file], { cwd: dir, cols: COLS });
  assert.equal(await v.exitCode(), 0, v.screen());
  const shown = v.printed();
  fits(shown, "inventory validate");
  assert.match(shown, /^pune-datacentre-1 {2}slave {2}pune-datacentre-1\.proxy\.example\.net:8080$/m);
  assert.match(shown.replace(/\n {4}/g, " "), /https, timeout 30s, address will be resolved, credentials fleet-operations \(env SAFESQUID_FLEET_OPERATIONS_PASSWORD\)/);
  assert.match(shown, /^warning: .*\n {2}\S/m, "the missing-variable warning wraps onto an indented line");

  writeFileSync(join(dir, "bad.yaml"), "version: 1\nmaster: { name: hq, host: 10.0.0.10, prot: 8080 }\nslaves:\n  - { name: pune-1, host: 10.0.1.11 }\n");
  const bad = pane(t, ["verify", "-i", "bad.yaml"], { cwd: dir, cols: COLS });
  assert.equal(await bad.exitCode(), 2, bad.screen());
  fits(bad.printed(), "an inventory error");
  assert.match(bad.printed(), /prot/);
});

test("a table cell too wide for the width is cut with an ellipsis by printed width (wide characters count 2)", () => {
  const long = { ...VERIFY.nodes[0]!, name: "プロキシ-pune-datacentre-number-one", address: "pune-datacentre-number-one.proxy.example.net:8080" };
  const text = renderText({ ...VERIFY, nodes: [long] }, { color: false, unicode: true, width: COLS });
  for (const l of text.split("\n")) assert.ok(visibleWidth(l) <= COLS, `${visibleWidth(l)} columns: ${l}\n${text}`);
  const table = text.split("\n").filter((l) => /^ {2}プロキシ/.test(l));
  assert.equal(table.length, 2, text);
  assert.match(table[0]!, /^ {2}プロキシ-pune-da… {2}pune-datacentre… {2}✓ in sync/, "name and address cut, the status whole");
  assert.match(table[0]!, /synchronized 20…/, "an absolute stamp (no age known) is cut too");
});
