/**
 * Node state for the lifecycle end-to-end tests, read and changed through the admin endpoint
 * with the raw test client (never the tool's own word): every startup parameter by name, the
 * master's access rows as values (ids are not stable), and a whole-list parameter write the
 * way the vendor's interface sends it (for "someone changed it since the run"). Replies are
 * read as the vendor's interface reads them (./replies.ts), so both dialects read the same.
 */
import type { Lab } from "../../src/emulator/lab.js";
import type { EmulatedNode } from "../../src/emulator/node.js";
import { admin } from "./admin.js";
import { accessOf } from "./fleet.js";
import { paramsWriteForm, readParams } from "./replies.js";

function auth(lab: Lab): { auth?: { username: string; password: string } } {
  return lab.login ? { auth: lab.login } : {};
}

/** Every startup parameter, name -> value (quotes removed, as the vendor's interface reads it), in the node's order. */
export async function paramsOf(lab: Lab, node: EmulatedNode): Promise<Map<string, string>> {
  const r = await admin(node, { handler: "safesquid_params" }, auth(lab));
  if (r.status !== 200) throw new Error(`${node.name}: safesquid_params answered ${r.status}`);
  return new Map(readParams(r.body).map((p) => [p.name, p.value.replace(/"/g, "")]));
}

/** Every node's parameters, by node name. */
export async function allParams(lab: Lab): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const n of lab.nodes) out[n.name] = Object.fromEntries(await paramsOf(lab, n));
  return out;
}

/** The master's access rows as values only (allow, then deny), for field-by-field comparison. */
export async function accessValues(lab: Lab, node: EmulatedNode = lab.master): Promise<{ policy: string; allow: Record<string, string>[]; deny: Record<string, string>[] }> {
  const a = await accessOf(lab, node);
  const values = (v: Record<string, string | undefined>): Record<string, string> => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== "")) as Record<string, string>;
  return { policy: a.policy, allow: a.allow.map((r) => values(r.values)), deny: a.deny.map((r) => values(r.values)) };
}

/** Writes the node's whole parameter list back with `changes`, as the vendor's interface does, and checks it reads back. */
export async function setParams(lab: Lab, node: EmulatedNode, changes: Record<string, string>): Promise<void> {
  const r = await admin(node, { handler: "safesquid_params" }, auth(lab));
  const w = await admin(node, paramsWriteForm(readParams(r.body), changes).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&"), auth(lab));
  if (w.status !== 200 || /<error\b/.test(w.body)) throw new Error(`${node.name}: the parameter write was refused: ${w.status} ${w.body}`);
  const back = await paramsOf(lab, node);
  for (const [k, v] of Object.entries(changes)) if (back.get(k) !== v) throw new Error(`${node.name}: ${k} reads back ${back.get(k)}, not ${v}`);
}

/** Restarts a node through its admin endpoint and waits until it is up again. */
export async function restartNode(lab: Lab, node: EmulatedNode): Promise<void> {
  const before = node.restarts;
  await admin(node, { handler: "safesquid_restart" }, auth(lab)).catch(() => undefined);
  const deadline = Date.now() + 15_000;
  while (!(node.restarts > before && node.status === "up")) {
    if (Date.now() > deadline) throw new Error(`${node.name} did not restart`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * What a write by the tool would show, without what syncing shows: restarts, saves and parameter
 * files of every node, and the master's document time (a joined slave's document changes by
 * syncing alone, so its time is left out).
 */
export async function toolMarks(lab: Lab): Promise<string> {
  await accessOf(lab);
  return lab.nodes.map((n) => `${n.name} ${n === lab.master ? `time=${n.policy.time} ` : ""}restarts=${n.restarts} saves=${n.folder.backups().length} params=${JSON.stringify(n.fileParams())}`).join("\n");
}
