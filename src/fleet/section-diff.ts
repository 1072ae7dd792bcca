/**
 * What differs between a master's section and a slave's (pure), for `verify --diff`: the
 * section's global fields by name, and its rows (entries) per subsection, compared in
 * canonical form with ids ignored and row order kept (docs/protocol.md "Verify"). Rows are
 * aligned by their longest common run; what is left between two aligned rows is a row moved
 * (the same row elsewhere), a row changed in place (its fields listed), or a row only one side
 * has. Read as the plan of the next sync: what it would do to the slave. Credential fields
 * (an LDAP bind password...) are named, never shown.
 */
import { canonical, entries } from "../safesquid/policy.js";
import { elements, textOf, type XmlElement } from "../safesquid/xml.js";
import type { Report } from "./report.js";

/** At most this many changes are listed per section; the rest are counted. */
export const MAX_CHANGES = 50;
/** Rows compared pairwise (longest common run) up to this product of counts; beyond, by place. */
const LCS_LIMIT = 1_000_000;

// A credential by its name: password, ldappassword, anonpass, a secret, a token, a private key
// (but not bypass, passive or keyword).
const SECRET_NAME = /(?<!by)pass(word|wd|phrase)?$|secret|token|private_?key|credential/i;

/** Is this field a credential, whose value must never be shown? */
export function isSecretField(name: string): boolean {
  return SECRET_NAME.test(name.replace(/^@/, ""));
}

/** A field's value as shown: its text, or the canonical form of what it holds. */
function shown(e: XmlElement): string {
  const inner = elements(e);
  return inner.length === 0 ? textOf(e) : inner.map(canonical).join("");
}

/** The fields of an element (child elements without an id, and its attributes but id), by name; a repeated name is `name[2]`. */
function fieldsOf(e: XmlElement, withEntries: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(e.attrs)) if (k !== "id") out.set(`@${k}`, v);
  const seen = new Map<string, number>();
  for (const c of elements(e)) {
    if (!withEntries && c.attrs.id !== undefined) continue;
    const n = (seen.get(c.name) ?? 0) + 1;
    seen.set(c.name, n);
    out.set(n === 1 ? c.name : `${c.name}[${n}]`, shown(c));
  }
  return out;
}

/** The fields that differ between two field maps, master's order first. */
function fieldDiffs(m: Map<string, string>, s: Map<string, string>): Report["FieldDiff"][] {
  const out: Report["FieldDiff"][] = [];
  for (const name of new Set([...m.keys(), ...s.keys()])) {
    const a = m.get(name);
    const b = s.get(name);
    if (a === b) continue;
    out.push(field(name, a, b));
  }
  return out;
}

function field(name: string, master: string | undefined, slave: string | undefined): Report["FieldDiff"] {
  if (isSecretField(name)) return { field: name, hidden: true };
  return { field: name, ...(master !== undefined ? { master } : {}), ...(slave !== undefined ? { slave } : {}) };
}

interface Row {
  el: XmlElement;
  key: string;
  /** 1-based place among its subsection's rows. */
  pos: number;
}

function rowsOf(section: XmlElement, sub: string): Row[] {
  return entries(section, sub).map((el, i) => ({ el, key: canonical(el), pos: i + 1 }));
}

function labelOf(e: XmlElement): string | undefined {
  for (const name of ["comment", "description", "name"]) {
    const f = elements(e).find((c) => c.name === name);
    const t = f ? textOf(f).trim() : "";
    if (t) return t;
  }
  return undefined;
}

function rowChange(op: Report["SectionChange"]["op"], sub: string, m: Row | undefined, s: Row | undefined): Report["SectionChange"] {
  const label = labelOf((m ?? s)!.el);
  const c: Report["SectionChange"] = { op, subsection: sub, fields: [], ...(m ? { masterPosition: m.pos } : {}), ...(s ? { slavePosition: s.pos } : {}), ...(label !== undefined ? { label } : {}) };
  if (op === "change") c.fields = fieldDiffs(fieldsOf(m!.el, true), fieldsOf(s!.el, true));
  else if (op === "add") c.fields = [...fieldsOf(m!.el, true)].map(([k, v]) => field(k, v, undefined));
  else if (op === "remove") c.fields = [...fieldsOf(s!.el, true)].map(([k, v]) => field(k, undefined, v));
  return c;
}

