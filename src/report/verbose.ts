/**
 * `--verbose`: one stderr line per admin call, "hq  conf_xml  200  12ms", retries marked.
 * Built only from the CallEvent's node, handler, status, time and attempt: parameter values
 * (passwords, policy documents, startup parameters) are never in it.
 */
import type { CallEvent } from "../safesquid/transport.js";
import { formatDuration } from "../util/duration.js";
import type { Printer } from "./printer.js";
import { pad, visibleWidth } from "./table.js";
import { safeLine } from "../util/safe-text.js";

/** A handler name as the endpoint knows it; anything else (should never happen) is not echoed. */
function handlerName(h: string): string {
  return /^[A-Za-z0-9_.-]{1,64}$/.test(h) ? h : "?";
}

/** Formats one admin call; `nodeWidth` aligns the node column across a run. */
export function formatCall(e: CallEvent, nodeWidth = 0): string {
  const node = safeLine(e.node);
  const cols = [pad(node, nodeWidth), handlerName(e.handler).padEnd(17), safeLine(String(e.status)).padEnd(3), formatDuration(e.ms)];
  const line = cols.join("  ").trimEnd();
  return e.attempt > 1 ? `${line}  (retry ${e.attempt - 1})` : line;
}

/** The onCall hook for AdminTransport: prints each call through printer.debug (shown with --verbose). */
export function callLogger(printer: Printer, nodeNames: readonly string[] = []): (e: CallEvent) => void {
  const width = nodeColumn(nodeNames);
  if (!printer.opts.verbose) return () => {};
  return (e) => printer.debug(formatCall(e, width));
}

/** The onCheck hook of a fleet session: what each read-back after a write showed, with --verbose. */
export function checkLogger(printer: Printer, nodeNames: readonly string[] = []): (node: string, text: string) => void {
  const width = nodeColumn(nodeNames);
  if (!printer.opts.verbose) return () => {};
  return (node, text) => printer.debug(`${pad(safeLine(node), width)}  check  ${safeLine(text)}`);
}

/** The node column's printed width: the widest name, at most 24 columns. */
function nodeColumn(nodeNames: readonly string[]): number {
  return Math.min(24, Math.max(0, ...nodeNames.map((n) => visibleWidth(safeLine(n)))));
}
