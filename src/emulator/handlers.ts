/**
 * The admin handlers, chosen by the `handler` parameter (docs/protocol.md). Each
 * returns its reply; failures are payload errors (`<error message="..."/>`, status 200).
 */
import { relative } from "node:path";
import { el, toXml } from "../safesquid/xml.js";
import { configure } from "./access-edit.js";
import type { AdminCall, Handler, NodeCore, Reply } from "./core.js";
import { confXml, streamLog } from "./document-handlers.js";
import { THREAD } from "./native-log.js";
import { checkWrite, formatIni } from "./params.js";
import { xmlError } from "./reply.js";

/** Read (no `no_of_params`) or whole-list write of the startup parameters (§3). */
function safesquidParams(core: NodeCore, call: AdminCall): Reply {
  const current = core.fileParams();
  if (!call.params.has("no_of_params")) return { body: core.rules.paramsRead(current) };
  const checked = checkWrite(call.params, current);
  if ("error" in checked) return xmlError(checked.error);
  // Written values take effect only after a restart: only the file changes here (§3).
  core.folder.writeStartupIni(formatIni(checked.list));
  core.log.write(THREAD.admin, "config", `startup parameters saved (${checked.list.length} parameters; in effect after a restart)`);
  return { body: core.rules.paramsSaved() };
}

/** Replies (or, in the alt dialect, hangs up), then restarts once that is done (§4). */
function restart(core: NodeCore): Reply {
  core.log.write(THREAD.admin, "config", "restart requested through the web interface");
  const afterFlush = (): void => core.requestRestart();
  if (!core.rules.restartReplies) return { body: "", hangUp: true, afterFlush };
  return { body: toXml(el("restart_info", { status: "SafeSquid service restarted" })), afterFlush };
}

/** Saves the running document to config.xml, keeping a timestamped copy of the old one (§4). */
function save(core: NodeCore, call: AdminCall): Reply {
  const filename = call.params.get("filename");
  if (filename !== "config.xml") return xmlError(`cannot save to "${filename ?? ""}": only config.xml is saved`);
  // The alt dialect gives every entry a new id at each save (docs/emulator.md "Dialects", point 7).
  if (core.rules.renumberIds) core.policy.renumber();
  const backup = core.folder.saveConfig(core.policy.text(), core.clock.now());
  const kept = backup ? `, previous copy kept as ${relative(core.folder.dir, backup)}` : "";
  core.log.write(THREAD.admin, "config", `configuration saved to config.xml${kept}`);
  return { body: toXml(el("save_settings", {}, [el("results", { result: "File saved" })])) };
}

/** Pretends to upload the configuration; a fault makes it fail (§4). */
function cloudBackup(core: NodeCore): Reply {
  const err = core.faults.cloudBackupError;
  if (err !== undefined) {
    core.log.write(THREAD.admin, "config", `cloud backup failed: ${err}`);
    return xmlError(err);
  }
  core.log.write(THREAD.admin, "config", "configuration backed up to cloud");
  return { body: core.rules.cloudBackedUp() };
}

/** The licence details (§7); `refresh` is accepted and ignored. */
function subscription(core: NodeCore): Reply {
  const s = core.subscription;
  return { body: core.rules.subscription({ activationKeyName: s.activationKeyName, serviceId: s.serviceId, status: "active", version: s.version }) };
}

/** The handler table. */
export const HANDLERS: Readonly<Record<string, Handler>> = {
  safesquid_params: safesquidParams,
  safesquid_restart: restart,
  save,
  cloud_backup: cloudBackup,
  subscription,
  conf_xml: confXml,
  configuration: configure,
  log: streamLog,
};

/** Finds the handler of a call, or answers the payload error for a missing/unknown one. */
export function dispatch(core: NodeCore, call: AdminCall): ReturnType<Handler> {
  const name = call.params.get("handler");
  if (name === undefined || name === "") return xmlError("no handler given");
  const h = Object.prototype.hasOwnProperty.call(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (!h) return xmlError(`unknown handler "${name}"`);
  return h(core, call);
}
