/**
 * `verify -o nagios`: the run as a monitoring plugin reports it (the Monitoring Plugins
 * Development Guidelines, which Nagios, Icinga, Naemon, Zabbix and Sensu read): one line,
 * `SAFESQUID FLEET <STATE> - <text> | <perfdata>`, and the exit code 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN. Thresholds are the guidelines' ranges; they apply to the number of
 * slaves out of sync, not joined or unreachable, and to how long ago the slave that is behind
 * the longest last synced. docs/monitoring.md says why that age only counts slaves not in sync.
 */
import type { NodeResult, VerifyStatus } from "../fleet/report.js";
import { formatDuration, parseDuration } from "../util/duration.js";
import type { MetricsInput } from "./prometheus.js";
import { lastSyncAgeSeconds } from "./prometheus.js";
import { safeLine } from "../util/safe-text.js";

/** A range as the guidelines write it: `10`, `10:`, `~:10`, `10:20`, `@10:20`. */
export interface Range {
  text: string;
  start: number;
  end: number;
  /** `@`: alert inside the range instead of outside. */
  inside: boolean;
}

export interface Thresholds {
  /** On the number of slaves out of sync, not joined or unreachable. */
  problems?: Range;
  /** On seconds since the last sync of the slave behind the longest. */
  age?: Range;
}

export const NAGIOS_STATES = ["OK", "WARNING", "CRITICAL", "UNKNOWN"] as const;
export type NagiosState = (typeof NAGIOS_STATES)[number];

const NUMBER = /^-?\d+(\.\d+)?$/;

/** Parses a range; `seconds` also takes durations (`15m` is `900`). Throws with what is accepted. */
export function parseRange(text: string, seconds = false): Range {
  const t = text.trim();
  const inside = t.startsWith("@");
  const body = inside ? t.slice(1) : t;
  const value = (v: string, dflt: number): number => {
    if (v === "") return dflt;
    if (v === "~") return -Infinity;
    if (NUMBER.test(v)) return Number(v);
    const ms = seconds ? parseDuration(v) : undefined;
    if (ms !== undefined) return ms / 1000;
    throw new Error(`"${text}" is not a range such as 10, 10:, ~:10, 10:20 or @10:20${seconds ? " (or a duration such as 15m)" : ""}`);
  };
  const [a, b, extra] = body.split(":");
  if (extra !== undefined || body === "" || (b === undefined && a === "~")) throw new Error(`"${text}" is not a range such as 10, 10:, ~:10, 10:20 or @10:20`);
  const range = b === undefined ? { start: 0, end: value(a!, 0) } : { start: value(a!, 0), end: value(b, Infinity) };
  if (range.start > range.end) throw new Error(`"${text}": the start of a range is above its end`);
  const show = (v: number): string => (v === -Infinity ? "~" : v === Infinity ? "" : String(v));
  const canonicalText = b === undefined ? show(range.end) : `${show(range.start)}:${show(range.end)}`;
  return { ...range, inside, text: (inside ? "@" : "") + canonicalText };
}

/** Does the value raise an alert by this range? */
export function alerts(r: Range, v: number): boolean {
  const within = v >= r.start && v <= r.end;
  return r.inside ? within : !within;
}

/** Parses `--warning` / `--critical`: `COUNT[,AGE]`, either part may be left empty. */
export function parseThresholds(text: string): Thresholds {
  const [count, age, extra] = text.split(",");
  if (extra !== undefined) throw new Error(`"${text}": give at most two thresholds, COUNT,AGE (e.g. 0,30m)`);
  const t: Thresholds = {};
  if (count!.trim() !== "") t.problems = parseRange(count!);
  if (age !== undefined && age.trim() !== "") t.age = parseRange(age, true);
  return t;
}

/** The default when no --warning is given: any slave out of sync, not joined or unreachable. */
export const DEFAULT_WARNING: Thresholds = { problems: parseRange("0") };

const PROBLEMS: readonly VerifyStatus[] = ["out_of_sync", "not_joined", "unreachable"];
const LISTED: readonly VerifyStatus[] = ["out_of_sync", "not_joined", "unreachable", "pending"];
const SHOWN_NAMES = 5;

