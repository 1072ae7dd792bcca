/** Save, restart and cloud backup (admin-endpoint.md §4). */
import { badReply } from "./errors.js";
import { readReply } from "./replies.js";
import type { AdminTransport } from "./transport.js";
import { child } from "./xml.js";

/** Persists the running document: `<save_settings><results result="File saved"/>`; anything else fails. */
export async function save(t: AdminTransport): Promise<void> {
  const reply = await t.call([["handler", "save"], ["filename", "config.xml"]], { kind: "write" });
  const root = readReply(t.node, "save", reply.body, "save_settings");
  const result = child(root, "results")?.attrs.result;
  if (result !== "File saved") throw badReply(t.node, "save", `result "${result ?? ""}" instead of "File saved"`);
}

/** Asks the service to restart; the node then refuses connections for a while. */
export async function restart(t: AdminTransport): Promise<string> {
  const reply = await t.call([["handler", "safesquid_restart"]], { kind: "write" });
  const root = readReply(t.node, "safesquid_restart", reply.body, "restart_info");
  return root.attrs.status ?? "";
}

/** Backs the configuration up to the vendor's cloud; returns the node's result text. */
export async function cloudBackup(t: AdminTransport): Promise<string> {
  const reply = await t.call([["handler", "cloud_backup"]], { kind: "write" });
  const root = readReply(t.node, "cloud_backup", reply.body, "cloud_backup");
  const result = child(root, "results")?.attrs.result;
  if (result === undefined) throw badReply(t.node, "cloud_backup", "no <results result=...> in the reply");
  return result;
}
