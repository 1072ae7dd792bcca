/**
 * The emulator's dialects (docs/emulator.md "Dialects"). A real node may make other choices
 * than ours wherever the protocol leaves a detail [chosen] (not public); the `alt` dialect
 * makes the other choice on EVERY such point at once, so that the tool is tested against
 * both. This table is the one place that lists the differences (numbered as the protocol's
 * list of what the tool must not depend on; docs/emulator.md repeats it for readers):
 *
 * | # | what                          | vendor (default)                                   | alt                                                     |
 * |---|-------------------------------|----------------------------------------------------|---------------------------------------------------------|
 * | 1 | safesquid_params write reply  | `<startup_params result="saved"/>`                  | empty 200 body                                          |
 * | 1 | configuration reply           | `<configuration result="ok" id="N"/>`               | `<response status="ok"/>` (no id)                       |
 * | 1 | cloud_backup reply            | `<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>` | `<response><cloud_backup><results Result="done"/></cloud_backup></response>` |
 * | 1 | save reply                    | `<save_settings><results result="File saved"/></save_settings>` (real: the same in both) | the same            |
 * | 2 | safesquid_params read         | `<startup><param name value desc/>...</startup>`    | `<reply><startup><param NAME VALUE DESC/>...</startup></reply>` |
 * | 2 | subscription                  | `<subscription_details><information Activation_Key_Name Service_ID Status Version/>` | `<response><subscription_details><information activation_key_name service_id status version/>...</response>` |
 * | 2 | conf_xml                      | the document, root `<safesquid>`                    | the same (it IS the document)                           |
 * | 3 | access refused (no CONFIG)    | 403, small HTML "Access Denied" page                | 200, the same HTML page (text/html)                     |
 * |   | (407 challenges, CONNECT refusals) | 407 / 403 as they are                         | the same (a 200 to CONNECT would open the tunnel)       |
 * | 4 | sync log failure / no change  | `config_sync:90 failed to synchronize with ...`, `config_sync:96 no changes ...` | neither line (only the real :80 and :104 lines) |
 * | 5 | handler=log backlog           | the last 3000 lines first                           | none: only lines logged after the request arrived       |
 * | 6 | safesquid_restart             | `<restart_info status="SafeSquid service restarted"/>`, then down | the connection dropped without a reply, then down |
 * | 7 | new rows (add, clone)         | at the bottom of the subsection; ids kept across save | at the TOP; every entry id renumbered at each save and each load (restart) |
 * | 8 | conf_xml Last-Modified        | sent; If-Modified-Since answered 304 when unchanged | never sent; If-Modified-Since ignored (always 200)      |
 *
 * The node options `logBacklogLines` and `restartDowntimeMs` override points 5 and 6's sizes in
 * either dialect. Everything else (strictness, 407, the document) is the same in both.
 */
import { el, toXml } from "../safesquid/xml.js";
import type { Reply } from "./core.js";
import type { ParamLine } from "./params.js";
import { htmlPage } from "./reply.js";

export type Dialect = "vendor" | "alt";

/** Every dialect, the default first. */
export const DIALECTS: readonly Dialect[] = ["vendor", "alt"];

/** Is this text the name of a dialect? */
export function isDialect(s: string | undefined): s is Dialect {
  return (DIALECTS as readonly (string | undefined)[]).includes(s);
}

/** The licence details a node reports (docs/emulator.md "Dialects", point 2). */
export interface LicenceInfo {
  activationKeyName: string;
  serviceId: string;
  status: string;
  version: string;
}

/** What one dialect does on each point of the table above. */
export interface DialectRules {
  readonly name: Dialect;
  /** 1: reply to a whole-list safesquid_params write. */
  paramsSaved(): string;
  /** 1: reply to a successful configuration call. */
  configured(id: string): string;
  /** 1: reply to cloud_backup. */
  cloudBackedUp(): string;
  /** 2: the safesquid_params read reply. */
  paramsRead(list: readonly ParamLine[]): string;
  /** 2: the subscription reply. */
  subscription(info: LicenceInfo): string;
  /** 3: the reply to an admin request the access rows refuse (no CONFIG, no row, deny row). */
  denied(): Reply;
  /** 4: write the [chosen] failure and no-change sync lines. */
  readonly chosenSyncLines: boolean;
  /** 5: lines of backlog handler=log sends first. */
  readonly logBacklogLines: number;
  /** 6: reply to safesquid_restart before going down (else: drop the connection). */
  readonly restartReplies: boolean;
  /** 7: where add and clone put a new row in its subsection. */
  readonly newRows: "bottom" | "top";
  /** 7: give every entry a new id at each save and each load. */
  readonly renumberIds: boolean;
  /** 8: send Last-Modified on conf_xml and answer If-Modified-Since. */
  readonly lastModified: boolean;
}

const DENIED_TEXT = "Access to the requested resource is denied by the proxy's Access Restrictions.";

const VENDOR: DialectRules = {
  name: "vendor",
  paramsSaved: () => toXml(el("startup_params", { result: "saved" })),
  configured: (id) => toXml(el("configuration", { result: "ok", id })),
  cloudBackedUp: () => toXml(el("cloud_backup", {}, [el("results", { result: "Configuration backed up to cloud" })])),
  paramsRead: (list) => toXml(el("startup", {}, list.map((p) => el("param", { name: p.name, value: p.raw, desc: p.desc })))),
  subscription: (i) =>
    toXml(el("subscription_details", {}, [el("information", { Activation_Key_Name: i.activationKeyName, Service_ID: i.serviceId, Status: i.status, Version: i.version })])),
  denied: () => htmlPage(403, "Access Denied", DENIED_TEXT),
  chosenSyncLines: true,
  logBacklogLines: 3000,
  restartReplies: true,
  newRows: "bottom",
  renumberIds: false,
  lastModified: true,
};

const ALT: DialectRules = {
  name: "alt",
  paramsSaved: () => "",
  configured: () => toXml(el("response", { status: "ok" })),
  cloudBackedUp: () => toXml(el("response", {}, [el("cloud_backup", {}, [el("results", { Result: "done" })])])),
  paramsRead: (list) => toXml(el("reply", {}, [el("startup", {}, list.map((p) => el("param", { NAME: p.name, VALUE: p.raw, DESC: p.desc })))])),
  subscription: (i) =>
    toXml(el("response", {}, [el("subscription_details", {}, [el("information", { activation_key_name: i.activationKeyName, service_id: i.serviceId, status: i.status, version: i.version })])])),
  denied: () => ({ ...htmlPage(403, "Access Denied", DENIED_TEXT), status: 200 }),
  chosenSyncLines: false,
  logBacklogLines: 0,
  restartReplies: false,
  newRows: "top",
  renumberIds: true,
  lastModified: false,
};

/** The rules of a dialect. */
export function rulesOf(d: Dialect): DialectRules {
  return d === "alt" ? ALT : VENDOR;
}
