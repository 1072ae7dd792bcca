/**
 * Fault injection (docs/emulator.md), each fault observed over real
 * sockets: refused connections, delayed replies, 5xx, a reply cut short, a restart that never
 * comes back, denied addresses, a failing cloud backup, a skewed clock; and clear().
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin, outcome, tryConnect } from "../helpers/admin.js";
import { startTestNode } from "../helpers/lab.js";

const local = { localAddress: "127.0.0.1" };

test("refuseConnections / acceptConnections", async (t) => {
  const n = await startTestNode(t);
  await n.faults.refuseConnections();
  assert.equal(await tryConnect(n), "ECONNREFUSED");
  assert.equal(n.status, "refusing");
  await n.faults.acceptConnections();
  assert.equal((await admin(n, "handler=cloud_backup", local)).status, 200);
});

test("delayReplies holds replies (only for the handlers named)", async (t) => {
  const n = await startTestNode(t);
  n.faults.delayReplies(5000, { handlers: ["conf_xml"] });
  assert.equal(await outcome(admin(n, "handler=conf_xml", { ...local, timeoutMs: 300 })), "ETIMEDOUT");
  assert.equal((await admin(n, "handler=cloud_backup", local)).status, 200, "other handlers answer at once");
  n.faults.delayReplies(0);
  assert.equal((await admin(n, "handler=conf_xml", local)).status, 200);
});

test("failWith answers a 5xx, for a number of times", async (t) => {
  const n = await startTestNode(t);
  n.faults.failWith(503, { times: 2 });
  const r = await admin(n, "handler=cloud_backup", local);
  assert.equal(r.status, 503);
  assert.equal(r.statusMessage, "Service Unavailable");
  assert.equal((await admin(n, "handler=conf_xml", local)).status, 503);
  assert.equal((await admin(n, "handler=conf_xml", local)).status, 200);
  assert.throws(() => n.faults.failWith(404), RangeError);
});

test("dropMidReply cuts the reply after the headers and half the body", async (t) => {
  const n = await startTestNode(t);
  n.faults.dropMidReply({ handlers: ["conf_xml"], times: 1 });
  assert.equal(await outcome(admin(n, "handler=conf_xml", local)), "ECONNRESET");
  assert.equal((await admin(n, "handler=conf_xml", local)).status, 200);
});

test("neverComeBack: the restart takes the node down for good (until start())", async (t) => {
  const n = await startTestNode(t);
  n.faults.neverComeBack();
  assert.equal((await admin(n, "handler=safesquid_restart", local)).body, '<restart_info status="SafeSquid service restarted"/>');
  await n.waitForStatus("dead");
  assert.equal(await tryConnect(n), "ECONNREFUSED");
  n.faults.neverComeBack(false);
  await n.start();
  assert.equal((await admin(n, "handler=cloud_backup", local)).status, 200);
});

test("denySyncFrom answers 403 to those addresses whatever the rows say", async (t) => {
  const n = await startTestNode(t);
  n.faults.denySyncFrom("127.0.0.1");
  const r = await admin(n, "handler=conf_xml", local);
  assert.equal(r.status, 403);
  assert.match(r.body, /Access Denied/);
  n.faults.denySyncFrom();
  assert.equal((await admin(n, "handler=conf_xml", local)).status, 200);
});

test("failCloudBackup makes cloud_backup answer an error payload", async (t) => {
  const n = await startTestNode(t);
  n.faults.failCloudBackup("quota exceeded");
  assert.equal((await admin(n, "handler=cloud_backup", local)).body, '<error message="quota exceeded"/>');
  n.faults.failCloudBackup(false);
  assert.match((await admin(n, "handler=cloud_backup", local)).body, /^<cloud_backup>/);
});

test("skewClock moves the Date header, Last-Modified and log timestamps", async (t) => {
  const n = await startTestNode(t);
  const DAY = 86_400_000;
  n.faults.skewClock(10 * DAY);
  await admin(n, "handler=configuration&section=access&subsection=allow&action=clone&id=1", local);
  const r = await admin(n, "handler=conf_xml", local);
  const ahead = (h: unknown) => Date.parse(String(h)) - Date.now();
  assert.ok(ahead(r.headers.date) > 9 * DAY, `Date ${r.headers.date}`);
  assert.ok(ahead(r.headers["last-modified"]) > 9 * DAY, `Last-Modified ${r.headers["last-modified"]}`);
  const line = n.log.lines().at(-1)!;
  const [y, mo, d] = line.split(" ").map(Number);
  assert.ok(Date.UTC(y!, mo! - 1, d!) - Date.now() > 8 * DAY, line);
  await n.faults.clear();
  assert.ok(Math.abs(ahead((await admin(n, "handler=cloud_backup", local)).headers.date)) < DAY);
});
