/**
 * Planning `allow` (pure: the master's access section + the inventory -> the change).
 * The tool manages ONE allow row, found by content (its user group, PROXY_SLAVES by
 * default: the vendor's canonical slave row), never by a remembered id (ids renumber).
 * It must let every slave's address reach CONFIG without a challenge, and sit above every
 * row that would challenge or deny those addresses, first match winning (docs/protocol.md
 * §2, §5). Rows the tool does not manage are never edited; the only reordering is moving
 * its own row up. A plan that would shut the tool itself out is refused.
 */
import {
  evaluateAccess,
  ipMatches,
  isTrue,
  MULTI_CHOICE,
  rowChallenges,
  rowMatches,
  splitList,
  type AccessRow,
  type AccessSection,
  type AdminRequest,
  type RowValues,
} from "../safesquid/access.js";

export const ROW_COMMENT_HEAD = "Allow slave proxy servers in the cluster to sync policies.";

export interface AllowInput {
  access: AccessSection;
  /** The slaves this run ensures (after --limit), with the address the master sees. */
  slaves: { name: string; address: string }[];
  /** Every inventory slave with a known address: names the row's addresses in its comment; --prune keeps only these. */
  known: { name: string; address: string }[];
  userGroup: string;
  /** The master's listen address as the slaves reach it ("ip:port"), for `interface` rows. */
  masterListen: string;
  /** The tool as the master sees it, with credentials when it sends them. */
  tool: AdminRequest;
  prune: boolean;
}

/** A problem that stops the change: a lock-out of the tool, or a conflict with the master's rows. */
export interface Blocker {
  kind: "LOCKOUT" | "CONFLICT";
  message: string;
}

export interface Move {
  direction: "top" | "up";
  count: number;
  /** The row it goes above, for the report. */
  above: AccessRow;
}

export interface AllowPlan {
  /** The managed row as it is, if there is one. */
  existing?: AccessRow;
  /**
   * Other rows carrying the user group (two runs at once, or a copy by hand): the tool manages
   * ONE row, so these are removed; the addresses of the enabled ones are kept in its row.
   */
  duplicates: { row: AccessRow; index: number }[];
  /** Where the managed row is among the allow rows as read (0-based). */
  foundAt?: number;
  /** Its position among the allow rows (0-based), before (the duplicates removed) and after. */
  fromIndex: number;
  toIndex: number;
  after: RowValues;
  action: "none" | "add" | "edit";
  move?: Move;
  /** Problems that stop the change (a deny row, a lock-out): nothing is written. */
  blockers: Blocker[];
  warnings: string[];
  /** The access section as it will be. */
  result: AccessSection;
}

/** Normalises a row's values for comparison: absent and empty are the same. */
function norm(v: RowValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== "") out[k] = x;
  return out;
}

/** True when two rows hold the same values. */
export function sameValues(a: RowValues, b: RowValues): boolean {
  const x = norm(a);
  const y = norm(b);
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) if (x[k] !== y[k]) return false;
  return true;
}

/** Describes a row for messages: `#3 "We allow administrators..."`. */
export function describeRow(r: AccessRow, index?: number): string {
  const c = (r.values.comment ?? "").split("\n")[0]!.trim();
  const where = index === undefined ? `id ${r.id}` : `row ${index + 1} (id ${r.id})`;
  return c ? `${where} "${c.length > 50 ? c.slice(0, 47) + "..." : c}"` : where;
}

/** Does this row carry the user group (is it a row the tool manages)? */
export function carriesGroup(r: AccessRow, userGroup: string): boolean {
  return splitList(r.values.add_user_groups).includes(userGroup);
}

/** Picks the managed row: the first enabled allow row carrying the user group, else the first such row. */
export function findManaged(access: AccessSection, userGroup: string): number {
  const enabled = access.allow.findIndex((r) => carriesGroup(r, userGroup) && isTrue(r.values.enabled));
  return enabled >= 0 ? enabled : access.allow.findIndex((r) => carriesGroup(r, userGroup));
}

/** The rows carrying the user group other than the managed one, with their places. */
export function duplicateRows(access: AccessSection, userGroup: string): { row: AccessRow; index: number }[] {
  const kept = findManaged(access, userGroup);
  return access.allow.map((row, index) => ({ row, index })).filter((x) => x.index !== kept && carriesGroup(x.row, userGroup));
}

/**
 * The sentence that reports rows carrying the user group beyond the managed one (allow's
 * warning, verify's note), and the row allow keeps; undefined when there is one at most.
 */
export function duplicatesSentence(access: AccessSection, userGroup: string): { text: string; kept: number } | undefined {
  const dupes = duplicateRows(access, userGroup);
  if (dupes.length === 0) return undefined;
  const kept = findManaged(access, userGroup);
  const rows = [kept, ...dupes.map((d) => d.index)].sort((a, b) => a - b).map((i) => i + 1);
  return { text: `the master has ${rows.length} allow rows carrying ${userGroup} (rows ${rows.join(", ")}) where the tool manages one (two allow runs at the same time, or a copy made by hand)`, kept };
}

function withOption(list: string | undefined, option: string, order?: readonly string[]): string {
  const items = splitList(list);
  if (!items.includes(option)) items.push(option);
  if (order) items.sort((a, b) => idx(order, a) - idx(order, b));
  return items.join(",");
}
function idx(order: readonly string[], v: string): number {
  const i = order.indexOf(v);
  return i < 0 ? order.length : i;
}

