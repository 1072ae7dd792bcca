/**
 * Writes examples/report.schema.json from report-schema.ts (the single source of the `-o json`
 * documents), when run as a script: `node --import tsx src/fleet/write-report-schema.ts`
 * (`npm run build` and `npm pack` run it before compiling). The file is committed, for editors
 * and other tools, and ships in the package; a test fails when it differs from what this
 * writes now (docs/development.md "Adding a field to the report").
 */
import { fileURLToPath } from "node:url";
import { writeGenerated } from "../util/generated-file.js";
import { reportSchemaJson } from "./report-schema.js";

/** Where the generated schema lives, from this file (src/fleet or dist/fleet). */
export const REPORT_SCHEMA_FILE = fileURLToPath(new URL("../../examples/report.schema.json", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeGenerated(REPORT_SCHEMA_FILE, reportSchemaJson());
