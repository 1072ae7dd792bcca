/**
 * Writing `allow`'s plan on the master, each step proved by reading the access section back
 * (docs/protocol.md "Deciding by reading back"): the row added or edited (found by content:
 * ids renumber, and where a new row lands is the node's choice), moved to its planned place,
 * then checked and saved. Until the save, a failure puts the running configuration back as
 * it was found, and reads it back to say so.
 */
import { FleetError } from "../errors.js";
import { splitList, type AccessRow, type AccessSection, type RowValues } from "../safesquid/access.js";
import type { SafeSquidClient } from "../safesquid/client.js";
import type { ShiftDirection } from "../safesquid/configuration.js";
import { readAccess } from "../safesquid/policy.js";
import { sameValues, type AllowInput, type AllowPlan } from "./allow-plan.js";
import { writeAndReadBack, type Seen } from "./landed.js";
import { sameSnapshot, snapshotOf } from "./access-snapshot.js";

/** How many times the row's place is re-read and corrected before giving up. */
const PLACE_ROUNDS = 3;

/** The master's access section as it is now. */
export async function liveAccess(c: SafeSquidClient): Promise<AccessSection> {
  const doc = await c.fetchDocument();
  if (doc === "not-modified") throw new FleetError("BAD_REPLY", "the master answered 304 to a plain conf_xml request", { node: c.node.name });
  return readAccess(doc.root);
}

/** The allow rows carrying the managed user group, with their places. */
function managed(access: AccessSection, userGroup: string): { row: AccessRow; index: number }[] {
  return access.allow.map((row, index) => ({ row, index })).filter((x) => splitList(x.row.values.add_user_groups).includes(userGroup));
}

/** How many times the rows carrying the user group are re-read and one more removed, at most. */
const DEDUPE_ROUNDS = 8;

/**
 * Removes every allow row carrying the user group but the first holding `values` (the managed
 * row), one at a time from a fresh read, each removal proved by reading back: the rows carrying
 * the group are fewer, the row itself is still there, and no other row changed. Two allow runs
 * at once (two admins, two machines: no local lock helps) each add a row; each then removes
 * what it finds beyond one, so the last to look leaves one. `before` is told of each row first
 * (the run record). Returns how many were removed.
 */
export async function removeDuplicates(
  c: SafeSquidClient,
  values: RowValues,
  userGroup: string,
  before: (row: AccessRow, index: number) => void,
  check: (text: string) => void,
): Promise<number> {
  let removed = 0;
  for (let round = 0; round < DEDUPE_ROUNDS; round++) {
    const access = await liveAccess(c);
    const keep = indexOf(access, values, userGroup);
    if (keep < 0) throw new FleetError("CONFLICT", "the slaves' allow row is no longer on the master as written: someone else may be editing the allow list", { node: c.node.name, hint: "run allow again" });
    const carrying = managed(access, userGroup);
    const extra = carrying.find((x) => x.index !== keep);
    if (!extra) return removed;
    before(extra.row, extra.index);
    const others = access.allow.filter((r) => !splitList(r.values.add_user_groups).includes(userGroup));
    const readBack = async (): Promise<Seen> => {
      const now = await liveAccess(c);
      const untouched = sameRows(now.allow.filter((r) => !splitList(r.values.add_user_groups).includes(userGroup)), others);
      if (!untouched) return { kind: "other", what: "allow rows the tool does not manage changed at the same time" };
      if (indexOf(now, values, userGroup) < 0) return { kind: "other", what: "the slaves' row itself is gone" };
      const n = managed(now, userGroup).length;
      return n < carrying.length ? { kind: "landed" } : n === carrying.length ? { kind: "absent" } : { kind: "other", what: `more rows carrying ${userGroup} appeared at the same time` };
    };
    await writeAndReadBack(c.node.name, `removing a second allow row carrying ${userGroup} (row ${extra.index + 1})`, () => c.deleteRow("allow", extra.row.id), readBack, check);
    removed++;
  }
  throw new FleetError("CONFLICT", `rows carrying ${userGroup} kept appearing on the master after ${DEDUPE_ROUNDS} removals`, { node: c.node.name, hint: "another allow run (or a person) keeps adding them: stop it, then run allow again" });
}

function sameRows(x: AccessRow[], y: AccessRow[]): boolean {
  return x.length === y.length && x.every((r, i) => sameValues(r.values, y[i]!.values));
}

/** Where the row with these values is (by content), or -1. */
export function indexOf(access: AccessSection, values: RowValues, userGroup: string): number {
  return managed(access, userGroup).find((x) => sameValues(x.row.values, values))?.index ?? -1;
}

