/**
 * What `inventory init` collects (an InitPlan) and the checks on each answer, the same rules
 * the loader applies, so a file the builder writes always validates. Pure functions.
 */
import { endpointKey, hostProblem, ipProblem, nameValid } from "../hosts.js";

export interface InitNode {
  name: string;
  host: string;
  /** Omitted: the fleet's port (defaults.port). */
  port?: number;
}

export interface InitPlan {
  master: InitNode & { advertise?: { ip: string; port: number } };
  /** defaults.port: the proxy port of every node that does not set its own. */
  port: number;
  slaves: InitNode[];
  credentials?: { username: string; passwordEnv?: string; passwordFile?: string };
}

const NAME_RULE = "letters, digits, '.', '_' and '-', starting with a letter or digit";

/** true, or why the text is not a host (IP address or host name). */
export function checkHost(v: string): true | string {
  return hostProblem(v.trim()) ?? true;
}

/** true, or why the text is not an IP address. */
export function checkIp(v: string): true | string {
  return ipProblem(v.trim()) ?? true;
}

/** true, or why the text is not a port. */
export function checkPort(v: string): true | string {
  const t = v.trim();
  return /^\d{1,5}$/.test(t) && Number(t) >= 1 && Number(t) <= 65535 ? true : "a port is a whole number from 1 to 65535";
}

/** true, or why the name is refused (syntax, or already used: compared ignoring case). */
export function checkName(v: string, used: readonly string[]): true | string {
  const t = v.trim();
  if (!nameValid(t)) return `a name uses ${NAME_RULE}`;
  if (used.some((u) => u.toLowerCase() === t.toLowerCase())) return `"${t}" is already used`;
  return true;
}

/** true, or why the text is not an environment variable NAME (the value is never echoed). */
export function checkEnvName(v: string): true | string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.trim())) return true;
  return "give the NAME of an environment variable (letters, digits and _), not the password itself";
}

/** true, or why the user name is refused. */
export function checkUsername(v: string): true | string {
  return /^[^:\s]+$/.test(v.trim()) ? true : "a user name has no spaces or colons";
}

/** true, or why a node on host:port would clash with one already planned. */
export function checkClash(host: string, port: number, plan: Pick<InitPlan, "master" | "slaves" | "port">): true | string {
  const key = endpointKey(host.trim(), port);
  if (endpointKey(plan.master.host, plan.master.port ?? plan.port) === key) return `${host.trim()}:${port} is the master`;
  const other = plan.slaves.find((s) => endpointKey(s.host, s.port ?? plan.port) === key);
  return other ? `${host.trim()}:${port} is already slave ${other.name}` : true;
}

/** A name for a slave given by host only: the host name's first label, else slave-N. */
export function generatedName(host: string, used: readonly string[]): string {
  const label = host.split(".")[0] ?? "";
  if (ipProblem(host) !== undefined && checkName(label, used) === true) return label;
  for (let i = used.length; ; i++) {
    const name = `slave-${i}`;
    if (checkName(name, used) === true) return name;
  }
}

/**
 * Reads a pasted list of slaves: one entry per line (or comma-separated), `NAME HOST [PORT]`,
 * `NAME=HOST`, `HOST PORT` or `HOST` alone (a name is generated); `#` starts a comment.
 * Returns the slaves, or every problem (each with its line number), so a long paste is fixed
 * in one go: `error` says them all, one per line.
 */
export function parseSlaveList(text: string, plan: Pick<InitPlan, "master" | "port">): { slaves: InitNode[] } | { error: string; problems: string[] } {
  const slaves: InitNode[] = [];
  const problems: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    for (const entry of lines[i]!.replace(/#.*$/, "").split(/[,;]/)) {
      const problem = parseEntry(entry, plan, slaves);
      if (problem !== undefined) problems.push(`line ${i + 1}: ${problem}`);
    }
  }
  if (problems.length === 0 && slaves.length === 0) problems.push("no slaves: give at least one, e.g. pune-1 10.0.1.11");
  if (problems.length === 0) return { slaves };
  const error = problems.length === 1 ? problems[0]! : `${problems.length} problems:\n${problems.join("\n")}`;
  return { error, problems };
}

/** Reads one entry into `slaves`; returns why it is refused (then nothing is added). */
function parseEntry(entry: string, plan: Pick<InitPlan, "master" | "port">, slaves: InitNode[]): string | undefined {
  const tokens = entry.trim().split(/[\s=]+/).filter((t) => t !== "");
  if (tokens.length === 0) return undefined;
  if (tokens.length > 3) return `"${entry.trim()}" is not NAME HOST [PORT], HOST PORT or HOST`;
  // Two words, the second a number: HOST PORT (no host is all digits; NAME=HOST keeps its "=").
  const hostPort = tokens.length === 2 && !entry.includes("=") && /^\d+$/.test(tokens[1]!);
  const named = tokens.length === 3 || (tokens.length === 2 && !hostPort);
  const host = named ? tokens[1]! : tokens[0]!;
  const portText = tokens.length === 3 ? tokens[2] : hostPort ? tokens[1] : undefined;
  const hostOk = checkHost(host);
  if (hostOk !== true) return hostOk;
  const used = [plan.master.name, ...slaves.map((s) => s.name)];
  const name = named ? tokens[0]! : generatedName(host, used);
  const nameOk = checkName(name, used);
  if (nameOk !== true) return nameOk;
  if (portText !== undefined && checkPort(portText) !== true) return String(checkPort(portText));
  const port = portText !== undefined ? Number(portText) : undefined;
  const clash = checkClash(host, port ?? plan.port, { ...plan, slaves });
  if (clash !== true) return clash;
  slaves.push({ name, host, ...(port !== undefined && port !== plan.port ? { port } : {}) });
  return undefined;
}
