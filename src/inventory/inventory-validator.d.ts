// The types of `#inventory-validator` (package.json "imports", condition "types"): the inventory
// check ajv compiles ahead of time into dist/generated/inventory-validator.js (write-validator.ts).
// Committed, so that tsc checks a clean checkout before anything is built.
import type { ErrorObject } from "ajv";
/** Checks an inventory document against the schema; on false, `validate.errors` lists every problem. */
export declare const validate: { (data: unknown): boolean; errors?: ErrorObject[] | null };
export default validate;
