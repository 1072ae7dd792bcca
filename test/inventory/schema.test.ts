/**
 * The schema is the single source: the committed examples/inventory.schema.json and the build's
 * precompiled check (dist/generated/) equal what is generated from src/inventory/schema.ts now,
 * every field explains itself, and examples/inventory.yaml (every field shown) validates and
 * points editors at the schema.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { loadInventory } from "../../src/inventory/load.js";
import { inventorySchema, schemaJson } from "../../src/inventory/schema.js";
import { SCHEMA_FILE } from "../../src/inventory/write-schema.js";
import { VALIDATOR_FILE, validatorSource } from "../../src/inventory/write-validator.js";

const EXAMPLE = fileURLToPath(new URL("../../examples/inventory.yaml", import.meta.url));

test("examples/inventory.schema.json is the schema generated from schema.ts", () => {
  assert.equal(
    readFileSync(SCHEMA_FILE, "utf8"),
    schemaJson(),
    "examples/inventory.schema.json is out of date: regenerate it with `npm run build` (or `node --import tsx src/inventory/write-schema.ts`)",
  );
});

test("dist/generated/inventory-validator.js is the validator ajv generates from schema.ts now", () => {
  const stale = "is out of date: regenerate it with `npm run build` (or `node --import tsx src/inventory/write-validator.ts`)";
  assert.equal(readFileSync(VALIDATOR_FILE, "utf8"), validatorSource(), `dist/generated/inventory-validator.js ${stale}`);
});

test("the schema compiles as plain JSON Schema (what editors see) and every field has a description", () => {
  const plain = new Ajv({ strict: false }).compile(JSON.parse(schemaJson()));
  assert.ok(plain(parse(readFileSync(EXAMPLE, "utf8"))), JSON.stringify(plain.errors));
  const missing: string[] = [];
  const walk = (s: Record<string, unknown>, path: string): void => {
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      if (typeof v.description !== "string") missing.push(`${path}.${k}`);
      walk(v, `${path}.${k}`);
      if (v.items) walk(v.items as Record<string, unknown>, `${path}.${k}[]`);
    }
  };
  walk(inventorySchema as unknown as Record<string, unknown>, "");
  assert.deepEqual(missing, []);
});

test("examples/inventory.yaml starts with the yaml-language-server schema comment", () => {
  const first = readFileSync(EXAMPLE, "utf8").split("\n")[0];
  assert.equal(first, "# yaml-language-server: $schema=./inventory.schema.json");
});

test("examples/inventory.yaml validates, with every field of the schema shown", async () => {
  const r = await loadInventory(EXAMPLE);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings, []);
  const text = readFileSync(EXAMPLE, "utf8");
  const fields = new Set<string>();
  const collect = (s: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      if (k !== "password") fields.add(k);
      collect(v);
      if (v.items) collect(v.items as Record<string, unknown>);
    }
  };
  collect(inventorySchema as unknown as Record<string, unknown>);
  const absent = [...fields].filter((f) => !new RegExp(`^\\s*(- )?${f}:`, "m").test(text));
  // passwordEnv and passwordFile are alternatives: both appear, on different nodes.
  assert.deepEqual(absent, []);
});