/** Adds or edits the row as planned; resolves with a note when a reply was overruled by the read-back. */
export async function writeRow(c: SafeSquidClient, input: AllowInput, plan: AllowPlan, check: (text: string) => void): Promise<string | undefined> {
  const master = c.node.name;
  const readBack = async (): Promise<Seen> => {
    const access = await liveAccess(c);
    if (indexOf(access, plan.after, input.userGroup) >= 0) return { kind: "landed" };
    if (plan.action === "edit" ? indexOf(access, plan.existing!.values, input.userGroup) >= 0 : sameSection(access, input.access)) return { kind: "absent" };
    return { kind: "other", what: "the master's allow rows changed in another way at the same time" };
  };
  const write = plan.action === "add" ? () => c.addRow("allow", plan.after) : () => c.editRow("allow", plan.existing!.id, plan.after);
  const landing = await writeAndReadBack(master, plan.action === "add" ? "adding the slaves' allow row" : "updating the slaves' allow row", write, readBack, check);
  return landing.note;
}

/**
 * Moves the row (found by content) to `to` among the allow rows, with the vendor's shift
 * steps; re-reads after each round and corrects, since a shift's reply says nothing. `placed`
 * may accept another place (allow: wherever re-planning asks for no move, so that two runs
 * moving the same row at once, and overshooting, still agree). Returns how many shifts were sent.
 */
export async function placeRow(c: SafeSquidClient, values: RowValues, userGroup: string, to: number, placed: (access: AccessSection, at: number) => boolean = (_, at) => at === to): Promise<number> {
  let sent = 0;
  for (let round = 0; round < PLACE_ROUNDS; round++) {
    const access = await liveAccess(c);
    const at = indexOf(access, values, userGroup);
    if (at < 0) throw new FleetError("CONFLICT", "the slaves' allow row is no longer on the master as written: someone else may be editing the allow list", { node: c.node.name, hint: "run allow again" });
    if (placed(access, at)) return sent;
    const id = access.allow[at]!.id;
    for (const [direction, times] of steps(at, to, access.allow.length)) {
      for (let i = 0; i < times; i++, sent++) await c.shiftRow("allow", id, direction).catch(lostReplyIsFine);
    }
  }
  throw new FleetError("CONFLICT", `the slaves' allow row did not reach its place (row ${to + 1}) after ${PLACE_ROUNDS} rounds of moves`, { node: c.node.name, hint: "someone else may be editing the allow list; run allow again" });
}

/** The shift steps from one place to another: an end in one step, else one place at a time. */
function steps(from: number, to: number, count: number): [ShiftDirection, number][] {
  if (to === 0) return [["top", 1]];
  if (to === count - 1) return [["bottom", 1]];
  return from > to ? [["up", from - to]] : [["down", to - from]];
}

/** A shift whose reply was lost or odd may have happened: the next read-back tells. */
function lostReplyIsFine(e: unknown): void {
  if (!(e instanceof FleetError) || !["RESET", "TIMEOUT", "SERVER_ERROR", "BAD_REPLY"].includes(e.code)) throw e;
}

/**
 * Puts the running allow rows back as they were read before the run wrote anything: removes
 * the row it added, gives an edited row its old values, moves it back; then reads back.
 * True when the read-back shows the section as it was.
 */
export async function restoreRows(c: SafeSquidClient, input: AllowInput, plan: AllowPlan): Promise<boolean> {
  try {
    let access = await liveAccess(c);
    if (plan.action === "add") {
      const extra = managed(access, input.userGroup).filter((x) => sameValues(x.row.values, plan.after));
      // Only the one row this run added: an identical row may be another run's (two runs at once).
      for (const x of extra.slice(0, Math.min(1, extra.length - countIn(input.access, plan.after)))) await c.deleteRow("allow", x.row.id).catch(lostReplyIsFine);
    } else if (plan.existing) {
      const at = indexOf(access, plan.after, input.userGroup);
      if (at >= 0) await c.editRow("allow", access.allow[at]!.id, plan.existing.values).catch(lostReplyIsFine);
      access = await liveAccess(c);
      if (indexOf(access, plan.existing.values, input.userGroup) !== plan.fromIndex) await placeRow(c, plan.existing.values, input.userGroup, plan.fromIndex);
    }
    return sameSection(await liveAccess(c), input.access);
  } catch {
    return false;
  }
}

function countIn(access: AccessSection, values: RowValues): number {
  return access.allow.filter((r) => sameValues(r.values, values)).length;
}

/** Same allow and deny rows, in the same order, with the same values (ids ignored). */
export function sameSection(a: AccessSection, b: AccessSection): boolean {
  return sameSnapshot(snapshotOf(a), snapshotOf(b));
}
