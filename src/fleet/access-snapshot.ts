/**
 * An access section as run records keep it (values only, ids being unstable; secret fields
 * redacted), and comparing such snapshots: what tells "as the run left it" from "changed
 * since" on a master (docs/run-records.md).
 */
import { SECRET_FIELDS, type AccessSection, type RowValues } from "../safesquid/access.js";
import { sameValues } from "./allow-plan.js";

export interface AccessSnapshot {
  policy: string;
  allow: RowValues[];
  deny: RowValues[];
}

/** The managed allow row as a change sees it: its values and its place among the allow rows (0-based). */
export interface RowState {
  values: RowValues;
  place: number;
}

/** Row values with every secret field that holds something replaced by "[redacted]". */
export function redactRow(v: RowValues): RowValues {
  const out: RowValues = {};
  for (const [k, x] of Object.entries(v)) out[k] = SECRET_FIELDS.has(k) && x ? "[redacted]" : x;
  return out;
}

/** An access section as a record keeps it (so a live one compares with a recorded one). */
export function snapshotOf(access: AccessSection): AccessSnapshot {
  return { policy: access.policy, allow: access.allow.map((r) => redactRow(r.values)), deny: access.deny.map((r) => redactRow(r.values)) };
}

/** Same rows, values and order (ids ignored; secret fields compare redacted, as recorded). */
export function sameSnapshot(a: AccessSnapshot, b: AccessSnapshot): boolean {
  const rows = (x: readonly RowValues[], y: readonly RowValues[]): boolean => x.length === y.length && x.every((r, i) => sameValues(r, y[i]!));
  return a.policy === b.policy && rows(a.allow, b.allow) && rows(a.deny, b.deny);
}

/** The first difference, in words: "allow row 3 differs", "4 allow rows now, 3 then". */
export function snapshotDiff(now: AccessSnapshot, then: AccessSnapshot): string {
  if (now.policy !== then.policy) return `its policy is ${now.policy} now, ${then.policy} then`;
  for (const sub of ["allow", "deny"] as const) {
    const a = now[sub];
    const b = then[sub];
    const i = a.findIndex((r, k) => k >= b.length || !sameValues(r, b[k]!));
    if (a.length !== b.length) return `${a.length} ${sub} rows now, ${b.length} as the run left them${i >= 0 ? ` (the first that differs: row ${i + 1})` : ""}`;
    if (i >= 0) return `${sub} row ${i + 1} differs from what the run left`;
  }
  return "no difference";
}

/** The section with the managed row changed from one state to another. */
export function transformed(snap: AccessSnapshot, from: RowState | null, to: RowState | null): AccessSnapshot {
  const allow = snap.allow.slice();
  if (from) {
    const i = allow.findIndex((v) => sameValues(v, from.values));
    if (i >= 0) allow.splice(i, 1);
  }
  if (to) allow.splice(Math.min(to.place, allow.length), 0, to.values);
  return { ...snap, allow };
}
