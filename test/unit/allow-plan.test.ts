/** Planning `allow` (pure): table tests over access sections, including the vendor's default. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { AccessRow, AccessSection } from "../../src/safesquid/access.js";
import { evaluateAccess } from "../../src/safesquid/access.js";
import { planAllow, planIsNoop, rowComment, type AllowInput } from "../../src/fleet/allow-plan.js";
import { parsePolicy, readAccess } from "../../src/safesquid/policy.js";
import { vendorFixture } from "../helpers/fixtures.js";

function row(id: string, values: AccessRow["values"]): AccessRow {
  return { id, subsection: "allow", values: { enabled: "TRUE", ...values } };
}
/** The lab's shape: a tunnel row for 127.0.0.1, an admin row with login, a catch-all with login. */
const LAB: AccessSection = {
  policy: "DENY",
  allow: [
    row("1", { comment: "tunnel", ip: "127.0.0.1", pamauth: "FALSE", access: "CONFIG,PROXY" }),
    row("3", { comment: "admins", pamauth: "TRUE", access: "CONFIG,PROXY", add_user_groups: "SAFESQUID_ADMIN" }),
    row("5", { comment: "everyone else", pamauth: "TRUE", access: "PROXY" }),
  ],
  deny: [],
};
const SLAVES = [
  { name: "pune-1", address: "10.0.1.11" },
  { name: "pune-2", address: "10.0.1.12" },
];
function input(access: AccessSection, over: Partial<AllowInput> = {}): AllowInput {
  return { access, slaves: SLAVES, known: SLAVES, userGroup: "PROXY_SLAVES", masterListen: "10.0.0.10:8080", tool: { ip: "127.0.0.1" }, prune: false, ...over };
}

test("a new row is added and moved above the first login row; the slaves then reach CONFIG without a login", () => {
  const p = planAllow(input(LAB));
  assert.equal(p.action, "add");
  assert.deepEqual(p.blockers, []);
  assert.equal(p.fromIndex, 3);
  assert.equal(p.toIndex, 1);
  assert.equal(p.move?.direction, "up");
  assert.equal(p.move?.count, 2);
  assert.equal(p.move?.above.id, "3");
  assert.equal(p.after.ip, "10.0.1.11,10.0.1.12");
  assert.equal(p.after.access, "CONFIG");
  assert.equal(p.after.pamauth, "FALSE");
  assert.equal(p.after.add_user_groups, "PROXY_SLAVES");
  assert.deepEqual(p.result.allow.map((r) => r.id), ["1", "(new)", "3", "5"]);
  for (const s of SLAVES) assert.equal(evaluateAccess(p.result, { ip: s.address, local: "10.0.0.10:8080" }, () => false).kind, "allow");
});

test("a second plan over the result changes nothing (idempotent)", () => {
  const first = planAllow(input(LAB));
  const placed: AccessSection = { ...first.result, allow: first.result.allow.map((r) => (r.id === "(new)" ? { ...r, id: "7" } : r)) };
  const again = planAllow(input(placed));
  assert.ok(planIsNoop(again), JSON.stringify({ action: again.action, move: again.move }));
});

test("the managed row is found by its user group, not by id, and only its own fields change", () => {
  const existing = row("41", { comment: "old", ip: "10.0.1.11", pamauth: "FALSE", access: "CONFIG", add_user_groups: "PROXY_SLAVES" });
  const access: AccessSection = { ...LAB, allow: [LAB.allow[0]!, existing, LAB.allow[1]!, LAB.allow[2]!] };
  const p = planAllow(input(access));
  assert.equal(p.action, "edit");
  assert.equal(p.existing?.id, "41");
  assert.equal(p.move, undefined, "already above the login rows");
  assert.equal(p.after.ip, "10.0.1.11,10.0.1.12");
});

test("addresses of slaves no longer in the inventory stay unless --prune", () => {
  const existing = row("41", { ip: "10.0.1.11,10.0.9.9", pamauth: "FALSE", access: "CONFIG", add_user_groups: "PROXY_SLAVES" });
  const access: AccessSection = { ...LAB, allow: [existing, ...LAB.allow] };
  assert.equal(planAllow(input(access)).after.ip, "10.0.1.11,10.0.9.9,10.0.1.12");
  const pruned = planAllow(input(access, { prune: true }));
  assert.equal(pruned.after.ip, "10.0.1.11,10.0.1.12");
  assert.match(pruned.warnings.join(), /--prune removes 10\.0\.9\.9/);
});

test("a slave already covered by a range in the row is not added again", () => {
  const existing = row("41", { ip: "10.0.1.10-10.0.1.20", pamauth: "FALSE", access: "CONFIG", add_user_groups: "PROXY_SLAVES" });
  const p = planAllow(input({ ...LAB, allow: [existing, ...LAB.allow] }));
  assert.equal(p.after.ip, "10.0.1.10-10.0.1.20");
});

test("a login, profile or interface condition on the managed row is removed, with a warning", () => {
  const existing = row("41", { ip: "10.0.1.11,10.0.1.12", pamauth: "TRUE", profiles: "X", access: "CONFIG", add_user_groups: "PROXY_SLAVES" });
  const p = planAllow(input({ ...LAB, allow: [existing, ...LAB.allow] }));
  assert.equal(p.after.pamauth, "FALSE");
  assert.equal(p.after.profiles, "");
  assert.match(p.warnings.join(), /login, profile or interface/);
});

