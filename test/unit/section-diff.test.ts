/**
 * verify --diff's section comparison (pure): a field edited in a row, rows only on one side,
 * a row moved, a section-wide field, ids and layout ignored, credential fields named but never
 * shown, a missing section, a long list cut with a count; and against the vendor's documents.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { diffSection, isSecretField, MAX_CHANGES } from "../../src/fleet/section-diff.js";
import { parsePolicy } from "../../src/safesquid/policy.js";
import { child, type XmlElement } from "../../src/safesquid/xml.js";
import { VENDOR_DOCUMENTS, vendorFixture } from "../helpers/fixtures.js";

const row = (id: number, comment: string, ip = "10.0.0.1", extra = ""): string => `<allow id="${id}"><enabled>TRUE</enabled><comment>${comment}</comment><ip>${ip}</ip>${extra}</allow>`;
const access = (policy: string, ...rows: string[]): XmlElement => child(parsePolicy(`<safesquid><access><policy>${policy}</policy>${rows.join("")}</access></safesquid>`), "access")!;

test("ids and layout are no difference; an edited field is one change with both values", () => {
  const m = access("DENY", row(1, "tool"), row(2, "admins"), row(3, "login"));
  const s = access("DENY", row(41, "tool"), row(42, "admins (edited)"), row(43, "login"));
  assert.deepEqual(diffSection(m, access("DENY", row(7, "tool"), row(8, "admins"), row(9, "login")), "in_sync").changes, []);
  assert.deepEqual(diffSection(m, s, "out_of_sync"), {
    section: "access",
    status: "out_of_sync",
    changes: [{ op: "change", subsection: "allow", masterPosition: 2, slavePosition: 2, label: "admins", fields: [{ field: "comment", master: "admins", slave: "admins (edited)" }] }],
  });
});

test("rows only on one side, a moved row, and a section-wide field", () => {
  const m = access("DENY", row(1, "a"), row(2, "b"), row(3, "c"), row(4, "d", "10.0.0.4"));
  const s = access("ALLOW", row(1, "c"), row(2, "a"), row(3, "b"), row(5, "x", "10.9.9.9"));
  const d = diffSection(m, s, "out_of_sync");
  const brief = d.changes.map((c) => `${c.op} ${c.subsection ?? ""} ${c.masterPosition ?? "-"}/${c.slavePosition ?? "-"} ${c.label ?? c.fields.map((f) => f.field).join(",")}`);
  assert.deepEqual(brief, ["field  -/- policy", "move allow 3/1 c", "change allow 4/4 d"]);
  assert.deepEqual(d.changes[0], { op: "field", fields: [{ field: "policy", master: "DENY", slave: "ALLOW" }] });
  const moved = d.changes.find((c) => c.op === "move")!;
  assert.deepEqual([moved.label, moved.masterPosition, moved.slavePosition], ["c", 3, 1]);
  const changed = d.changes.find((c) => c.op === "change")!;
  assert.deepEqual(changed.fields, [
    { field: "comment", master: "d", slave: "x" },
    { field: "ip", master: "10.0.0.4", slave: "10.9.9.9" },
  ]);

  const added = diffSection(access("DENY", row(1, "a"), row(2, "new")), access("DENY", row(1, "a")), "pending").changes;
  assert.deepEqual(added, [{ op: "add", subsection: "allow", masterPosition: 2, label: "new", fields: [{ field: "enabled", master: "TRUE" }, { field: "comment", master: "new" }, { field: "ip", master: "10.0.0.1" }] }]);
  const removed = diffSection(access("DENY", row(1, "a")), access("DENY", row(1, "a"), row(2, "local")), "out_of_sync").changes;
  assert.deepEqual(removed.map((c) => [c.op, c.slavePosition, c.label]), [["remove", 2, "local"]]);
});

test("credential fields are named, never shown (ldappassword, password, anonpass); bypass and keyword are no credentials", () => {
  for (const name of ["password", "ldappassword", "ifpassword", "anonpass", "client_secret", "api_token", "private_key"]) assert.ok(isSecretField(name), name);
  for (const name of ["bypass", "passive", "keyword", "comment", "ip"]) assert.ok(!isSecretField(name), name);
  const m = access("DENY", row(1, "ldap", "10.0.0.1", "<ldappassword>$0badc0ffee</ldappassword>"));
  const s = access("DENY", row(1, "ldap", "10.0.0.1", "<ldappassword>$0ther</ldappassword>"));
  const d = diffSection(m, s, "out_of_sync");
  assert.deepEqual(d.changes[0]!.fields, [{ field: "ldappassword", hidden: true }]);
  assert.doesNotMatch(JSON.stringify(d), /0badc0ffee|0ther/);
  const onlyMaster = diffSection(m, access("DENY"), "out_of_sync");
  assert.doesNotMatch(JSON.stringify(onlyMaster), /0badc0ffee/);
  assert.deepEqual(onlyMaster.changes[0]!.fields.at(-1), { field: "ldappassword", hidden: true });
});

test("a section the slave lacks; a long list is cut with a count", () => {
  assert.deepEqual(diffSection(access("DENY"), undefined, "out_of_sync"), { section: "access", status: "out_of_sync", missingOnSlave: true, changes: [] });
  const many = Array.from({ length: MAX_CHANGES + 7 }, (_, i) => row(i + 1, `r${i}`));
  const d = diffSection(access("DENY", ...many), access("DENY"), "out_of_sync");
  assert.equal(d.changes.length, MAX_CHANGES);
  assert.equal(d.more, 7);
});

test("every section of the vendor's documents against a copy with one row's field edited", (t) => {
  for (const name of VENDOR_DOCUMENTS) {
    const text = vendorFixture(t, name);
    if (text === undefined) return;
    const root = parsePolicy(text);
    for (const sec of root.children.filter((c): c is XmlElement => typeof c !== "string")) {
      assert.deepEqual(diffSection(sec, structuredClone(sec), "in_sync").changes, [], `${name} ${sec.name}: a copy is the same`);
    }
    const acc = child(root, "access")!;
    const edited = structuredClone(acc);
    const firstRow = edited.children.find((c): c is XmlElement => typeof c !== "string" && c.attrs.id !== undefined)!;
    const comment = firstRow.children.find((c): c is XmlElement => typeof c !== "string" && c.name === "comment")!;
    comment.children = ["edited on the slave"];
    const d = diffSection(acc, edited, "out_of_sync");
    assert.equal(d.changes.length, 1, `${name}: ${JSON.stringify(d.changes)}`);
    assert.equal(d.changes[0]!.op, "change");
    assert.deepEqual(d.changes[0]!.fields.map((f) => [f.field, f.slave]), [["comment", "edited on the slave"]]);
  }
});
