/**
 * Checks the data against the schema with ajv (all errors, strict types, no coercion) and turns
 * each ajv error into one plain message: what is wrong, the field, what is accepted.
 */
import type { ErrorObject } from "ajv";
// The schema compiled ahead of time (write-validator.ts AJV_OPTIONS: all errors; verbose, so
// errors carry the failing schema, for x-accepted): build output, so no run loads ajv's compiler.
import { validate } from "#inventory-validator";
import { formatPath, pointerToPath, type Locator, type PathSeg } from "./positions.js";
import type { InventoryIssue } from "./types.js";
import { editDistance } from "../util/suggest.js";

export const INLINE_PASSWORD_MESSAGE = "an inline password is not allowed";
export const INLINE_PASSWORD_ACCEPTED =
  "use passwordEnv (the name of an environment variable holding the password) or passwordFile (a file holding it)";

/** Values are echoed in messages only for fields that never hold a secret by mistake. */
const NO_ECHO = new Set(["passwordEnv", "passwordFile", "username", "password"]);

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; "x-accepted"?: string };

/** Checks the data against the schema; one issue per problem, all of them. */
export function schemaIssues(data: unknown, at: Locator): InventoryIssue[] {
  if (validate(data)) return [];
  const out: Issue[] = [];
  for (const e of validate.errors ?? []) {
    // The branches of oneOf (credentials) explain nothing the oneOf error does not say better.
    if (e.schemaPath.includes("/oneOf/")) continue;
    const issue = toIssue(e, pointerToPath(e.instancePath, data), data, at);
    if (issue) out.push(issue);
  }
  // A typo ("hots") also makes its field missing: the "did you mean" line says both.
  const typos = new Set(out.flatMap((i) => (i.suggested ? [i.suggested] : [])));
  return out.filter((i) => !(i.message.startsWith("missing ") && typos.has(i.path))).map(({ suggested: _s, ...i }) => i);
}

/** An issue, and for an unknown field the path of the field it probably means. */
type Issue = InventoryIssue & { suggested?: string };

function toIssue(e: ErrorObject, path: PathSeg[], data: unknown, at: Locator): Issue | undefined {
  const parent = (e.parentSchema ?? {}) as Schema;
  const accepted = parent["x-accepted"];
  const field = fieldName(path);
  const value = e.data;
  const shown = NO_ECHO.has(String(path[path.length - 1])) ? "" : ` ${show(value)}`;
  switch (e.keyword) {
    case "type":
      if (value === null) return at.issue(path, `${field} is empty`, accepted);
      return at.issue(path, `expected ${typeWord(String(e.params.type))}, found ${describe(value)}`, typeHint(String(e.params.type), value, parent));
    case "required": {
      const missing = String(e.params.missingProperty);
      const sub = parent.properties?.[missing]?.["x-accepted"];
      return at.issueAt(path, [...path, missing], `missing ${missing}`, sub ? `${missing}: ${sub}` : undefined);
    }
    case "additionalProperties":
      return unknownField(path, String(e.params.additionalProperty), parent, at);
    case "not":
      if (path[path.length - 1] === "password") return at.issue(path, INLINE_PASSWORD_MESSAGE, INLINE_PASSWORD_ACCEPTED, "key");
      break;
    case "oneOf": {
      const v = valueAt(data, path);
      if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined; // the type error says it
      if (hasKey(v, "password")) return undefined; // said by the password check
      const both = Array.isArray(e.params.passingSchemas);
      return at.issue(path, both ? "both passwordEnv and passwordFile are set" : "missing passwordEnv or passwordFile", accepted);
    }
    case "const":
      return at.issue(path, `unsupported ${field}${shown}`, accepted);
    case "enum":
      return at.issue(path, `unknown ${field}${shown}`, accepted);
    case "pattern":
      return at.issue(path, `invalid ${field}${shown}`, accepted);
    case "minimum":
    case "maximum":
      return at.issue(path, `${field}${shown} is out of range`, accepted);
    case "minLength":
      return at.issue(path, `${field} is empty`, accepted);
    case "minItems":
      return at.issue(path, `${field} is an empty list`, accepted);
    case "uniqueItems": {
      const j = Math.max(Number(e.params.i), Number(e.params.j));
      return at.issue([...path, j], `${show(valueAt(data, [...path, j]))} is listed twice`, "each item once");
    }
  }
  return at.issue(path, `${field} ${e.message ?? "is invalid"}`, accepted);
}

function unknownField(path: PathSeg[], key: string, parent: Schema, at: Locator): Issue {
  const full = [...path, key];
  if (key === "password") return at.issue(full, INLINE_PASSWORD_MESSAGE, `put it under credentials and ${INLINE_PASSWORD_ACCEPTED}`, "key");
  if (key === "<<") return at.issue(full, "merge keys (<<) are not supported", "write the field, or put shared values under defaults", "key");
  const known = Object.keys(parent.properties ?? {}).filter((k) => k !== "password");
  const limit = key.length <= 4 ? 1 : 2;
  const near = known.find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= limit);
  const list = `fields here: ${known.join(", ")}`;
  const issue: Issue = at.issue(full, `unknown field ${show(key)}`, near ? `did you mean "${near}"? ${list}` : list, "key");
  if (near) issue.suggested = formatPath([...path, near]);
  return issue;
}

/** The word a message uses for the field: the last key, or the list's name for an item. */
function fieldName(path: PathSeg[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === "string") return String(path[i]) + (i < path.length - 1 ? " item" : "");
  return "the document";
}

function typeWord(t: string): string {
  return ({ object: "a mapping", array: "a list", string: "text", integer: "a whole number", number: "a number", boolean: "true or false" } as Record<string, string>)[t] ?? t;
}

/** Says what a value is, in YAML words. */
export function describe(v: unknown): string {
  if (v === null) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "number") return Number.isInteger(v) ? "a whole number" : "a number";
  if (typeof v === "boolean") return "true/false";
  return "text";
}

function typeHint(want: string, value: unknown, schema: Schema): string | undefined {
  // YAML reads `name: 123` as a number and `port: "8080"` as text: say how to write it, when
  // the quoted (or unquoted) form would pass.
  const accepted = schema["x-accepted"];
  const pattern = typeof schema.pattern === "string" ? new RegExp(schema.pattern) : undefined;
  const quotedPasses = pattern === undefined || pattern.test(String(value));
  if (want === "string" && (typeof value === "number" || typeof value === "boolean") && quotedPasses) return `${accepted ?? "text"} (write it in quotes)`;
  if (want === "integer" && typeof value === "string" && /^\d+$/.test(value)) return `${accepted ?? "a whole number"} (write it without quotes)`;
  return accepted;
}

function show(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? s.slice(0, 57) + "...\"" : s;
}

function valueAt(data: unknown, path: PathSeg[]): unknown {
  let cur = data;
  for (const seg of path) cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[seg] : undefined;
  return cur;
}

function hasKey(v: unknown, key: string): boolean {
  return v !== null && typeof v === "object" && Object.prototype.hasOwnProperty.call(v, key);
}

/** Edit distance counting a swap of two neighbours as one edit (for "did you mean"). */
export const distance = editDistance;
