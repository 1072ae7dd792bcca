/**
 * A node answering a 20 MB policy document, on the built CLI against the lab: verify gives that
 * slave a per-node error (REPLY_TOO_LARGE, naming --max-reply-size) and goes on with the
 * others; --max-reply-size reads it whole. The CLI's own peak memory (getrusage, read at its
 * exit by bench/rusage-probe.mjs) stays under 200 MiB with a 20 MB policy document and 20 MB of
 * startup parameters coming in; `npm run bench` measures the same among 200 slaves.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../helpers/cli.js";
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

test("a 20 MB policy document from one slave and 20 MB of startup parameters from another: each its own REPLY_TOO_LARGE, and the CLI stays under 200 MiB", async (t) => {
  const f = await startFleet(t, { slaves: 3 });
  const [params, doc] = f.lab.slaves;
  params!.faults.hugeReply(20 * MB, { handlers: ["safesquid_params"] });
  doc!.faults.hugeReply(20 * MB, { handlers: ["conf_xml"] });
  const dir = mkdtempSync(join(tmpdir(), "safesquid-e2e-rusage-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const usage = join(dir, "rusage.json");
  const probe = pathToFileURL(join(ROOT, "bench", "rusage-probe.mjs")).href;
  const r = await f.json(["verify"], { env: { NODE_OPTIONS: `--import ${probe}`, SAFESQUID_BENCH_RUSAGE: usage } });
  assert.equal(r.r.code, 1, r.r.stderr);
  const by = new Map<string, any>(r.report.nodes.map((n: any) => [n.name, n]));
  assert.equal(by.get(params!.name).error?.code, "REPLY_TOO_LARGE", JSON.stringify(by.get(params!.name)));
  assert.match(by.get(params!.name).error.message, /sent more than 1 MiB in reply to handler=safesquid_params/);
  assert.equal(by.get(doc!.name).error?.code, "REPLY_TOO_LARGE", JSON.stringify(by.get(doc!.name)));
  assert.equal(by.get(f.lab.slaves[2]!.name).status, "not_joined", "the third slave is read as usual");
  const peakMiB = JSON.parse(readFileSync(usage, "utf8")).maxRssKiB / 1024;
  t.diagnostic(`CLI peak memory: ${peakMiB.toFixed(0)} MiB`);
  assert.ok(peakMiB < 200, `CLI peak memory ${peakMiB.toFixed(0)} MiB`);
});
