/**
 * The dialects' behaviour over real sockets (docs/emulator.md "Dialects", points 5, 6 and 7):
 * the log backlog (3000 lines, none, or as many as asked), the restart (a reply, or a dropped
 * connection; no downtime allowed), where new rows go and whether ids survive a save and a
 * restart.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin, openLog, outcome } from "../helpers/admin.js";
import { restarted, startTestNode } from "../helpers/lab.js";
import { policyDoc } from "../helpers/policy-doc.js";

const local = { localAddress: "127.0.0.1" };
const fill = (n: { log: { write(a: string, b: string, c: string): string } }, count: number, tag: string) => {
  for (let i = 1; i <= count; i++) n.log.write("1002", "test", `${tag} ${i}`);
};

test("5. backlog: vendor sends the last 3000 lines, alt none (only what is logged after the request), an explicit size as many as asked", async (t) => {
  const v = await startTestNode(t, { dialect: "vendor" });
  fill(v, 3100, "old");
  const vlog = await openLog(v, local);
  t.after(() => vlog.close());
  await vlog.waitFor(/old 3100$/);
  assert.equal(vlog.lines.length, 3000);
  assert.match(vlog.lines[0]!, /old 101$/);

  const a = await startTestNode(t, { dialect: "alt" });
  fill(a, 50, "old");
  const alog = await openLog(a, local);
  t.after(() => alog.close());
  a.log.write("1002", "test", "new 1");
  await alog.waitFor(/new 1$/);
  assert.deepEqual(alog.lines.map((l) => l.replace(/^.* test: /, "")), ["new 1"]);
  assert.ok(a.log.lines().some((l) => /old 50$/.test(l)), "the node still keeps its lines (for tests); it only does not send them");

  const big = await startTestNode(t, { dialect: "alt", logBacklogLines: 100_000 });
  fill(big, 100_000, "line");
  const blog = await openLog(big, local);
  t.after(() => blog.close());
  await blog.waitFor(/line 100000$/, { timeoutMs: 60_000 });
  assert.equal(blog.lines.length, 100_000);
  assert.match(blog.lines[0]!, /line 1$/);
});

test("6. restart: vendor replies then goes down; alt drops the connection without a reply, then goes down; both come back (downtime 0 allowed)", async (t) => {
  const v = await startTestNode(t, { dialect: "vendor", restartDowntimeMs: 0 });
  assert.equal((await admin(v, "handler=safesquid_restart", local)).body, '<restart_info status="SafeSquid service restarted"/>');
  await restarted(v);
  const a = await startTestNode(t, { dialect: "alt", restartDowntimeMs: 0 });
  assert.equal(await outcome(admin(a, "handler=safesquid_restart", local)), "ECONNRESET", "no reply at all");
  await restarted(a);
  assert.equal((await admin(a, "handler=cloud_backup", local)).status, 200);
  const slow = await startTestNode(t, { dialect: "alt", restartDowntimeMs: 1500 });
  assert.equal(await outcome(admin(slow, "handler=safesquid_restart", local)), "ECONNRESET");
  await slow.waitForStatus("restarting");
  await restarted(slow);
});

const DOC = policyDoc([{ comment: "A", ip: "127.0.0.1", access: "CONFIG" }, { comment: "B", ip: "10.0.0.2", access: "PROXY" }], [{ comment: "D", ip: "10.9.9.9" }]);
const ADD = "F0=TRUE&F1=NEW&F2=FALSE&F3=&F4=&F5=&F6=10.5.5.5&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=&F15=0&handler=configuration&section=access&subsection=allow&action=add";
/** The rows of the document as `comment:id`, in document order. */
async function rows(n: { host: string; port: number }): Promise<string[]> {
  const doc = (await admin(n, "handler=conf_xml", local)).body;
  return [...doc.matchAll(/<(?:allow|deny) id="(\d+)">\s*<enabled>[^<]*<\/enabled>\s*<comment>([^<]*)<\/comment>/g)].map((m) => `${m[2]}:${m[1]}`);
}
const ids = (list: string[]) => list.map((r) => r.split(":")[1]);
const comments = (list: string[]) => list.map((r) => r.split(":")[0]);

test("7. new rows: vendor at the bottom, ids kept across save and restart; alt at the top, every id renewed at each save and restart", async (t) => {
  const v = await startTestNode(t, { dialect: "vendor", files: { config: DOC } });
  await admin(v, ADD, local);
  const vBefore = await rows(v);
  assert.deepEqual(comments(vBefore), ["A", "B", "NEW", "D"]);
  await admin(v, "handler=save&filename=config.xml", local);
  assert.deepEqual(await rows(v), vBefore, "a save keeps ids");
  await admin(v, "handler=safesquid_restart", local);
  await restarted(v);
  assert.deepEqual(await rows(v), vBefore, "a restart keeps ids");

  const a = await startTestNode(t, { dialect: "alt", files: { config: DOC } });
  const loaded = await rows(a);
  assert.deepEqual(comments(loaded), ["A", "B", "D"]);
  assert.ok(ids(loaded).every((id, i) => id !== ["1", "2", "3"][i]), `renumbered at load: ${loaded}`);
  await admin(a, ADD, local);
  const added = await rows(a);
  assert.deepEqual(comments(added), ["NEW", "A", "B", "D"], "the new row is at the top of its subsection");
  await admin(a, "handler=save&filename=config.xml", local);
  const saved = await rows(a);
  assert.deepEqual(comments(saved), comments(added));
  assert.ok(ids(saved).every((id) => !ids(added).includes(id)), `every id renewed at the save: ${added} -> ${saved}`);
  await admin(a, "handler=safesquid_restart", local).catch(() => undefined);
  await restarted(a);
  const again = await rows(a);
  assert.deepEqual(comments(again), comments(saved), "the save persisted the rows");
  assert.ok(ids(again).every((id) => !ids(saved).includes(id)), `every id renewed at the restart: ${saved} -> ${again}`);
  const clone = `handler=configuration&section=access&subsection=allow&id=${ids(again)[2]}&action=clone`;
  assert.equal((await admin(a, clone, local)).body, '<response status="ok"/>');
  assert.deepEqual(comments(await rows(a)), ["B", "NEW", "A", "B", "D"], "a clone is a new row: at the top too");
});
