/** The JSON error envelope: what `-o json` prints on stdout when a run stops with an error. */
import type { FleetError } from "../errors.js";
import { exitCodeFor } from "../errors.js";
import type { Report } from "../fleet/report.js";
import { terminalSafeJson } from "./json.js";

export const SCHEMA_VERSION = 1;

/** Renders `{schemaVersion, command, ok:false, nodes:[], error:{code,message,hint,details}}`. */
export function renderErrorEnvelope(command: string, err: FleetError): string {
  const error: Report["ErrorEnvelope"]["error"] = { code: err.code, message: err.message };
  if (err.node) error.node = err.node;
  if (err.hint) error.hint = err.hint;
  if (err.details.length) error.details = err.details;
  const doc: Report["ErrorEnvelope"] = { schemaVersion: SCHEMA_VERSION, command, ok: false, exitCode: exitCodeFor(err.code), nodes: [], error };
  return terminalSafeJson(JSON.stringify(doc, null, 2)) + "\n";
}