/** Pairs of equal rows (indexes into a and b), in order: common prefix and suffix, the longest common run between. */
function align(a: Row[], b: Row[]): [number, number][] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre]!.key === b[pre]!.key) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf]!.key === b[b.length - 1 - suf]!.key) suf++;
  const pairs: [number, number][] = [];
  for (let i = 0; i < pre; i++) pairs.push([i, i]);
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if (n > 0 && m > 0 && n * m <= LCS_LIMIT) {
    // Longest common subsequence over the middle, by the classic table (lengths of suffixes).
    const w = m + 1;
    const t = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        t[i * w + j] = a[pre + i]!.key === b[pre + j]!.key ? t[(i + 1) * w + j + 1]! + 1 : Math.max(t[(i + 1) * w + j]!, t[i * w + j + 1]!);
      }
    }
    for (let i = 0, j = 0; i < n && j < m; ) {
      if (a[pre + i]!.key === b[pre + j]!.key) pairs.push([pre + i++, pre + j++]);
      else if (t[(i + 1) * w + j]! >= t[i * w + j + 1]!) i++;
      else j++;
    }
  }
  for (let k = suf; k > 0; k--) pairs.push([a.length - k, b.length - k]);
  return pairs;
}

/** The changes of one subsection's rows. */
function rowChanges(sub: string, a: Row[], b: Row[]): Report["SectionChange"][] {
  const pairs = align(a, b);
  // The gaps between aligned rows: what is left on each side.
  const gaps: { m: Row[]; s: Row[] }[] = [];
  let pi = 0;
  let pj = 0;
  for (const [i, j] of [...pairs, [a.length, b.length] as [number, number]]) {
    gaps.push({ m: a.slice(pi, i), s: b.slice(pj, j) });
    pi = i + 1;
    pj = j + 1;
  }
  const out: Report["SectionChange"][] = [];
  // The same row on both sides but in other places: a move.
  const leftOnSlave = new Map<string, Row[]>();
  for (const g of gaps) for (const r of g.s) leftOnSlave.set(r.key, [...(leftOnSlave.get(r.key) ?? []), r]);
  const moved = new Set<Row>();
  for (const g of gaps) {
    for (const r of g.m) {
      const twin = leftOnSlave.get(r.key)?.shift();
      if (!twin) continue;
      moved.add(r).add(twin);
      out.push(rowChange("move", sub, r, twin));
    }
  }
  for (const g of gaps) {
    const m = g.m.filter((r) => !moved.has(r));
    const s = g.s.filter((r) => !moved.has(r));
    const both = Math.min(m.length, s.length);
    for (let k = 0; k < both; k++) out.push(rowChange("change", sub, m[k], s[k]));
    for (const r of m.slice(both)) out.push(rowChange("add", sub, r, undefined));
    for (const r of s.slice(both)) out.push(rowChange("remove", sub, undefined, r));
  }
  return out.sort((x, y) => (x.masterPosition ?? x.slavePosition ?? 0) - (y.masterPosition ?? y.slavePosition ?? 0));
}

/** The subsections (entry element names) of two sections, master's first. */
function subsections(m: XmlElement, s: XmlElement): string[] {
  const names = new Set<string>();
  for (const sec of [m, s]) for (const e of entries(sec)) names.add(e.name);
  return [...names];
}

/** What differs between the master's and the slave's copy of one section. */
export function diffSection(master: XmlElement, slave: XmlElement | undefined, status: Report["SectionStatus"]): Report["SectionDiff"] {
  const d: Report["SectionDiff"] = { section: master.name, status, changes: [] };
  if (!slave) {
    d.missingOnSlave = true;
    return d;
  }
  const changes: Report["SectionChange"][] = fieldDiffs(fieldsOf(master, false), fieldsOf(slave, false)).map((f) => ({ op: "field", fields: [f] }));
  for (const sub of subsections(master, slave)) changes.push(...rowChanges(sub, rowsOf(master, sub), rowsOf(slave, sub)));
  d.changes = changes.slice(0, MAX_CHANGES);
  if (changes.length > MAX_CHANGES) d.more = changes.length - MAX_CHANGES;
  return d;
}
