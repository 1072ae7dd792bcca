/**
 * `handler=log` (docs/protocol.md "The sync log"): plain text, the bounded backlog at once, then every new
 * line as it is written, never ending on its own; a restart ends it; the backlog and the file
 * outlive restarts; the file stays bounded.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { admin, openLog } from "../helpers/admin.js";
import { restarted, startTestNode } from "../helpers/lab.js";

const local = { localAddress: "127.0.0.1" };

test("backlog first, then live lines; the stream stays open", async (t) => {
  const n = await startTestNode(t);
  const log = await openLog(n, local);
  t.after(() => log.close());
  assert.equal(log.status, 200);
  assert.match(String(log.headers["content-type"]), /^text\/plain/);
  assert.equal(log.headers["x-powered-by"], "safesquid-2023.1011.1421.3-swg-standard");
  await log.waitFor(/startup: .* starting/);
  let ended = false;
  void log.ended.then(() => (ended = true));
  await admin(n, "handler=cloud_backup", local);
  await log.waitFor(/config: configuration backed up to cloud$/);
  await admin(n, "handler=save&filename=config.xml", local);
  await log.waitFor(/config: configuration saved to config\.xml/);
  assert.equal(ended, false, "still open after live lines");
  for (const l of log.lines) assert.match(l, /^\d{4} \d{2} \d{2} \d{2}:\d{2}:\d{2}\.\d{3} \[\w+\] [\w-]+: /);
});

test("the backlog is bounded to the last lines", async (t) => {
  const n = await startTestNode(t, { logBacklogLines: 10 });
  for (let i = 0; i < 15; i++) await admin(n, "handler=cloud_backup", local);
  await admin(n, "handler=save&filename=config.xml", local);
  const log = await openLog(n, local);
  t.after(() => log.close());
  await log.waitFor(/configuration saved/);
  assert.equal(log.lines.length, 10);
});

test("a restart ends the stream; the log (backlog and file) outlives the restart", async (t) => {
  const n = await startTestNode(t);
  const log = await openLog(n, local);
  await log.waitFor(/listening on/);
  await admin(n, "handler=cloud_backup", local);
  await admin(n, "handler=safesquid_restart", local);
  assert.notEqual(await log.ended, undefined);
  await restarted(n);
  const after = await openLog(n, local);
  t.after(() => after.close());
  await after.waitFor(/configuration backed up to cloud/);
  await after.waitFor(/startup: stopping for a restart/);
  assert.ok(after.lines.filter((l) => /listening on/.test(l)).length >= 2, "both starts are in the backlog");
});

test("the log file is rotated past its size limit", async (t) => {
  const n = await startTestNode(t, { log: { maxBytes: 2000 } });
  for (let i = 0; i < 40; i++) await admin(n, "handler=cloud_backup", local);
  const file = n.folder.logFile;
  assert.ok(existsSync(file + ".1"), "rotated");
  assert.ok(statSync(file).size <= 2000, `size ${statSync(file).size}`);
});
