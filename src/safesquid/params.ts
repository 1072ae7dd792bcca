/**
 * Startup parameters (handler `safesquid_params`, admin-endpoint.md §3). Values come with
 * literal double quotes, which a reader strips; a write sends the WHOLE list back (the
 * vendor's client does), every key other than those changed exactly as it was read.
 */
import type { Params } from "./transport.js";
import { elements } from "./xml.js";
import { badReply } from "./errors.js";
import { readReply } from "./replies.js";
import type { AdminTransport } from "./transport.js";

export interface StartupParam {
  name: string;
  /** The value exactly as the node sent it (usually with its double quotes). */
  raw: string;
  desc: string;
}

/** A value without its surrounding double quotes. */
export function unquote(raw: string): string {
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
}

/** The values by name, unquoted. */
export function paramValues(params: readonly StartupParam[]): Map<string, string> {
  return new Map(params.map((p) => [p.name, unquote(p.raw)]));
}

/** The list with some values changed (quoted as the node quotes them); new keys go last. */
export function withValues(params: readonly StartupParam[], changes: Record<string, string>): StartupParam[] {
  const out = params.map((p) => {
    if (!(p.name in changes)) return { ...p };
    const quoted = p.raw.startsWith('"') || p.raw === "";
    return { ...p, raw: quoted ? `"${changes[p.name]}"` : changes[p.name]! };
  });
  for (const [name, v] of Object.entries(changes)) {
    if (!params.some((p) => p.name === name)) out.push({ name, raw: `"${v}"`, desc: "" });
  }
  return out;
}

/** Reads the node's startup parameters, in its order. */
export async function readParams(t: AdminTransport): Promise<StartupParam[]> {
  const reply = await t.call([["handler", "safesquid_params"]], { kind: "read" });
  const root = readReply(t.node, "safesquid_params", reply.body, "startup");
  const out: StartupParam[] = [];
  for (const p of elements(root)) {
    if (p.name !== "param" || p.attrs.name === undefined) throw badReply(t.node, "safesquid_params", `<${p.name}> inside <startup>`);
    out.push({ name: p.attrs.name, raw: p.attrs.value ?? "", desc: p.attrs.desc ?? "" });
  }
  if (out.length === 0) throw badReply(t.node, "safesquid_params", "no parameters at all");
  return out;
}

/** The form of a whole-list write: no_of_params, then param<i>, value<i>, desc<i>. */
export function encodeParamsWrite(params: readonly StartupParam[]): Params {
  const form: Params = [["handler", "safesquid_params"], ["no_of_params", String(params.length)]];
  params.forEach((p, i) => form.push([`param${i}`, p.name], [`value${i}`, p.raw], [`desc${i}`, p.desc]));
  return form;
}

/** Writes the whole list; the node answers `<startup_params result="saved"/>`. */
export async function writeParams(t: AdminTransport, params: readonly StartupParam[]): Promise<void> {
  const reply = await t.call(encodeParamsWrite(params), { kind: "write" });
  const root = readReply(t.node, "safesquid_params", reply.body, "startup_params");
  if (root.attrs.result !== "saved") throw badReply(t.node, "safesquid_params", `result "${root.attrs.result ?? ""}" instead of "saved"`);
}