/** The comment naming the slaves the row lets in (deterministic: idempotent runs). */
export function rowComment(ipItems: string[], known: AllowInput["known"]): string {
  const covered = known.filter((k) => ipMatches(ipItems.join(","), k.address));
  const named = new Set(covered.map((k) => k.address));
  const others = ipItems.filter((i) => !named.has(i));
  let text = ROW_COMMENT_HEAD + "\nManaged by safesquid-fleet. Slaves: ";
  text += covered.length ? covered.map((k) => `${k.name} (${k.address})`).join(", ") : "none";
  if (others.length) text += `\nOther addresses kept: ${others.join(", ")}`;
  return text;
}

/** Builds the plan (pure). */
export function planAllow(input: AllowInput): AllowPlan {
  const { access, userGroup } = input;
  const originalIdx = findManaged(access, userGroup);
  const existing = originalIdx >= 0 ? access.allow[originalIdx] : undefined;
  const warnings: string[] = [];
  const blockers: Blocker[] = [];
  const duplicates = duplicateRows(access, userGroup);
  const dupWarning = duplicatesSentence(access, userGroup);
  if (dupWarning) warnings.push(`${dupWarning.text}: allow keeps row ${dupWarning.kept + 1} and removes the others`);
  // Planned on the section without the duplicates: they go before the row is placed.
  const gone = new Set(duplicates.map((d) => d.row));
  const allowRows = access.allow.filter((r) => !gone.has(r));
  const managedIdx = existing ? allowRows.indexOf(existing) : -1;

  const base: RowValues = existing ? { ...existing.values } : { profile_tracing: "FALSE", access: "CONFIG", add_user_groups: userGroup };
  let items = splitList(base.ip);
  // Nothing lost: what an enabled duplicate lets in, the managed row lets in (--prune may still drop it).
  for (const d of duplicates) if (isTrue(d.row.values.enabled)) for (const i of splitList(d.row.values.ip)) if (!items.includes(i)) items.push(i);
  if (input.prune) {
    const keep = new Set(input.known.map((k) => k.address));
    const dropped = items.filter((i) => !keep.has(i));
    if (dropped.length) warnings.push(`--prune removes ${dropped.join(", ")} from the row`);
    items = items.filter((i) => keep.has(i));
  }
  for (const s of input.slaves) if (!ipMatches(items.join(","), s.address) || items.length === 0) items.push(s.address);
  const after: RowValues = {
    ...base,
    enabled: "TRUE",
    // A row gated on profiles or an interface would not match the slaves' requests; a
    // login would challenge them: the managed row carries none of these.
    profiles: "",
    ldap_profiles: "",
    interface: "",
    pamauth: "FALSE",
    username: "",
    password: "",
    ip: items.join(","),
    access: withOption(base.access, "CONFIG", MULTI_CHOICE.access),
    add_user_groups: withOption(base.add_user_groups, userGroup),
  };
  after.comment = rowComment(items, input.known);
  if (existing && (existing.values.profiles || existing.values.ldap_profiles || existing.values.interface || rowChallenges(existing))) {
    warnings.push(`the ${userGroup} row ${describeRow(existing, managedIdx)} had a login, profile or interface condition; the tool removes it so slaves sync without a login`);
  }

  const ours: AccessRow = { id: existing?.id ?? "(new)", subsection: "allow", values: after };
  const rows = allowRows.slice();
  let fromIndex: number;
  if (existing) {
    fromIndex = managedIdx;
    rows[managedIdx] = ours;
  } else {
    fromIndex = rows.length;
    rows.push(ours);
  }

  // The first row each slave's request would match, above ours: if it challenges or lacks
  // CONFIG, ours must go above it. A row above that already lets the slave in is left be.
  let target = fromIndex;
  for (const s of input.slaves) {
    const req: AdminRequest = { ip: s.address, local: input.masterListen };
    const first = rows.findIndex((r) => rowMatches(r, req));
    if (first < 0 || first >= fromIndex) continue;
    const r = rows[first]!;
    const grants = !rowChallenges(r) && splitList(r.values.access).includes("CONFIG");
    if (!grants && first < target) target = first;
  }
  let move: Move | undefined;
  if (target < fromIndex) {
    rows.splice(fromIndex, 1);
    rows.splice(target, 0, ours);
    move = target === 0 ? { direction: "top", count: 1, above: rows[1]! } : { direction: "up", count: fromIndex - target, above: rows[target + 1]! };
  }
  const result: AccessSection = { ...access, allow: rows };

  for (const s of input.slaves) {
    const d = evaluateAccess(result, { ip: s.address, local: input.masterListen }, () => false);
    if (d.kind === "deny" && d.reason === "deny-row") {
      blockers.push({ kind: "CONFLICT", message: `deny row ${describeRow(d.row!)} matches ${s.name}'s address ${s.address}: the master would still refuse it; narrow or remove that row on the master, then run allow again` });
    } else if (d.kind !== "allow") {
      blockers.push({ kind: "CONFLICT", message: `${s.name} (${s.address}) would still not reach CONFIG without a login (${d.kind}); check the master's access rows` });
    }
  }
  const toolBefore = evaluateAccess(access, input.tool, () => true);
  const toolAfter = evaluateAccess(result, input.tool, () => true);
  if (toolBefore.kind === "allow" && toolAfter.kind !== "allow") {
    blockers.push({ kind: "LOCKOUT", message: `the change would lock this tool (${input.tool.ip}) out of the master's admin interface; nothing was written. Run from another address, or add credentials for the master` });
  }

  const changed = !existing || !sameValues(existing.values, after);
  return {
    ...(existing ? { existing, foundAt: originalIdx } : {}),
    duplicates,
    fromIndex,
    toIndex: move ? target : fromIndex,
    after,
    action: !existing ? "add" : changed ? "edit" : "none",
    ...(move ? { move } : {}),
    blockers,
    warnings,
    result,
  };
}

/** True when the plan writes nothing. */
export function planIsNoop(p: AllowPlan): boolean {
  return p.action === "none" && !p.move && p.duplicates.length === 0;
}
