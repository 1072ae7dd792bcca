/**
 * `verify --watch` in a real pseudo-terminal (a tmux pane of its own): the view is drawn,
 * drawn again in place as the fleet changes (one header on screen, never a scroll of
 * frames), worst first; Ctrl-C ends it with exit 130, the cursor shown again and the
 * terminal's modes as they were, the last view left on screen. Without a terminal it refuses
 * and names what to use instead. Skipped, with a message, only where tmux is not installed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { pane, paneReady } from "../cli/helpers.js";
import { admin } from "../helpers/admin.js";
import { startFleet } from "../helpers/fleet.js";

const HEADER = /^verify --watch · /gm;

test("at a terminal: drawn again in place as a slave goes down and comes back; Ctrl-C exits 130 with the cursor shown", async (t) => {
  if (!paneReady(t)) return;
  const f = await startFleet(t, { slaves: 2, capture: true });
  const applied = await f.run(["apply", "--yes", "--no-backup-to-cloud", "--wait", "30s"]);
  assert.equal(applied.code, 0, applied.stdout);
  const before = f.lab.master.captured.length;

  const p = pane(t, ["verify", "--watch", "1s", "-i", f.inventory], { cwd: f.dir, cols: 100, rows: 20 });
  const first = await p.waitFor(/✓ 2 in sync · Ctrl-C to stop/);
  assert.match(first, /^✓ slave-1 +in sync +(last sync \S+ ago|no sync in its log)$/m);
  assert.equal(first.match(HEADER)?.length, 1, first);
  assert.equal(p.cursorVisible(), false, "the cursor is hidden while the view is drawn");

  // A redraw each interval: the header's time moves on, and there is still one header.
  const stamp = (s: string): string | undefined => /updated (\d\d:\d\d:\d\d)/.exec(s)?.[1];
  const seen = new Set<string>();
  await p.waitFor(/updated/);
  for (let i = 0; i < 600 && seen.size < 2; i++) {
    const s = stamp(p.screen());
    if (s) seen.add(s);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(seen.size >= 2, "drawn again");

  await f.lab.slaves[1]!.faults.refuseConnections();
  const down = await p.waitFor(/✗ 1 in sync, 1 unreachable · Ctrl-C to stop/);
  const lines = down.split("\n");
  const at = lines.findIndex((l) => l.startsWith("verify --watch"));
  assert.match(lines[at + 1]!, /^✗ slave-2 +unreachable +slave-2 \(127\.[\d.]+:\d+\) refused the connection( \(3 tries|$)/, "worst first");
  assert.match(lines[at + 2]!, /^✓ slave-1 +in sync/);
  assert.equal(down.match(HEADER)?.length, 1, `drawn in place, not appended:\n${down}`);

  await f.lab.slaves[1]!.faults.acceptConnections();
  await p.waitFor(/✓ 2 in sync · Ctrl-C to stop/);

  // Cheap rounds: after its first read of the master's document, each round asks with
  // If-Modified-Since where the master gave Last-Modified (a 304 costs no document).
  const reads = f.lab.master.captured.slice(before).filter((r) => r.remote.endsWith("127.0.0.1") && r.params.some(([k, v]) => k === "handler" && v === "conf_xml"));
  assert.ok(reads.length >= 3, `${reads.length} reads of the master's document`);
  const givesLastModified = (await admin(f.lab.master, { handler: "conf_xml" })).headers["last-modified"] !== undefined;
  assert.deepEqual(
    reads.slice(1).map((r) => r.headers["if-modified-since"] !== undefined),
    reads.slice(1).map(() => givesLastModified),
    "If-Modified-Since after the first read, where the master sends Last-Modified",
  );

  p.keys("C-c");
  assert.equal(await p.exitCode(), 130, p.screen());
  const end = p.screen();
  assert.ok(p.cursorVisible(), "the cursor is shown again");
  assert.ok(p.terminalRestored(), "the terminal's modes are as they were");
  assert.equal(end.match(HEADER)?.length, 1, "the last view stays, once");
  assert.doesNotMatch(end, /reading…/, "the last view is a finished round");
  assert.match(end, /✓ 2 in sync · Ctrl-C to stop\n(\^C)?\n?TTY=restored\nEXIT=130/);
});

test("without a terminal --watch refuses (exit 2) and names --wait and -o prometheus", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const r = await f.run(["verify", "--watch"]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /error: --watch needs a terminal/);
  assert.match(r.stderr, /verify --wait DURATION/);
  assert.match(r.stderr, /verify -o prometheus --output-file FILE/);
  const mixed = await f.run(["verify", "--watch", "5s", "-o", "json"]);
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /--watch does not go with -o json/);
  const named = await f.run(["verify", "--watch", "slave-1"]);
  assert.equal(named.code, 2, "a slave name where the interval goes");
  assert.match(named.stderr, /--watch takes an interval such as 5s, not "slave-1" \(slave names go before it: verify slave-1 --watch\)/);
});
