/**
 * The rules a schema cannot say (README "The inventory"): unique names, hosts that are IP literals
 * or host names, addresses that are addresses, no two nodes on one host and port, the master
 * not also a slave, durations above zero. They read the raw data defensively (a field the
 * schema already refused is skipped) so one run reports every problem.
 */
import { parseDuration } from "../util/duration.js";
import { endpointKey, hostProblem, ipProblem, nameValid } from "./hosts.js";
import { HOST_ACCEPTED, IP_ACCEPTED } from "./schema.js";
import type { Locator, PathSeg } from "./positions.js";
import type { InventoryIssue } from "./types.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const validPort = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535;

/** The sections of a SafeSquid 2023.10 policy document, for a warning on a likely typo. */
export const KNOWN_SECTIONS = [
  "access", "cache", "clamav", "cookies-filtering", "dlp", "dnsbl", "elevated", "external", "forward", "ftp", "general",
  "header-filtering", "icap", "imgfilter", "keywords-filtering", "ldap", "limits", "network", "prefetch", "profiles",
  "redirect", "reqProfiles", "respProfiles", "sqscan", "sslcert", "ssqore", "templates", "timeProfiles", "wccp", "rewrite",
];

interface NodeRef {
  path: PathSeg[];
  node: Obj;
  label: string;
}

/** Every semantic rule over the raw document: errors and warnings, each placed in the file. */
export function ruleIssues(data: unknown, at: Locator): { errors: InventoryIssue[]; warnings: InventoryIssue[] } {
  const errors: InventoryIssue[] = [];
  const warnings: InventoryIssue[] = [];
  if (!isObj(data)) return { errors, warnings };
  const defaults = isObj(data.defaults) ? data.defaults : {};
  const nodes: NodeRef[] = [];
  if (isObj(data.master)) nodes.push({ path: ["master"], node: data.master, label: "the master" });
  if (Array.isArray(data.slaves)) data.slaves.forEach((s, i) => isObj(s) && nodes.push({ path: ["slaves", i], node: s, label: `slaves[${i}]` }));

  const names = new Map<string, NodeRef>();
  const endpoints = new Map<string, NodeRef>();
  for (const ref of nodes) {
    const { node, path } = ref;
    if (typeof node.name === "string" && nameValid(node.name)) {
      const first = names.get(node.name.toLowerCase());
      if (first) errors.push(at.issue([...path, "name"], `name "${node.name}" is already used by ${first.label} (line ${at.value(first.path).line})`, "a name no other node has (names are compared ignoring case)"));
      else names.set(node.name.toLowerCase(), ref);
    }
    if (typeof node.host === "string") {
      const problem = hostProblem(node.host);
      if (problem) errors.push(at.issue([...path, "host"], problem, HOST_ACCEPTED));
      // A port the schema refused is unknown: no clash is claimed on it.
      const port = node.port !== undefined ? node.port : defaults.port !== undefined ? defaults.port : 8080;
      const key = validPort(port) ? endpointKey(node.host, port) : undefined;
      const first = key === undefined ? undefined : endpoints.get(key);
      if (key !== undefined && !problem && first) {
        const msg = first.path[0] === "master"
          ? `this slave is the master: same host and port (${node.host}:${port}) as the master (line ${at.value(first.path).line})`
          : `${node.host}:${port} is already used by ${first.label} (line ${at.value(first.path).line})`;
        errors.push(at.issue([...path, "host"], msg, "each node on its own host and port; the master is not listed as a slave"));
      } else if (key !== undefined && !problem) endpoints.set(key, ref);
    }
    if (typeof node.timeout === "string" && parseDuration(node.timeout) === 0) {
      errors.push(at.issue([...path, "timeout"], "timeout must be more than zero", "a duration such as 500ms, 10s or 2m"));
    }
    if (typeof node.sourceIp === "string") ipRule(node.sourceIp, [...path, "sourceIp"], at, errors);
    if (isObj(node.advertise) && typeof node.advertise.ip === "string") ipRule(node.advertise.ip, [...path, "advertise", "ip"], at, errors);
    caFileRule(node, defaults, path, at, warnings);
  }
  if (typeof defaults.timeout === "string" && parseDuration(defaults.timeout) === 0) {
    errors.push(at.issue(["defaults", "timeout"], "timeout must be more than zero", "a duration such as 500ms, 10s or 2m"));
  }
  if (typeof defaults.caFile === "string" && nodes.length > 0 && !nodes.some((n) => (n.node.transport ?? defaults.transport) === "https")) {
    warnings.push(at.issue(["defaults", "caFile"], "caFile is set but no node uses transport https", "caFile is only read for transport https"));
  }
  sectionRule(data, at, warnings);
  return { errors, warnings };
}

function ipRule(ip: string, path: PathSeg[], at: Locator, errors: InventoryIssue[]): void {
  // MASTER_IP and the allow row take addresses: a name would be resolved differently by each node.
  const problem = ipProblem(ip);
  if (problem) errors.push(at.issue(path, problem, IP_ACCEPTED));
}

function caFileRule(node: Obj, defaults: Obj, path: PathSeg[], at: Locator, warnings: InventoryIssue[]): void {
  const transport = node.transport ?? defaults.transport ?? "proxy";
  if (typeof node.caFile === "string" && transport !== "https") {
    warnings.push(at.issue([...path, "caFile"], `caFile is set but this node's transport is ${String(transport)}`, "caFile is only read for transport https"));
  }
}

function sectionRule(data: Obj, at: Locator, warnings: InventoryIssue[]): void {
  if (!isObj(data.sync) || !Array.isArray(data.sync.sections)) return;
  data.sync.sections.forEach((s, i) => {
    if (typeof s === "string" && /^[A-Za-z][A-Za-z0-9_-]*$/.test(s) && !KNOWN_SECTIONS.includes(s)) {
      warnings.push(at.issue(["sync", "sections", i], `"${s}" is not a section SafeSquid 2023.10 knows`, `a section such as ${KNOWN_SECTIONS.slice(0, 8).join(", ")}...`));
    }
  });
}
