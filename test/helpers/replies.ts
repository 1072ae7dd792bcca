/**
 * Reading admin replies in tests the way the vendor's web interface reads them: elements by
 * name anywhere, attribute names in any case, never the root (docs/emulator.md "Dialects":
 * the alt dialect wraps replies and changes attribute case). Test assertions that must hold
 * in both dialects read replies through these.
 */
import { parseXml, type XmlElement } from "../../src/safesquid/xml.js";

/** Every element of this name anywhere in the tree, in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name === name) out.push(e);
    for (const c of e.children) if (typeof c !== "string") walk(c);
  };
  walk(root);
  return out;
}

/** An attribute by name in any case. */
export function attr(e: XmlElement | undefined, name: string): string | undefined {
  if (!e) return undefined;
  const key = Object.keys(e.attrs).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : e.attrs[key];
}

export interface ReadParam {
  name: string;
  /** The value as sent (quotes included). */
  value: string;
  desc: string;
}

/** The startup parameters of a `safesquid_params` read reply, in order. */
export function readParams(body: string): ReadParam[] {
  return findAll(parseXml(body), "param").map((p) => ({ name: attr(p, "name") ?? "", value: attr(p, "value") ?? "", desc: attr(p, "desc") ?? "" }));
}

/** The whole-list write form the vendor's web interface sends: every value without any `"`, `changes` applied. */
export function paramsWriteForm(list: ReadParam[], changes: Record<string, string> = {}): [string, string][] {
  const form: [string, string][] = [["handler", "safesquid_params"], ["no_of_params", String(list.length)]];
  list.forEach((p, i) => form.push([`param${i}`, p.name], [`value${i}`, changes[p.name] ?? p.value.replace(/"/g, "")], [`desc${i}`, p.desc]));
  return form;
}

/** The `information` attributes of a subscription reply, by lower-case name. */
export function readLicence(body: string): Map<string, string> {
  const info = findAll(parseXml(body), "information")[0];
  return new Map(Object.entries(info?.attrs ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
}
