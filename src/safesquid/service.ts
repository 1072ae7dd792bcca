/** Save, restart and cloud backup (docs/protocol.md "Restart, save, backup"). */
import { FleetError } from "../errors.js";
import { badReply } from "./errors.js";
import { attr, checkWriteReply, findFirst, readReply } from "./replies.js";
import type { AdminTransport } from "./transport.js";

/** Failures after which a save may or may not have happened; sending it again is harmless. */
const LOST = new Set(["RESET", "TIMEOUT", "SERVER_ERROR"]);

/**
 * Persists the running document. The one write reply the vendor's interface does check:
 * `<results result="File saved"/>` (found anywhere); any other result is a failure. A save
 * is idempotent (it writes the running document again), so a lost reply is answered by
 * saving once more rather than by guessing.
 */
export async function save(t: AdminTransport): Promise<void> {
  const form: [string, string][] = [["handler", "save"], ["filename", "config.xml"]];
  let reply;
  try {
    reply = await t.call(form, { kind: "write" });
  } catch (e) {
    if (!(e instanceof FleetError) || !LOST.has(e.code)) throw e;
    reply = await t.call(form, { kind: "write" });
  }
  const results = findFirst(readReply(t.node, "save", reply), "results");
  const result = results && attr(results, "result")?.trim();
  if (result !== "File saved") throw badReply(t.node, "save", `result "${result ?? "(none)"}" instead of "File saved": the configuration may not be saved`);
}

/**
 * Asks the service to restart. The reply may never come (the restart may drop the
 * connection first) and its shape says nothing: only an `<error>` is a refusal.
 */
export async function restart(t: AdminTransport): Promise<void> {
  const reply = await t.call([["handler", "safesquid_restart"]], { kind: "write" });
  checkWriteReply(t.node, "safesquid_restart", reply);
}

/** Backs the configuration up to the vendor's cloud; returns the node's result text when it gives one. */
export async function cloudBackup(t: AdminTransport): Promise<string> {
  const reply = await t.call([["handler", "cloud_backup"]], { kind: "write" });
  checkWriteReply(t.node, "cloud_backup", reply);
  try {
    const results = findFirst(readReply(t.node, "cloud_backup", reply), "results");
    return (results && attr(results, "result")) ?? "";
  } catch {
    return "";
  }
}
