/**
 * Changing the managed allow row on a master from one recorded state to another (undo, and
 * detach --prune-allow): edit it, remove it, or add it, then move it to its place, each step
 * proved by reading the access section back (docs/protocol.md "Deciding by reading back"); the
 * row is found by content, never by a remembered id. Then save, and read back the whole section.
 */
import { FleetError } from "../errors.js";
import type { NodeSpec } from "../inventory/types.js";
import { SECRET_FIELDS, splitList, type AccessSection, type RowValues } from "../safesquid/access.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import { sameValues } from "./allow-plan.js";
import { liveAccess, placeRow } from "./allow-write.js";
import { writeAndReadBack, type Seen } from "./landed.js";
import { redactRow, snapshotOf, type AccessSnapshot, type RowState } from "./access-snapshot.js";
import type { NodeResult } from "./report.js";
import { step } from "./results.js";
import type { FleetSession } from "./session.js";

export interface RowMove {
  s: FleetSession;
  c: SafeSquidClient;
  master: NodeSpec;
  result: NodeResult;
  userGroup: string;
  /** The row as it is now (null: there is none). */
  from: RowState | null;
  /** The row as it must be (null: removed). */
  to: RowState | null;
}

/** Where the managed row with these values is (secret fields compared redacted), or -1. */
export function findRow(access: AccessSection, values: RowValues, userGroup: string): number {
  return access.allow.findIndex((r) => splitList(r.values.add_user_groups).includes(userGroup) && sameValues(redactRow(r.values), values));
}

/** How many allow rows hold these values. */
function count(access: AccessSection, values: RowValues, userGroup: string): number {
  return access.allow.filter((r) => splitList(r.values.add_user_groups).includes(userGroup) && sameValues(redactRow(r.values), values)).length;
}

/** A secret the record does not keep (a password field redacted): such a row cannot be written back. */
export function lostSecret(values: RowValues | undefined): string | undefined {
  return Object.entries(values ?? {}).find(([k, v]) => SECRET_FIELDS.has(k) && v === "[redacted]")?.[0];
}

/** Performs the change with read-backs, then saves; resolves with the section as read back after the save, and the writes sent. */
export async function changeRow(m: RowMove): Promise<{ back: AccessSnapshot; writes: number }> {
  const { s, c, master, result } = m;
  const lost = lostSecret(m.to?.values);
  if (lost) throw new FleetError("CONFLICT", `the row to write back had a ${lost}, which run records never keep: it cannot be restored by the tool`, { node: master.name, hint: "restore that row in the master's web interface (Access Restrictions)" });
  const check = (t: string): void => s.checked(master.name, t);
  const at = m.from ? findRow(await liveAccess(c), m.from.values, m.userGroup) : -1;
  if (m.from && at < 0) throw new FleetError("CONFLICT", "the managed allow row is no longer on the master as recorded", { node: master.name, hint: "look at the master's allow rows; someone may be editing them" });
  const readBack = (landed: (a: AccessSection) => boolean, absent: (a: AccessSection) => boolean) => async (): Promise<Seen> => {
    const a = await liveAccess(c);
    return landed(a) ? { kind: "landed" } : absent(a) ? { kind: "absent" } : { kind: "other", what: "the master's allow rows changed in another way at the same time" };
  };
  const live = await liveAccess(c);
  let writes = m.from || m.to ? 1 : 0;
  if (m.from && m.to) {
    const id = live.allow[at]!.id;
    s.record.write({ node: master.name, action: "row-edit", before: m.from.values, after: m.to.values });
    note(result, await writeAndReadBack(master.name, "writing the allow row back", () => c.editRow("allow", id, m.to!.values), readBack((a) => findRow(a, m.to!.values, m.userGroup) >= 0, (a) => findRow(a, m.from!.values, m.userGroup) >= 0), check));
    step(result, "row values written back (read back)");
  } else if (m.from) {
    const before = count(live, m.from.values, m.userGroup);
    s.record.write({ node: master.name, action: "row-delete", before: m.from.values, note: `row ${at + 1}` });
    note(result, await writeAndReadBack(master.name, "removing the allow row", () => c.deleteRow("allow", live.allow[at]!.id), readBack((a) => count(a, m.from!.values, m.userGroup) < before, (a) => count(a, m.from!.values, m.userGroup) === before), check));
    step(result, "row removed (read back)");
  } else if (m.to) {
    s.record.write({ node: master.name, action: "row-add", after: m.to.values });
    note(result, await writeAndReadBack(master.name, "adding the allow row", () => c.addRow("allow", m.to!.values), readBack((a) => findRow(a, m.to!.values, m.userGroup) >= 0, (a) => findRow(a, m.to!.values, m.userGroup) < 0), check));
    step(result, "row added (read back)");
  }
  const after = await liveAccess(c);
  const place = m.to ? Math.min(m.to.place, after.allow.length - 1) : -1;
  if (m.to && findRow(after, m.to.values, m.userGroup) !== place) {
    s.record.write({ node: master.name, action: "row-shift", note: `to row ${place + 1}` });
    writes += await placeRow(c, m.to.values, m.userGroup, place);
    step(result, `row moved to row ${place + 1} (read back)`);
  }
  s.record.write({ node: master.name, action: "save" });
  await c.save();
  step(result, "saved");
  return { back: snapshotOf(await liveAccess(c)), writes: writes + 1 };
}

function note(result: NodeResult, landing: { note?: string }): void {
  if (landing.note) step(result, landing.note);
}
