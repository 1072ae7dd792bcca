/**
 * How undo decides (pure): a recorded change against the node as it is now (undo / as before /
 * conflict), changes merged per node, inverses, and the detach --prune-allow plan.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { AccessRow, AccessSection } from "../../src/safesquid/access.js";
import { snapshotOf, transformed } from "../../src/fleet/access-snapshot.js";
import { planPrune } from "../../src/fleet/allow-prune.js";
import type { Change } from "../../src/fleet/record.js";
import { describeChange, inverse, mergeChanges, paramsVerdict, rowVerdict, type RowChange } from "../../src/fleet/undo-plan.js";

const NONE = { MASTER_IP: "", MASTER_PORT: "" };
const HQ = { MASTER_IP: "10.0.0.10", MASTER_PORT: "8080" };
const OLD = { MASTER_IP: "10.0.0.5", MASTER_PORT: "8080" };

function row(id: string, values: AccessRow["values"]): AccessRow {
  return { id, subsection: "allow", values: { enabled: "TRUE", ...values } };
}
const TUNNEL = row("1", { comment: "tunnel", ip: "127.0.0.1", access: "CONFIG" });
const LOGIN = row("5", { comment: "everyone else", pamauth: "TRUE", access: "PROXY" });
const OURS = row("9", { comment: "slaves", ip: "10.0.1.11,10.0.1.12", access: "CONFIG", add_user_groups: "PROXY_SLAVES" });
const section = (...allow: AccessRow[]): AccessSection => ({ policy: "DENY", allow, deny: [] });

test("startup parameters: as the run left them -> undo; as before -> unchanged; anything else -> conflict", () => {
  const c = { kind: "params" as const, before: NONE, after: HQ, restart: true };
  assert.equal(paramsVerdict(HQ, c).kind, "undo");
  assert.equal(paramsVerdict(NONE, c).kind, "as-before");
  const v = paramsVerdict(OLD, c);
  assert.equal(v.kind, "conflict");
  assert.match(v.kind === "conflict" ? v.why : "", /10\.0\.0\.5:8080 now; the run left 10\.0\.0\.10:8080 \(before it: stand-alone\)/);
  assert.equal(paramsVerdict(HQ, { ...c, before: HQ }).kind, "as-before", "a restart-only join has nothing to put back");
});

test("the allow row: the whole section decides, ids ignored; an edit by someone else is a conflict", () => {
  const before = snapshotOf(section(TUNNEL, LOGIN));
  const after = snapshotOf(section(TUNNEL, OURS, LOGIN));
  const c: RowChange = { kind: "allow-row", userGroup: "PROXY_SLAVES", before: null, after: { values: OURS.values, place: 1 }, access: { before, after } };
  assert.equal(rowVerdict(snapshotOf(section({ ...TUNNEL, id: "77" }, { ...OURS, id: "78" }, { ...LOGIN, id: "79" })), c).kind, "undo");
  assert.equal(rowVerdict(before, c).kind, "as-before");
  const edited = rowVerdict(snapshotOf(section(TUNNEL, OURS, { ...LOGIN, values: { ...LOGIN.values, comment: "changed" } })), c);
  assert.equal(edited.kind, "conflict");
  assert.match(edited.kind === "conflict" ? edited.why : "", /allow row 3 differs/);
  const added = rowVerdict(snapshotOf(section(TUNNEL, OURS, LOGIN, row("6", { ip: "10.9.9.9" }))), c);
  assert.match(added.kind === "conflict" ? added.why : "", /4 allow rows now, 3 as the run left them/);
  // The inverse puts the section back: the row removed from where it was.
  const back = inverse(c);
  assert.deepEqual(transformed(after, back.before, back.after), before);
  assert.deepEqual(transformed(before, c.before, c.after), after, "and undoing the undo adds it back at its place");
});

test("secret fields are compared redacted, as the record keeps them", () => {
  const withPassword = row("4", { comment: "admins", username: "admin", password: "s3cret", access: "CONFIG" });
  const snap = snapshotOf(section(TUNNEL, withPassword));
  assert.equal(snap.allow[1]!.password, "[redacted]");
  assert.ok(!JSON.stringify(snap).includes("s3cret"));
});

test("changes merge per kind (first before-state, last after-state); descriptions say what the run did", () => {
  const changes: Change[] = [
    { kind: "params", before: NONE, after: HQ, restart: false },
    { kind: "restart" },
    { kind: "params", before: HQ, after: OLD, restart: true },
  ];
  const merged = mergeChanges(changes);
  assert.deepEqual(merged, [{ kind: "params", before: NONE, after: OLD, restart: true }, { kind: "restart" }]);
  assert.equal(describeChange(merged[0]!), "MASTER_IP:MASTER_PORT stand-alone -> 10.0.0.5:8080, restarted");
  assert.deepEqual(inverse(merged[0]!), { kind: "params", before: OLD, after: NONE, restart: true });
  const s = snapshotOf(section(TUNNEL));
  assert.equal(describeChange({ kind: "allow-row", userGroup: "G", before: null, after: { values: {}, place: 0 }, access: { before: s, after: s } }), "allow row added at row 1");
  assert.equal(describeChange({ kind: "allow-row", userGroup: "G", before: { values: { ip: "a" }, place: 3 }, after: { values: { ip: "b" }, place: 1 }, access: { before: s, after: s } }), "allow row edited (row 4), moved from row 4 to row 2");
});

test("detach --prune-allow plans: exact items leave, a shared address stays, a range is said, an empty row is removed", () => {
  const staying = [{ name: "pune-1", address: "10.0.1.11" }];
  const p = planPrune({ access: section(TUNNEL, OURS, LOGIN), userGroup: "PROXY_SLAVES", remove: ["10.0.1.12"], staying });
  assert.equal(p.change?.to?.values.ip, "10.0.1.11");
  assert.match(p.change?.to?.values.comment ?? "", /pune-1 \(10\.0\.1\.11\)/);
  assert.deepEqual(p.change?.result.allow.map((v) => v.ip), ["127.0.0.1", "10.0.1.11", undefined]);

  const shared = planPrune({ access: section(TUNNEL, OURS), userGroup: "PROXY_SLAVES", remove: ["10.0.1.11"], staying });
  assert.equal(shared.change, undefined);
  assert.match(shared.warnings.join(" "), /10\.0\.1\.11 stays in the allow row: another slave/);

  const ranged = row("9", { ip: "10.0.1.10-10.0.1.20", add_user_groups: "PROXY_SLAVES", access: "CONFIG" });
  const r = planPrune({ access: section(TUNNEL, ranged), userGroup: "PROXY_SLAVES", remove: ["10.0.1.12"], staying: [] });
  assert.equal(r.change, undefined);
  assert.match(r.warnings.join(" "), /covers it with a range/);

  const last = planPrune({ access: section(TUNNEL, OURS, LOGIN), userGroup: "PROXY_SLAVES", remove: ["10.0.1.11", "10.0.1.12"], staying: [] });
  assert.equal(last.change?.to, null, "no address left: the row goes (an empty ip would match every address)");
  assert.equal(last.change?.result.allow.length, 2);
});
