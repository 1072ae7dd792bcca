import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { FleetError } from "../../src/errors.js";
import type { RunReport } from "../../src/fleet/report.js";
import { renderErrorEnvelope } from "../../src/report/envelope.js";
import { renderJson } from "../../src/report/json.js";
import { renderRunListJson } from "../../src/report/run-list.js";
import { Secret } from "../../src/util/secret.js";
import { ALLOW, FULL, JOIN, SAMPLES, VERIFY } from "./samples.js";

const schema = JSON.parse(readFileSync(new URL("../../examples/report.schema.json", import.meta.url), "utf8")) as object;
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

function check(doc: unknown): string {
  return validate(doc) ? "" : ajv.errorsText(validate.errors);
}

for (const [name, report] of Object.entries(SAMPLES)) {
  test(`the -o json document of ${name} matches examples/report.schema.json`, () => {
    const text = renderJson(report);
    assert.ok(text.endsWith("}\n"));
    assert.equal(check(JSON.parse(text)), "");
  });
}

test("renderJson prints the report as it is, pretty, one trailing newline", () => {
  const text = renderJson(VERIFY);
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(VERIFY)));
  assert.match(text, /^\{\n {2}"schemaVersion": 1,\n {2}"command": "verify",/);
  assert.equal(text.split("\n").filter((l) => l === "").length, 1);
});

test("every field the report model can carry is known to the schema (FULL sets them all)", () => {
  const doc = JSON.parse(renderJson(FULL)) as Record<string, unknown>;
  assert.equal(check(doc), "");
  for (const key of ["shard", "phases", "notes", "runRecord", "merged", "undone", "inventoryChange"]) assert.ok(key in doc, key);
});

test("undo --list documents match the schema, with and without runs", () => {
  const runs = [
    { file: "2025-11-26T09-00-00-000Z-apply-41.jsonl", at: "2025-11-26T09:00:00.000Z", command: "apply", nodes: ["hq", "pune-1"], writes: 9 },
    { file: "2025-11-20T09-00-00-000Z-join-slave-7.jsonl", at: "2025-11-20T09:00:00.000Z", command: "join-slave", nodes: ["pune-1"], writes: 4, notUndoable: "written in record format 1" },
  ];
  for (const list of [runs, []]) assert.equal(check(JSON.parse(renderRunListJson(".safesquid-fleet/runs", list))), "");
  assert.notEqual(check({ ...JSON.parse(renderRunListJson("d", runs)), ok: false }), "", "a list is never a failure");
});

test("error envelopes match the schema", () => {
  const errs = [
    new FleetError("NEEDS_INPUT", "join-slave would restart 2 slaves", { hint: "pass --yes" }),
    new FleetError("INVENTORY", "safesquid-fleet.yaml is not valid", { details: ["safesquid-fleet.yaml:3:5: unknown field"] }),
    new FleetError("UNREACHABLE", "hq refused the connection", { node: "hq" }),
    new FleetError("INTERRUPTED", "interrupted (SIGINT)"),
  ];
  for (const e of errs) assert.equal(check(JSON.parse(renderErrorEnvelope("join-slave", e))), "", e.code);
  assert.equal(check(JSON.parse(renderErrorEnvelope("", new FleetError("USAGE", "unknown option '--bogus'")))), "");
});

test("the schema rejects what the README does not allow", () => {
  const bad: [string, unknown][] = [
    ["unknown node status", { ...JOIN, nodes: [{ ...JOIN.nodes[0]!, status: "done" }] }],
    ["unknown section status", { ...VERIFY, nodes: [{ ...VERIFY.nodes[0]!, sections: [{ name: "access", status: "synced" }] }] }],
    ["an undocumented field", { ...ALLOW, extra: 1 }],
    ["a missing field", { ...ALLOW, ok: undefined }],
    ["schemaVersion 2", { ...ALLOW, schemaVersion: 2 }],
    ["a wrong role", { ...ALLOW, nodes: [{ ...ALLOW.nodes[0]!, role: "boss" }] }],
    ["not a date", { ...ALLOW, startedAt: "yesterday" }],
    ["an envelope with nodes", { ...JSON.parse(renderErrorEnvelope("allow", new FleetError("USAGE", "x"))), nodes: [{}] }],
    ["an envelope that says ok", { ...JSON.parse(renderErrorEnvelope("allow", new FleetError("USAGE", "x"))), ok: true }],
  ];
  for (const [why, doc] of bad) assert.notEqual(check(JSON.parse(JSON.stringify(doc))), "", why);
});

test("nothing like a secret reaches the JSON, even if one slipped into a report", () => {
  const value = "hunter2-very-secret";
  const node = { ...JOIN.nodes[0]!, password: value, creds: new Secret(value, "env X"), nested: { Authorization: `Basic ${value}`, token: value } };
  const text = renderJson({ ...JOIN, nodes: [node as unknown as RunReport["nodes"][number]] });
  assert.ok(!text.includes(value), text);
  assert.match(text, /"password": "\[redacted\]"/);
  assert.match(text, /"creds": "\[redacted\]"/);
  assert.match(text, /"Authorization": "\[redacted\]"/);
});
