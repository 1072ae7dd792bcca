/**
 * The report schema is the single source (docs/development.md "Adding a field to the report"):
 * the committed examples/report.schema.json is the one generated from src/fleet/report-schema.ts,
 * the report's types are made from that same schema (a field in one is in the other, checked
 * here by the compiler: `tsc -p test`), and the schema is closed: a field it does not declare,
 * anywhere in a real report, fails validation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { FleetError } from "../../src/errors.js";
import type { NodeResult, Report, RunReport } from "../../src/fleet/report.js";
import { reportSchema, reportSchemaJson } from "../../src/fleet/report-schema.js";
import { REPORT_SCHEMA_FILE } from "../../src/fleet/write-report-schema.js";
import type { FromSchema } from "../../src/util/from-schema.js";
import { renderErrorEnvelope } from "../../src/report/envelope.js";
import { renderJson } from "../../src/report/json.js";
import { renderRunListJson } from "../../src/report/run-list.js";
import { FULL, SAMPLES } from "./samples.js";

test("examples/report.schema.json is the schema generated from src/fleet/report-schema.ts", () => {
  assert.equal(
    readFileSync(REPORT_SCHEMA_FILE, "utf8"),
    reportSchemaJson(),
    "examples/report.schema.json is out of date: regenerate it with `npm run build` (or `node --import tsx src/fleet/write-report-schema.ts`)",
  );
});

type Schema = { [key: string]: unknown };

/** Every object schema in the report schema with the path to it. */
function objectSchemas(s: unknown, path: string): [string, Schema][] {
  if (typeof s !== "object" || s === null) return [];
  if (Array.isArray(s)) return s.flatMap((x, i) => objectSchemas(x, `${path}/${i}`));
  const o = s as Schema;
  const here: [string, Schema][] = o.type === "object" ? [[path, o]] : [];
  return [...here, ...Object.entries(o).flatMap(([k, v]) => objectSchemas(v, `${path}/${k}`))];
}

test("every object the schema describes is closed: additionalProperties false, or a map whose keys it names", () => {
  const objects = objectSchemas(reportSchema, "#");
  assert.ok(objects.length > 20, `only ${objects.length} object schemas found`);
  const open = objects.filter(([, o]) => !(o.properties && o.additionalProperties === false) && !(o.propertyNames && !o.properties)).map(([p]) => p);
  assert.deepEqual(open, []);
});

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(reportSchemaJson()) as object);

/** Every object in a JSON document, with its path. */
function objectsIn(doc: unknown, path: string): [string, Record<string, unknown>][] {
  if (typeof doc !== "object" || doc === null) return [];
  if (Array.isArray(doc)) return doc.flatMap((x, i) => objectsIn(x, `${path}/${i}`));
  const o = doc as Record<string, unknown>;
  return [[path, o], ...Object.entries(o).flatMap(([k, v]) => objectsIn(v, `${path}/${k}`))];
}

test("a field the schema does not declare fails validation, wherever it is put in a real report", () => {
  const docs: [string, unknown][] = [
    ...Object.entries(SAMPLES).map(([name, r]): [string, unknown] => [name, JSON.parse(renderJson(r))]),
    ["an error envelope", JSON.parse(renderErrorEnvelope("verify", new FleetError("UNREACHABLE", "hq refused the connection", { node: "hq", hint: "h", details: ["d"] })))],
    ["a run list", JSON.parse(renderRunListJson("d", [{ file: "f.jsonl", at: "2025-11-26T09:00:00.000Z", command: "apply", nodes: ["a"], writes: 1, notUndoable: "no" }]))],
  ];
  let tried = 0;
  for (const [name, doc] of docs) {
    assert.ok(validate(doc), `${name}: ${ajv.errorsText(validate.errors)}`);
    for (const [path] of objectsIn(doc, "")) {
      const copy = structuredClone(doc);
      const target = path === "" ? copy : path.split("/").slice(1).reduce((o: any, k) => o[k], copy); // eslint-disable-line @typescript-eslint/no-explicit-any
      (target as Record<string, unknown>).undeclared = 1;
      assert.equal(validate(copy), false, `${name}: a field "undeclared" at ${path || "/"} passed validation`);
      tried++;
    }
  }
  assert.ok(tried > 100, `only ${tried} places tried`);
});

// The types are made from the schema: what follows is checked by `tsc -p test` (an expected
// error that does not occur is an error too), so a field in the type but not in the schema, or
// the reverse, cannot compile.

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(ok: Equal<A, B>): Equal<A, B> => ok;
type Definitions = (typeof reportSchema)["definitions"];

test("the report's types have exactly the fields the schema declares", () => {
  assert.ok(same<keyof RunReport, keyof Definitions["RunReport"]["properties"]>(true));
  assert.ok(same<keyof NodeResult, keyof Definitions["Node"]["properties"]>(true));
  assert.ok(same<keyof Report["ErrorEnvelope"], keyof Definitions["ErrorEnvelope"]["properties"]>(true));
  assert.ok(same<keyof Report["RunList"], keyof Definitions["RunList"]["properties"]>(true));
  // The schema's required fields are the type's required ones.
  assert.ok(same<Definitions["RunReport"]["required"][number], { [K in keyof RunReport]-?: undefined extends RunReport[K] ? never : K }[keyof RunReport]>(true));

  // @ts-expect-error a field the schema does not declare is not in the type
  const extra: RunReport = { ...FULL, undeclared: 1 };
  // @ts-expect-error nor in a node
  const node: NodeResult = { ...FULL.nodes[0]!, undeclared: 1 };
  // @ts-expect-error a field the schema requires cannot be left out
  const missing: NodeResult = { name: "a", role: "slave", address: "a:1", status: "joined" };
  // @ts-expect-error an enum is a union of its values: a status the schema does not list is refused
  const status: NodeResult["status"] = "done";
  // @ts-expect-error exit codes are the schema's
  const exit: RunReport["exitCode"] = 4;
  assert.ok(extra && node && missing && status && exit);
});

test("FromSchema: the type a small schema describes", () => {
  const defs = { Id: { type: "string" }, Kind: { enum: ["a", "b"] } } as const;
  const schema = {
    type: "object",
    required: ["id", "tags"],
    additionalProperties: false,
    properties: {
      id: { $ref: "#/definitions/Id" },
      kind: { $ref: "#/definitions/Kind" },
      tags: { type: "array", items: { type: "string" } },
      count: { type: "integer", minimum: 0 },
      on: { const: true },
      none: { type: "array", maxItems: 0 },
      map: { type: "object", propertyNames: { $ref: "#/definitions/Kind" }, additionalProperties: { type: "number" } },
      open: { type: "object", properties: { x: { type: "boolean" } } },
    },
  } as const;
  type T = FromSchema<typeof schema, typeof defs>;
  type Want = {
    id: string;
    tags: string[];
    kind?: "a" | "b";
    count?: number;
    on?: true;
    none?: never[];
    map?: { a?: number; b?: number };
    open?: { [key: string]: unknown; x?: boolean };
  };
  assert.ok(same<T, Want>(true));
  // A definition given a narrower type of the code's own.
  assert.ok(same<FromSchema<typeof schema, typeof defs, { Id: `id-${number}` }>["id"], `id-${number}`>(true));
});
