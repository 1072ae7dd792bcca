/**
 * `-o json`: the RunReport as it is (docs/output.md "`-o json`"), pretty-printed, one document with a
 * trailing newline. Its JSON Schema is examples/report.schema.json (with the error envelope
 * of envelope.ts). Secrets cannot be in a report by construction; the replacer makes sure of
 * it anyway, so a Secret or a credential-named field added by mistake never reaches stdout.
 */
import type { RunReport } from "../fleet/report.js";
import { Secret } from "../util/secret.js";

const REDACTED = "[redacted]";
// Keys whose value is a credential wherever they appear (compared case-insensitively).
const SECRET_KEYS = new Set(["password", "passwd", "secret", "token", "authorization", "proxy-authorization", "cookie", "apikey", "activationkey"]);

/** JSON.stringify replacer: no Secret, no credential-named field, no function or bigint surprise. */
export function redactingReplacer(this: unknown, key: string, value: unknown): unknown {
  if (value instanceof Secret) return REDACTED; // toJSON already says so; belt and braces
  if (key !== "" && SECRET_KEYS.has(key.toLowerCase().replace(/_/g, ""))) return value === undefined ? undefined : REDACTED;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls, the line/paragraph
// separators and the bidi overrides raw. They can only occur inside strings, where \uXXXX
// means the same character: escaped, the document parses to the same values and is safe to
// print on a terminal (a hostile row comment cannot reorder or hide what is shown).
// eslint-disable-next-line no-control-regex
const RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Escapes the characters JSON.stringify leaves raw but a terminal would interpret. */
export function terminalSafeJson(json: string): string {
  return json.replace(RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Renders a run report as the `-o json` document. */
export function renderJson(report: RunReport): string {
  return terminalSafeJson(JSON.stringify(report, redactingReplacer, 2)) + "\n";
}
