/**
 * The policy document (`conf_xml`, config.xml): root `<safesquid>`, one child per section;
 * a section holds global fields (child elements without `id`) and entries (child elements
 * named after their subsection, each with an `id`). Spec: docs/protocol.md "The policy document".
 */
import { createHash } from "node:crypto";
import { type AccessRow, type AccessSection, type RowValues } from "./access.js";
import { child, elements, parseXml, textOf, toXml, type XmlElement } from "./xml.js";

export const ROOT = "safesquid";

/** A document whose shape is not a SafeSquid policy document. */
export class PolicyShapeError extends Error {
  override name = "PolicyShapeError";
}

/** Parses and checks the root; throws XmlError or PolicyShapeError. */
export function parsePolicy(text: string): XmlElement {
  const root = parseXml(text);
  if (root.name !== ROOT) throw new PolicyShapeError(`the root element is <${root.name}>, not <${ROOT}>`);
  return root;
}

/** Serialises a document the way config.xml is laid out on disk. */
export function formatPolicy(root: XmlElement): string {
  return toXml(root, { indent: "    ", declaration: true });
}

/** The sections of a document, in document order. */
export function sections(root: XmlElement): XmlElement[] {
  return elements(root);
}

/** Entries of a section (children carrying an id), optionally of one subsection. */
export function entries(section: XmlElement, subsection?: string): XmlElement[] {
  return elements(section).filter((e) => e.attrs.id !== undefined && (subsection === undefined || e.name === subsection));
}

/** An entry's fields: child element name -> text. Later duplicates win. */
export function entryValues(entry: XmlElement): RowValues {
  const v: RowValues = {};
  for (const f of elements(entry)) v[f.name] = textOf(f);
  return v;
}

/** The largest numeric id in the document (0 when none). */
export function maxId(root: XmlElement): number {
  let max = 0;
  const walk = (e: XmlElement): void => {
    const n = Number(e.attrs.id);
    if (Number.isInteger(n) && n > max) max = n;
    for (const c of elements(e)) walk(c);
  };
  walk(root);
  return max;
}

/** Reads the access section into rows; a document without one reads as policy DENY, no rows. */
export function readAccess(root: XmlElement): AccessSection {
  const sec = child(root, "access");
  if (!sec) return { policy: "DENY", allow: [], deny: [] };
  const policyEl = child(sec, "policy");
  const policy = policyEl && textOf(policyEl).trim().toUpperCase() === "ALLOW" ? "ALLOW" : "DENY";
  const rows = (sub: "allow" | "deny"): AccessRow[] =>
    entries(sec, sub).map((e) => ({ id: e.attrs.id!, subsection: sub, values: entryValues(e) }));
  return { policy, allow: rows("allow"), deny: rows("deny") };
}

/**
 * A canonical text of an element for comparison: ids dropped, whitespace-only text between
 * elements dropped, attributes sorted; element order and text content kept exactly. Each
 * attribute value and text is written as a JSON string.
 *
 * Built in one string (appending makes no copies in V8) and quoting by JSON.stringify only
 * when a value needs escaping: this runs for every section of every slave's document.
 */
export function canonical(e: XmlElement): string {
  let out = "";
  const walk = (x: XmlElement): void => {
    out += "<" + x.name;
    const keys = Object.keys(x.attrs);
    if (keys.length > 1) keys.sort();
    for (const k of keys) if (k !== "id") out += " " + k + "=" + quoted(x.attrs[k]!);
    out += ">";
    const children = x.children;
    let hasElements = false;
    for (let i = 0; i < children.length && !hasElements; i++) hasElements = typeof children[i] !== "string";
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (typeof c !== "string") walk(c);
      else if (!hasElements || c.trim() !== "") out += quoted(c);
    }
    out += "</" + x.name + ">";
  };
  walk(e);
  return out;
}

/** What JSON.stringify escapes in a string: `"`, `\`, control characters, lone surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s), without its cost for the usual value that needs no escaping. */
function quoted(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}

/** A short digest of a section's canonical text (ids and formatting ignored). */
export function sectionDigest(e: XmlElement): string {
  return createHash("sha256").update(canonical(e)).digest("hex").slice(0, 32);
}

/**
 * Every section's comparison key, by section name (a repeated section name keeps the first):
 * its canonical text itself. Two sections are equal exactly when their keys are; the keys are
 * only ever compared within one run, so no hash is taken (hashing each section cost more than
 * parsing the document).
 */
export function sectionDigests(root: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sections(root)) if (!out.has(s.name)) out.set(s.name, canonical(s));
  return out;
}

/** Serialises one section (for diffs and run records). */
export function sectionXml(e: XmlElement): string {
  return toXml(e, { indent: "    " });
}
