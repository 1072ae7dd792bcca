/**
 * A node answering a 20 MB policy document, on the built CLI against the lab: verify gives that
 * slave a per-node error (REPLY_TOO_LARGE, naming --max-reply-size) and goes on with the
 * others; --max-reply-size reads it whole. (Peak memory with a huge reply among 200 slaves is
 * measured by `npm run bench`, never asserted here.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startFleet } from "../helpers/fleet.js";

const MB = 1000 * 1000;

test("verify: one slave answers a 20 MB document: its own error, the others read; --max-reply-size reads it", async (t) => {
  const f = await startFleet(t, { slaves: 2, joinSlaves: true });
  assert.equal((await f.json(["allow"])).r.code, 0);
  const synced = await f.json(["verify", "--wait", "60s"]);
  assert.equal(synced.r.code, 0, synced.r.stdout + synced.r.stderr);

  const huge = f.lab.slaves[1]!;
  huge.faults.hugeReply(20 * MB, { handlers: ["conf_xml"] });
  const r = await f.json(["verify"]);
  assert.equal(r.r.code, 1, r.r.stderr);
  const [one, two] = r.report.nodes;
  assert.equal(one.status, "in_sync");
  assert.equal(two.status, "unreachable");
  assert.equal(two.error.code, "REPLY_TOO_LARGE");
  assert.match(two.error.message, /^slave-2 \(\S+\) sent more than 16 MiB in reply to handler=conf_xml: reading stopped there$/);
  assert.match(two.error.hint, /--max-reply-size 32MiB/);

  const text = await f.run(["verify"]);
  assert.match(text.stdout.replace(/\n {11}/g, " "), /slave-2 +✗ unreachable: slave-2 \(\S+\) sent more than 16 MiB in reply to handler=conf_xml/);

  const raised = await f.json(["verify", "--max-reply-size", "32MiB"]);
  assert.equal(raised.r.code, 0, raised.r.stdout + raised.r.stderr);
  assert.deepEqual(raised.report.nodes.map((n: any) => n.status), ["in_sync", "in_sync"]);
});
