/**
 * A lab fleet with a slave in each verify state, for the monitoring tests: slave-1 in sync
 * (its `cache` section excluded, in NEVER_SYNC), slave-2 out of sync (the master denies its
 * sync, and a row was edited on it), slave-3 pending (a long SYNCTIME, the master changed
 * since its last sync), slave-4 not joined, slave-5 unreachable. Set up through the admin
 * endpoint and the lab's fault injection, never through the tool's own word.
 *
 * What one look can tell depends on what the nodes give (docs/protocol.md "The sync log",
 * "The policy document"): without `Last-Modified` on the master's document no difference can
 * be called pending (the master's change has no time), and without a log backlog a slave that
 * differs is watched live until its next attempt. `shows` says what this lab's nodes give, as
 * seen through the admin endpoint; where the pending slave cannot be told in one look, the
 * fleet has no such slave (the caller says so) and slave-3 is left stand-alone.
 */
import type { LabOptions } from "../../src/emulator/lab.js";
import type { EmulatedNode } from "../../src/emulator/node.js";
import { encodeRowForm } from "../../src/safesquid/access.js";
import { readAccess, parsePolicy } from "../../src/safesquid/policy.js";
import { admin, openLog } from "./admin.js";
import { digestsOf, documentOf, type Fleet } from "./fleet.js";
import { until } from "./lab.js";

export interface StatesFleet {
  f: Fleet;
  /** What the lab's nodes give: Last-Modified on conf_xml; a log backlog. */
  shows: { lastModified: boolean; backlog: boolean };
  /** Is slave-3 pending (else it was left out: see above)? */
  pending: boolean;
  /** The comment of the row edited on slave-2, before and after. */
  edited: { before: string; after: string };
}

/** Changes the master's access section (a disabled row), as an administrator would. */
export async function changeMaster(f: Fleet, comment: string): Promise<void> {
  const r = await admin(
    f.lab.master,
    `handler=configuration&section=access&subsection=allow&action=add&F0=FALSE&F1=${encodeURIComponent(comment)}&F2=FALSE&F3=&F4=&F5=&F6=10.99.0.1&F7=FALSE&F8=&F9=&F10_PROXY=on&F12=&F13=&F14=`,
  );
  if (r.status !== 200 || r.body.includes("<error")) throw new Error(`the master refused the change: ${r.status} ${r.body}`);
}

/** Does the node send a log backlog? Its start-up lines, logged before the request, come first if so. */
async function sendsBacklog(f: Fleet): Promise<boolean> {
  const log = await openLog(f.lab.master);
  try {
    await log.waitFor(/listening on/, { timeoutMs: 1000 });
    return true;
  } catch {
    return false;
  } finally {
    log.close();
  }
}

/** Edits a row's comment on a node (the wire form of an edit, as the vendor's interface sends it). */
async function editComment(f: Fleet, node: EmulatedNode, startsWith: string, after: string): Promise<string> {
  const access = readAccess(parsePolicy(await documentOf(f.lab, node)));
  const row = access.allow.find((r) => (r.values.comment ?? "").startsWith(startsWith));
  if (!row) throw new Error(`${node.name} has no allow row whose comment starts with ${startsWith}`);
  const before = row.values.comment!;
  const form: [string, string][] = [...encodeRowForm({ ...row.values, comment: after }), ["handler", "configuration"], ["section", "access"], ["subsection", "allow"], ["id", row.id], ["action", "edit"]];
  const r = await admin(node, form);
  if (r.status !== 200 || r.body.includes("<error")) throw new Error(`${node.name} refused the edit: ${r.status} ${r.body}`);
  return before;
}

/** The lab for `startFleet(t, STATES_LAB)`: five slaves, slave-3 syncing once an hour. */
export const STATES_LAB: LabOptions = { slaves: 5, nodes: { "slave-3": { startupParams: { SYNCTIME: "3600" } } } };

/** Brings a fleet started with STATES_LAB into one slave in each state. */
export async function intoStates(f: Fleet): Promise<StatesFleet> {
  const [s1, s2, s3, , s5] = f.lab.slaves as [EmulatedNode, EmulatedNode, EmulatedNode, EmulatedNode, EmulatedNode];
  const lm = (await admin(f.lab.master, { handler: "conf_xml" })).headers["last-modified"] !== undefined;
  const shows = { lastModified: lm, backlog: await sendsBacklog(f) };
  const pending = shows.lastModified && shows.backlog;
  const joined = pending ? "slave-1,slave-2,slave-3" : "slave-1,slave-2";
  const applied = await f.run(["apply", "--yes", "--no-backup-to-cloud", "--limit", joined, "--wait", "30s"]);
  if (applied.code !== 0) throw new Error(`apply failed:\n${applied.stdout}\n${applied.stderr}`);

  // slave-2: the master denies its sync from now on; the master changes; slave-1 takes it.
  f.lab.master.faults.denySyncFrom(s2.host);
  await changeMaster(f, "changed by the monitoring test");
  const master = await digestsOf(f.lab, f.lab.master);
  await until(async () => (await digestsOf(f.lab, s1)).get("access") === master.get("access"), "slave-1 took the change", 30_000);
  // ... and a row edited on slave-2 itself, which no sync puts back while it is denied.
  const after = "Administrators log in (edited on slave-2)";
  const before = await editComment(f, s2, "Administrators", after);
  if (pending && (await digestsOf(f.lab, s3)).get("access") === master.get("access")) throw new Error("slave-3 synced: its SYNCTIME should keep it behind");
  await s5.faults.refuseConnections();
  return { f, shows, pending, edited: { before, after } };
}
