/**
 * Writes examples/inventory.schema.json from schema.ts (the single source):
 * `node --import tsx src/inventory/write-schema.ts`. A test fails when the two differ.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { schemaJson } from "./schema.js";

/** Where the generated schema lives, from this file (src/inventory or dist/inventory). */
export const SCHEMA_FILE = fileURLToPath(new URL("../../examples/inventory.schema.json", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, schemaJson());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