test("a matching deny row blocks the plan with a message naming it", () => {
  const deny: AccessRow = { id: "99", subsection: "deny", values: { enabled: "TRUE", comment: "quarantine", ip: "10.0.1.12" } };
  const p = planAllow(input({ ...LAB, deny: [deny] }));
  assert.equal(p.blockers.length, 1);
  assert.match(p.blockers[0]!.message, /deny row id 99 "quarantine" matches pune-2's address 10\.0\.1\.12/);
});

test("a change that would lock the tool out is refused", () => {
  // The tool reaches the master from 10.0.1.11 through the managed row; pruning would drop it.
  const existing = row("41", { ip: "10.0.1.11,10.0.1.12", pamauth: "FALSE", access: "CONFIG", add_user_groups: "PROXY_SLAVES" });
  const access: AccessSection = { policy: "DENY", allow: [existing, row("5", { pamauth: "TRUE", access: "CONFIG" })], deny: [] };
  const p = planAllow(input(access, { slaves: [SLAVES[1]!], known: [SLAVES[1]!], prune: true, tool: { ip: "10.0.1.11" } }));
  assert.deepEqual(p.blockers.map((b) => b.kind), ["LOCKOUT"]);
  assert.match(p.blockers[0]!.message, /lock this tool/);
  const withCreds = planAllow(input(access, { slaves: [SLAVES[1]!], known: [SLAVES[1]!], prune: true, tool: { ip: "10.0.1.11", username: "fleet", password: "x" } }));
  assert.deepEqual(withCreds.blockers, [], "with credentials the login row lets the tool in");
});

test("a row above that already lets the slaves in is left where it is (minimal moves)", () => {
  const open = row("2", { comment: "admins from anywhere", pamauth: "FALSE", access: "CONFIG,PROXY" });
  const p = planAllow(input({ ...LAB, allow: [LAB.allow[0]!, open, ...LAB.allow.slice(1)] }));
  assert.equal(p.move, undefined);
  assert.equal(p.action, "add");
});

test("the comment names the slaves and keeps other addresses (deterministic)", () => {
  assert.equal(
    rowComment(["10.0.1.11", "192.168.2.116"], SLAVES),
    "Allow slave proxy servers in the cluster to sync policies.\nManaged by safesquid-fleet. Slaves: pune-1 (10.0.1.11)\nOther addresses kept: 192.168.2.116",
  );
});

test("the vendor's default config: its PROXY_SLAVES row is adopted, the slaves added, nothing moved", (t) => {
  const text = vendorFixture(t, "safesquid-2023.1011/config.xml");
  if (text === undefined) return;
  const access = readAccess(parsePolicy(text));
  const p = planAllow(input(access));
  assert.equal(p.action, "edit");
  assert.equal(p.existing?.id, "5");
  assert.equal(p.after.ip, "192.168.2.116,192.168.2.117,10.0.1.11,10.0.1.12");
  assert.equal(p.move, undefined);
  assert.deepEqual(p.blockers, []);
});

for (const rel of ["vendor-variants/demo-appv2-config.xml", "vendor-variants/demo-setup-config.xml"]) {
  test(`vendor variant ${rel}: a plan lets the slaves in and keeps the tool in`, (t) => {
    const text = vendorFixture(t, rel);
    if (text === undefined) return;
    const access = readAccess(parsePolicy(text));
    const p = planAllow(input(access));
    assert.deepEqual(p.blockers, []);
    for (const s of SLAVES) assert.equal(evaluateAccess(p.result, { ip: s.address, local: "10.0.0.10:8080" }, () => false).kind, "allow");
  });
}

test("two rows carrying the user group: the first is kept, the others removed; what an enabled one let in is kept", () => {
  const mine = row("7", { comment: "ours", ip: "10.0.1.11,10.0.1.12", pamauth: "FALSE", access: "CONFIG", add_user_groups: "PROXY_SLAVES" });
  const copy = row("9", { comment: "a copy", ip: "10.0.1.12,10.0.9.9", pamauth: "FALSE", access: "CONFIG", add_user_groups: "PROXY_SLAVES" });
  const access: AccessSection = { ...LAB, allow: [LAB.allow[0]!, mine, LAB.allow[1]!, copy, LAB.allow[2]!] };
  const p = planAllow(input(access));
  assert.deepEqual(p.duplicates.map((d) => `${d.row.id}@${d.index}`), ["9@3"]);
  assert.equal(p.existing?.id, "7");
  assert.equal(p.action, "edit");
  assert.equal(p.after.ip, "10.0.1.11,10.0.1.12,10.0.9.9", "the copy's other address is kept");
  assert.deepEqual(p.result.allow.map((r) => r.id), ["1", "7", "3", "5"]);
  assert.ok(!planIsNoop(p));
  assert.match(p.warnings.join("\n"), /the master has 2 allow rows carrying PROXY_SLAVES \(rows 2, 4\) .*allow keeps row 2 and removes the others/);

  // Identical copies: nothing to edit, only the removal.
  const twin = { ...mine, id: "11" };
  const same = planAllow(input({ ...LAB, allow: [LAB.allow[0]!, mine, LAB.allow[1]!, LAB.allow[2]!, twin] }));
  const placed = planAllow(input({ ...LAB, allow: [LAB.allow[0]!, { ...mine, values: same.after }, LAB.allow[1]!, LAB.allow[2]!, { ...twin, values: same.after }] }));
  assert.equal(placed.action, "none");
  assert.equal(placed.move, undefined);
  assert.equal(placed.duplicates.length, 1);
  assert.ok(!planIsNoop(placed), "a duplicate alone is a change to make");
});