export interface NagiosOptions {
  warning: Thresholds;
  critical: Thresholds;
  interrupted?: boolean;
}

export interface NagiosResult {
  state: NagiosState;
  exitCode: 0 | 1 | 2 | 3;
  line: string;
}

/** Text from the network or the inventory, safe on one line; a `|` would start the perfdata. */
function plain(s: string): string {
  return safeLine(s).replace(/\|/g, "/");
}

function result(state: NagiosState, text: string, perf: string[] = []): NagiosResult {
  const line = `SAFESQUID FLEET ${state} - ${text}${perf.length ? ` | ${perf.join(" ")}` : ""}\n`;
  return { state, exitCode: NAGIOS_STATES.indexOf(state) as NagiosResult["exitCode"], line };
}

/** A slave that answered and is not in sync: behind the master. */
const isBehind = (n: NodeResult): boolean => n.status !== "in_sync" && n.status !== "unreachable";

/** The slave behind the longest whose last sync is known, and how long ago. */
function behindLongest(nodes: readonly NodeResult[], finishedAt: string): { name: string; age: number } | undefined {
  let worst: { name: string; age: number } | undefined;
  for (const n of nodes) {
    if (!isBehind(n)) continue;
    const age = lastSyncAgeSeconds(n, finishedAt);
    if (age !== undefined && (!worst || age > worst.age)) worst = { name: n.name, age };
  }
  return worst;
}

function names(nodes: readonly NodeResult[]): string {
  const shown = nodes.slice(0, SHOWN_NAMES).map((n) => plain(n.name));
  return shown.join(", ") + (nodes.length > SHOWN_NAMES ? ` and ${nodes.length - SHOWN_NAMES} more` : "");
}

/** A perfdata item: `label=value[UOM];warn;crit;min;max`. */
function perf(label: string, value: string, uom: string, w?: Range, c?: Range, min = "0", max = ""): string {
  return `${label}=${value}${value === "U" ? "" : uom};${w?.text ?? ""};${c?.text ?? ""};${min};${max}`.replace(/;+$/, "");
}

/** Renders a verify run as the plugin's line and exit code. */
export function renderNagios(r: MetricsInput, o: NagiosOptions): NagiosResult {
  const duration = perf("duration", String(r.durationMs / 1000), "s");
  if (o.interrupted) return result("UNKNOWN", "interrupted before the run finished");
  if (r.masterError) {
    return result("CRITICAL", `the master ${plain(r.master.name)} (${plain(r.master.address)}) could not be read: ${plain(r.masterError.message)}`, [duration]);
  }
  const total = r.nodes.length;
  const count = (st: VerifyStatus): number => r.nodes.filter((n) => n.status === st).length;
  const problems = r.nodes.filter((n) => PROBLEMS.includes(n.status as VerifyStatus)).length;
  const behind = behindLongest(r.nodes, r.finishedAt);
  const breach = (t: Thresholds): boolean => (t.problems !== undefined && alerts(t.problems, problems)) || (t.age !== undefined && behind !== undefined && alerts(t.age, behind.age));
  const state: NagiosState = breach(o.critical) ? "CRITICAL" : breach(o.warning) ? "WARNING" : "OK";

  const parts = [`${count("in_sync")} of ${total} slave${total === 1 ? "" : "s"} in sync (master ${plain(r.master.name)})`];
  for (const st of LISTED) {
    const these = r.nodes.filter((n) => n.status === st);
    if (these.length) parts.push(`${st.replace(/_/g, " ")}: ${names(these)}`);
  }
  if (behind) parts.push(`${plain(behind.name)} last synced ${formatDuration(behind.age * 1000)} ago`);
  const max = String(total);
  const data = [
    perf("problems", String(problems), "", o.warning.problems, o.critical.problems, "0", max),
    ...(["in_sync", "pending", "out_of_sync", "not_joined", "unreachable"] as const).map((st) => perf(st, String(count(st)), "", undefined, undefined, "0", max)),
    // Nobody behind: 0; someone behind whose last sync the log does not show: U (unknown).
    perf("sync_age", behind ? String(Math.round(behind.age)) : r.nodes.some(isBehind) ? "U" : "0", "s", o.warning.age, o.critical.age),
    duration,
  ];
  return result(state, parts.join("; "), data);
}
