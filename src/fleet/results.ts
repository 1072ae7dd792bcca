/** Small builders shared by the fleet commands: error info, row summaries, node results. */
import { asFleetError } from "../errors.js";
import { isTrue, splitList, type RowValues } from "../safesquid/access.js";
import type { NodeSpec } from "../inventory/types.js";
import type { NodeResult, Report } from "./report.js";
import { addressOf } from "./session.js";

/** The report form of an error (code, message, hint). */
export function errorInfo(e: unknown): Report["NodeError"] {
  const err = asFleetError(e);
  return { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
}

/** A row as reports show it (never its password fields). */
export function rowSummary(values: RowValues, position: number, id?: string): Report["RowSummary"] {
  const s: Report["RowSummary"] = {
    position: position + 1,
    enabled: isTrue(values.enabled),
    ip: splitList(values.ip),
    access: splitList(values.access),
    pamauth: isTrue(values.pamauth),
    userGroups: splitList(values.add_user_groups),
    comment: values.comment ?? "",
  };
  if (id !== undefined && id !== "(new)") s.id = id;
  if (values.username) s.username = values.username;
  return s;
}

/** Starts a node result; `finish` stamps its duration. */
export function startResult(node: NodeSpec, status: Report["NodeStatus"]): { result: NodeResult; finish: () => NodeResult } {
  const t0 = performance.now();
  const result: NodeResult = { name: node.name, role: node.role, address: addressOf(node), status, durationMs: 0 };
  return {
    result,
    finish: () => {
      result.durationMs = Math.round(performance.now() - t0);
      if (result.warnings && result.warnings.length === 0) delete result.warnings;
      if (result.steps && result.steps.length === 0) delete result.steps;
      return result;
    },
  };
}

/** Adds a warning sentence once. */
export function warn(r: NodeResult, sentence: string): void {
  (r.warnings ??= []);
  if (!r.warnings.includes(sentence)) r.warnings.push(sentence);
}

/** Notes a step that was done. */
export function step(r: NodeResult, what: string): void {
  (r.steps ??= []).push(what);
}
