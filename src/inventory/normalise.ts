/**
 * From the validated raw document to the normalised Inventory (types.ts): defaults applied per
 * node, durations in milliseconds, advertise defaulted to the master's host and port, relative
 * file paths read from the inventory's folder. Runs only on a document with no errors.
 */
import { isAbsolute, resolve } from "node:path";
import { parseDuration } from "../util/duration.js";
import { formatPath, type Locator, type PathSeg } from "./positions.js";
import type { RawCommon, RawCredentials, RawInventory, RawNode } from "./schema.js";
import type { CredentialsSpec, Inventory, MasterSpec, NodeSpec, SlaveSpec } from "./types.js";

export const DEFAULT_PORT = 8080;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_USER_GROUP = "PROXY_SLAVES";

/** Builds the Inventory from a document that passed the schema and the rules. */
export function normalise(raw: RawInventory, file: string, at: Locator): Inventory {
  const baseDir = resolve(file, "..");
  const d: RawCommon = raw.defaults ?? {};
  const node = (n: RawNode, path: PathSeg[]): Omit<NodeSpec, "role"> => {
    const credPath = n.credentials ? [...path, "credentials"] : ["defaults", "credentials"];
    const credentials = credentialsOf(n.credentials ?? d.credentials, credPath, baseDir, at);
    const caFile = n.caFile ?? d.caFile;
    return {
      name: n.name,
      host: n.host,
      port: n.port ?? d.port ?? DEFAULT_PORT,
      transport: n.transport ?? d.transport ?? "proxy",
      timeoutMs: parseDuration(n.timeout ?? d.timeout ?? "") ?? DEFAULT_TIMEOUT_MS,
      ...(credentials ? { credentials } : {}),
      ...(caFile !== undefined ? { caFile: fromBase(baseDir, caFile) } : {}),
      pos: at.value(path),
    };
  };
  const m = node(raw.master, ["master"]);
  const { name: masterName, ...masterRest } = m;
  const master: MasterSpec = {
    name: masterName,
    role: "master",
    ...masterRest,
    advertise: { ip: raw.master.advertise?.ip ?? m.host, port: raw.master.advertise?.port ?? m.port },
  };
  const slaves: SlaveSpec[] = raw.slaves.map((s, i) => ({
    role: "slave",
    ...node(s, ["slaves", i]),
    ...(s.sourceIp !== undefined ? { sourceIp: s.sourceIp } : {}),
  }));
  return {
    file,
    version: 1,
    master,
    slaves,
    allowList: { userGroup: raw.allowList?.userGroup ?? DEFAULT_USER_GROUP },
    sync: raw.sync?.sections ? { sections: [...raw.sync.sections] } : {},
  };
}

function credentialsOf(c: RawCredentials | undefined, path: PathSeg[], baseDir: string, at: Locator): CredentialsSpec | undefined {
  if (!c) return undefined;
  if (c.passwordEnv !== undefined) {
    const field = [...path, "passwordEnv"];
    return { username: c.username, password: { kind: "env", name: c.passwordEnv }, pos: at.value(field), field: formatPath(field) };
  }
  const field = [...path, "passwordFile"];
  return { username: c.username, password: { kind: "file", path: fromBase(baseDir, c.passwordFile ?? "") }, pos: at.value(field), field: formatPath(field) };
}

/** A path from the file, read from the inventory's folder when relative (any working directory works). */
function fromBase(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(baseDir, p);
}
