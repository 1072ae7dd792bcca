/**
 * Faults on the wire, end to end: a lost reply to a write is never followed by the same write
 * sent blindly (the tool re-reads and decides); reads survive a passing 5xx; a node slower than
 * --timeout is reported as timed out.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { accessOf, startFleet } from "../helpers/fleet.js";

test("allow: the reply to the row write is lost; the tool re-reads, finds the row, and carries on without a duplicate", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  f.lab.master.faults.dropMidReply({ handlers: ["configuration"], times: 1 });
  const r = await f.json(["allow"]);
  assert.equal(r.r.code, 0, r.r.stdout + r.r.stderr);
  assert.equal(r.report.nodes[0].status, "updated");
  const rows = (await accessOf(f.lab)).allow.filter((x) => (x.values.add_user_groups ?? "").includes("PROXY_SLAVES"));
  assert.equal(rows.length, 1, "exactly one managed row");
});

test("a passing 503 on a read is retried; a master slower than --timeout is a timeout that says what to do", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  f.lab.master.faults.failWith(503, { handlers: ["conf_xml"], times: 1 });
  const ok = await f.json(["allow", "--dry-run", "--verbose"]);
  assert.equal(ok.r.code, 0, ok.r.stdout + ok.r.stderr);
  assert.match(ok.r.stderr, /conf_xml.*503[\s\S]*conf_xml.*200/);

  f.lab.master.faults.delayReplies(3000);
  const slow = await f.json(["verify", "--timeout", "500ms"]);
  assert.equal(slow.r.code, 1);
  assert.equal(slow.report.error.code, "TIMEOUT");
  assert.match(slow.report.error.hint, /--timeout/);
});
