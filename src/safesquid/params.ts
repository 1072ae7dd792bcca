/**
 * Startup parameters (handler `safesquid_params`, docs/protocol.md "Startup parameters").
 * A read answers `<param name=.. value=.. desc=../>` elements; the vendor's interface removes
 * EVERY double quote from each value it reads, shows that, and writes that back. A write
 * sends the WHOLE list (the vendor's client does), each value without any `"`: the node adds
 * the quotes itself when it stores `KEY="value"`.
 */
import { badReply } from "./errors.js";
import { attr, checkWriteReply, findAll, readReply } from "./replies.js";
import type { AdminTransport, Params } from "./transport.js";

export interface StartupParam {
  name: string;
  /** The value as the vendor's interface holds it: as read, without any double quote. */
  value: string;
  /** The description, exactly as read. */
  desc: string;
}

/** A value as the vendor's interface reads it: every `"` removed (startup.js). */
export function unquote(raw: string): string {
  return raw.replace(/"/g, "");
}

/** The values by name. */
export function paramValues(params: readonly StartupParam[]): Map<string, string> {
  return new Map(params.map((p) => [p.name, p.value]));
}

/** The list with some values changed; keys the node does not have yet go last. */
export function withValues(params: readonly StartupParam[], changes: Record<string, string>): StartupParam[] {
  const out = params.map((p) => (p.name in changes ? { ...p, value: unquote(changes[p.name]!) } : { ...p }));
  for (const [name, v] of Object.entries(changes)) {
    if (!params.some((p) => p.name === name)) out.push({ name, value: unquote(v), desc: "" });
  }
  return out;
}

/** Reads the node's startup parameters, in its order. */
export async function readParams(t: AdminTransport): Promise<StartupParam[]> {
  const reply = await t.call([["handler", "safesquid_params"]], { kind: "read" });
  const root = readReply(t.node, "safesquid_params", reply);
  const out: StartupParam[] = [];
  for (const p of findAll(root, "param")) {
    const name = attr(p, "name");
    if (name === undefined || name === "") throw badReply(t.node, "safesquid_params", "a <param> without a name");
    out.push({ name, value: unquote(attr(p, "value") ?? ""), desc: attr(p, "desc") ?? "" });
  }
  if (out.length === 0) throw badReply(t.node, "safesquid_params", "no <param> elements at all");
  return out;
}

/**
 * The form of a whole-list write, in the vendor's order (startup.js `save_startup`):
 * handler, no_of_params, then param<i>, value<i>, desc<i> for every parameter.
 */
export function encodeParamsWrite(params: readonly StartupParam[]): Params {
  const form: Params = [["handler", "safesquid_params"], ["no_of_params", String(params.length)]];
  params.forEach((p, i) => form.push([`param${i}`, p.name], [`value${i}`, unquote(p.value)], [`desc${i}`, p.desc]));
  return form;
}

/**
 * Sends the whole list. Only an `<error>` in the reply is a failure; whether the values
 * landed is for the caller to read back (the vendor's interface does not read this reply).
 */
export async function writeParams(t: AdminTransport, params: readonly StartupParam[]): Promise<void> {
  const reply = await t.call(encodeParamsWrite(params), { kind: "write" });
  checkWriteReply(t.node, "safesquid_params", reply);
}
