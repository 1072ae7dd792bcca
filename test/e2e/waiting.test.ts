/**
 * Honest waiting, as a person meets a node that never answers: the error says the real time
 * spent and the tries (not "within 2s" after three tries), and the progress names the node
 * being waited on, what for, and for how long (not the last one that finished): on a terminal
 * (a spinner whose seconds count) and through a pipe (a line each interval).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { startFleet } from "../helpers/fleet.js";
import { HAVE_TMUX, pane } from "../cli/helpers.js";
import { createProgress } from "../../src/report/spinner.js";

/** A fleet whose slave-2 holds every reply past the inventory's 2 s timeout, every time. */
async function hungFleet(t: Parameters<typeof startFleet>[0]) {
  const f = await startFleet(t, { slaves: 2 }, (inv) => {
    inv.defaults.timeout = "2s";
  });
  // Longer than a try (2 s), short enough that the lab stops soon after the test.
  f.lab.slaves[1]!.faults.delayReplies(4000);
  return f;
}

test("a node that never answers: the error names the tries and the time they took in all", async (t) => {
  const f = await hungFleet(t);
  const { r, report } = await f.json(["verify"]);
  assert.equal(r.code, 1);
  const n = report.nodes.find((x: any) => x.name === "slave-2");
  assert.equal(n.status, "unreachable");
  assert.equal(n.error.code, "TIMEOUT");
  // Each try was given 2 s; three of them, with the pauses between, took more than 6 s.
  const m = /did not answer handler=\S+ within 2s \(3 tries, (\d+(?:\.\d+)?)s in all\)/.exec(n.error.message);
  assert.ok(m, n.error.message);
  assert.ok(Number(m[1]) >= 6, n.error.message);
});

test("at a terminal: the spinner names the node waited on and counts its seconds", async (t) => {
  if (!HAVE_TMUX) return t.skip("tmux is not installed: the pseudo-terminal tests need it");
  const f = await hungFleet(t);
  const p = pane(t, ["verify", "-i", f.inventory], { cwd: f.dir, cols: 80 });
  // slave-1 answers at once; the spinner then says what it waits on, and the seconds go up.
  const first = await p.waitFor(/waiting on slave-2: reading, [2-9]s/, 60_000);
  assert.doesNotMatch(first, /slave-1: in_sync|slave-1: out_of_sync|slave-1: not_joined/, "not the last node that finished");
  assert.equal(await p.exitCode(120_000), 1, p.screen());
  assert.match(p.printed().replace(/\n {11}/g, " "), /slave-2 +✗ unreachable: slave-2 \S+ did not answer handler=\S+ within 2s \(3 tries, \d+(\.\d+)?s in all\)/);
});

test("through a pipe: a progress line each interval names the node waited on and for how long", async () => {
  const stream = new PassThrough();
  let out = "";
  stream.on("data", (d: Buffer) => (out += d.toString()));
  let now = 0;
  const p = createProgress({ format: "text", quiet: false, animate: false, stream, intervalMs: 15_000, now: () => now });
  p.phase("verify: reading the slaves");
  p.working("slave-1", "reading");
  p.working("slave-2", "reading");
  p.idle("slave-1");
  p.update(1, 2, "slave-1: in_sync");
  now = 16_000;
  await new Promise((r) => setTimeout(r, 1300));
  p.stop();
  assert.match(out, /^verify: reading the slaves {2}1\/2 {2}waiting on slave-2: reading, 16s$/m, out);
  assert.doesNotMatch(out, /slave-1: in_sync/, "the line names the node waited on, not the last one done");
});
