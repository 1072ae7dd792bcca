/**
 * Writes examples/inventory.schema.json, the schema editors and other tools read, from schema.ts
 * (the single source), when run as a script: `node --import tsx src/inventory/write-schema.ts`
 * (`npm run build` and `npm pack` run it before compiling). The file is committed, and ships in
 * the package; a test fails when it differs from what this writes now. (The inventory check
 * compiled from the same schema is build output: write-validator.ts.)
 */
import { fileURLToPath } from "node:url";
import { writeGenerated } from "../util/generated-file.js";
import { schemaJson } from "./schema.js";

/** Where the generated schema lives, from this file (src/inventory or dist/inventory). */
export const SCHEMA_FILE = fileURLToPath(new URL("../../examples/inventory.schema.json", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeGenerated(SCHEMA_FILE, schemaJson());
