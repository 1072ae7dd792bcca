/**
 * Planning `detach --prune-allow` (pure): the master's managed allow row without the detached
 * slaves' addresses. Only whole items of the row's `ip` list are removed (an address inside a
 * range stays covered, and is said so); an address another slave of the inventory still uses
 * is kept. A row left with no address at all is removed: an empty `ip` would match EVERY
 * address (docs/protocol.md "Access").
 */
import { ipMatches, splitList, type AccessSection } from "../safesquid/access.js";
import { findManaged, rowComment, type AllowInput } from "./allow-plan.js";
import { redactRow, snapshotOf, type AccessSnapshot, type RowState } from "./access-snapshot.js";

export interface PruneInput {
  access: AccessSection;
  userGroup: string;
  /** Addresses of the slaves that leave. */
  remove: string[];
  /** Every inventory slave that stays, with its address (kept in the row; named in its comment). */
  staying: AllowInput["known"];
}

export interface PrunePlan {
  /** The change to the managed row; absent when no address of the row leaves. */
  change?: {
    from: RowState;
    /** null: the row is removed (no address left). */
    to: RowState | null;
    removed: string[];
    /** The access section as it will be. */
    result: AccessSnapshot;
  };
  warnings: string[];
}

/** Plans the change to the managed row. */
export function planPrune(i: PruneInput): PrunePlan {
  const at = findManaged(i.access, i.userGroup);
  if (at < 0) return { warnings: [] };
  const row = i.access.allow[at]!;
  const items = splitList(row.values.ip);
  const warnings: string[] = [];
  const used = new Set(i.staying.map((k) => k.address));
  const removed = items.filter((item) => i.remove.includes(item) && !used.has(item));
  for (const a of i.remove) {
    if (used.has(a) && items.includes(a)) warnings.push(`${a} stays in the allow row: another slave of the inventory uses it`);
    else if (!items.includes(a) && ipMatches(row.values.ip, a)) warnings.push(`${a} stays allowed: the row covers it with a range, which the tool does not split`);
  }
  if (removed.length === 0) return { warnings };
  const left = items.filter((x) => !removed.includes(x));
  const to = left.length ? state({ ...row.values, ip: left.join(","), comment: rowComment(left, i.staying) }, at) : null;
  const result = snapshotOf(i.access);
  if (to) result.allow[at] = to.values;
  else result.allow.splice(at, 1);
  return { change: { from: state(row.values, at), to, removed, result }, warnings };
}

function state(values: RowState["values"], place: number): RowState {
  return { values: redactRow(values), place };
}
