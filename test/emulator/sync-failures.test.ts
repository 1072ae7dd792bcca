/**
 * A slave's failed synchronizations, as its native log reports them through `handler=log`
 * (docs/protocol.md "The sync log"): a master asking for a login (407), refusing (403, by a deny row or a
 * denied address), failing (5xx), too slow (timed out), cutting the reply (connection reset),
 * or gone (connection refused). The tool tells a refusing master from an unreachable one by
 * exactly these words.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin, allowAddresses, openLog } from "../helpers/admin.js";
import { startTestLab } from "../helpers/lab.js";

const local = { localAddress: "127.0.0.1" };

test("every failure reason, then recovery, as the slave's log shows them", async (t) => {
  const lab = await startTestLab(t, { slaves: 1, joinSlaves: true, syncTimeoutMs: 500 });
  const { master } = lab;
  const slave = lab.slaves[0]!;
  const log = await openLog(slave, local);
  t.after(() => log.close());
  const target = master.address.replace(/\./g, "\\.");
  const failed = (reason: string) => new RegExp(`^\\d{4} \\d{2} \\d{2} [\\d:.]+ \\[\\w+\\] sync: config_sync:90 failed to synchronize with ${target}: ${reason}$`);
  /** Waits for a line after everything read so far. */
  const next = (re: RegExp) => log.waitFor(re, { after: log.lines.length });

  await log.waitFor(failed("407 Proxy Authentication Required"));

  await allowAddresses(master, [slave.host]);
  await next(/synchronized section: access$/);

  master.faults.denySyncFrom(slave.host);
  await next(failed("403 Forbidden"));
  master.faults.denySyncFrom();
  await next(/no changes on .* since the last synchronization$/);

  master.faults.failWith(503, { handlers: ["conf_xml"] });
  await next(failed("503 Service Unavailable"));
  await master.faults.clear();

  master.faults.delayReplies(2000, { handlers: ["conf_xml"] });
  await next(failed("timed out"));
  await master.faults.clear();

  master.faults.dropMidReply({ handlers: ["conf_xml"] });
  await next(failed("connection reset"));
  await master.faults.clear();

  await master.faults.refuseConnections();
  await next(failed("connection refused"));
  await master.faults.acceptConnections();
  await next(/no changes on .* since the last synchronization$|synchronized section: access$/);

  // A deny row for the slave's address (the rows, not a fault) is a 403 too.
  const deny =
    "handler=configuration&section=access&subsection=deny&action=add&F0=TRUE&F1=no%20slave&F2=FALSE&F3=&F4=&F5=&F6=" +
    encodeURIComponent(slave.host) +
    "&F7=FALSE&F8=&F9=&F12=&F13=&F14=";
  assert.match((await admin(master, deny, local)).body, /result="ok"/);
  await next(failed("403 Forbidden"));
});
