/**
 * The lab (`safesquid-fleet lab`): one emulated master and N slaves on consecutive loopback addresses,
 * all on one port, each with its state folder. The master (and every slave) starts with
 * authentication required for every address but 127.0.0.1, so slaves cannot sync until the
 * tool's `allow` has run; slaves start stand-alone unless `joinSlaves`.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { labAddresses, commonPort, ListenError } from "./addresses.js";
import { MASTER_CONFIG } from "./defaults/master-config.js";
import { FACTORY_CONFIG } from "./defaults/factory-config.js";
import type { Dialect } from "./dialect.js";
import { requireLoginForLocal } from "./lab-documents.js";
import { Lab, type LabSettings } from "./lab-handle.js";
import { EmulatedNode, type NodeOptions } from "./node.js";
import type { TlsMaterial } from "./tunnel.js";

export { Lab } from "./lab-handle.js";

/** What may differ per node (by name: "master", "slave-1", ...). */
export interface LabNodeOverrides {
  activationKeyName?: string;
  serviceId?: string;
  version?: string;
  /** The node's starting policy document. */
  config?: string;
  /** Extra startup.ini overrides. */
  startupParams?: Record<string, string>;
  clockSkewMs?: number;
}

export interface LabOptions {
  /** Number of slaves. Default 2. */
  slaves?: number;
  /** The port of every node; 0 (default) picks one free on every address. */
  port?: number;
  /** The master's address; each slave gets the next one, skipping .0 and .255 (./addresses.ts). Default 127.1.0.1. */
  baseAddress?: string;
  /** Where node folders go; default a temporary folder removed on stop(). */
  stateDir?: string;
  /** SYNCTIME written to every node's startup.ini. Default 2000 ms. */
  syncIntervalMs?: number;
  /** How long a restart keeps a node down. Default 1000 ms (0 allowed). */
  restartDowntimeMs?: number;
  /** The 127.0.0.1 rows ask for a login too: the tool must send proxy credentials. */
  requireLogin?: boolean;
  /** The user on every node. Default "fleet". */
  username?: string;
  /** Default: $SAFESQUID_LAB_PASSWORD, else generated. Never printed. */
  password?: string;
  masterConfig?: string;
  slaveConfig?: string;
  /** Slaves start with MASTER_IP / MASTER_PORT pointing at the master. */
  joinSlaves?: boolean;
  nodes?: Record<string, LabNodeOverrides>;
  /** Every node speaks HTTPS through CONNECT with this key and certificate. */
  tls?: TlsMaterial;
  syncTimeoutMs?: number;
  /** Every node gives every entry a new id at each load ([chosen]: ids are not stable across restarts). */
  renumberIdsOnLoad?: boolean;
  /** Every node's choices on the [chosen] points (docs/emulator.md "Dialects"). Default "vendor". */
  dialect?: Dialect;
  /** Lines of backlog each node's `handler=log` sends first. Default: the dialect's. */
  logBacklogLines?: number;
  /** Every node keeps its admin requests in `captured` (docs/emulator.md "Request capture"). */
  capture?: boolean;
  /** Where the lab reads SAFESQUID_LAB_PASSWORD. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Starts a lab; rejects with a ListenError when an address or port cannot be used. */
export async function startLab(o: LabOptions = {}): Promise<Lab> {
  const count = o.slaves ?? 2;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`a lab needs at least one slave, not ${count}`);
  const addresses = labAddresses(o.baseAddress ?? "127.1.0.1", count + 1);
  const names = ["master", ...Array.from({ length: count }, (_, i) => `slave-${i + 1}`)];
  const env = o.env ?? process.env;
  const fromEnv = o.password === undefined && !!env.SAFESQUID_LAB_PASSWORD;
  const settings: LabSettings = {
    username: o.username ?? "fleet",
    password: o.password ?? (env.SAFESQUID_LAB_PASSWORD || randomBytes(18).toString("base64url")),
    passwordEnv: fromEnv ? "SAFESQUID_LAB_PASSWORD" : undefined,
    requireLogin: o.requireLogin === true,
  };
  const ownDir = o.stateDir === undefined;
  const stateDir = o.stateDir ?? mkdtempSync(join(tmpdir(), "safesquid-lab-"));
  const local = (t: string): string => (settings.requireLogin ? requireLoginForLocal(t) : t);
  const docs = { master: local(o.masterConfig ?? MASTER_CONFIG), slave: local(o.slaveConfig ?? FACTORY_CONFIG) };
  const syncSecs = String((o.syncIntervalMs ?? 2000) / 1000);
  for (let attempt = 1; ; attempt++) {
    let port: number;
    try {
      port = await commonPort(addresses, o.port ?? 0);
    } catch (e) {
      if (ownDir) rmSync(stateDir, { recursive: true, force: true });
      throw e;
    }
    const fresh = names.map((n) => !existsSync(join(stateDir, n)));
    const nodes = names.map((name, i) => {
      const ov = o.nodes?.[name] ?? {};
      const params: Record<string, string> = { LISTEN_IP: addresses[i]!, LISTEN_PORT: String(port), HOSTNAME: name, SYNCTIME: syncSecs };
      if (i > 0 && o.joinSlaves) Object.assign(params, { MASTER_IP: addresses[0]!, MASTER_PORT: String(port) });
      const opts: NodeOptions = {
        name,
        host: addresses[i]!,
        port,
        stateDir: join(stateDir, name),
        users: { [settings.username]: settings.password },
        subscription: { activationKeyName: ov.activationKeyName ?? "SAFESQUID-FLEET-LAB", serviceId: ov.serviceId ?? "SSQ-LAB-0001", ...(ov.version ? { version: ov.version } : {}) },
        restartDowntimeMs: o.restartDowntimeMs ?? 1000,
        files: { config: ov.config ?? (i === 0 ? docs.master : docs.slave), startupParams: { ...params, ...ov.startupParams } },
        ...(ov.clockSkewMs !== undefined ? { clockSkewMs: ov.clockSkewMs } : {}),
        ...(o.tls ? { tls: o.tls } : {}),
        ...(o.syncTimeoutMs !== undefined ? { syncTimeoutMs: o.syncTimeoutMs } : {}),
        ...(o.renumberIdsOnLoad ? { renumberIdsOnLoad: true } : {}),
        ...(o.dialect ? { dialect: o.dialect } : {}),
        ...(o.logBacklogLines !== undefined ? { logBacklogLines: o.logBacklogLines } : {}),
        ...(o.capture ? { capture: true } : {}),
      };
      return new EmulatedNode(opts);
    });
    try {
      for (let i = 0; i < nodes.length; i += 64) await Promise.all(nodes.slice(i, i + 64).map((n) => startNode(n)));
      return new Lab(nodes[0]!, nodes.slice(1), port, stateDir, ownDir, settings);
    } catch (e) {
      await Promise.all(nodes.map((n) => n.stop()));
      // Folders this attempt created carry its port: drop them before another try.
      names.forEach((n, i) => fresh[i] && rmSync(join(stateDir, n), { recursive: true, force: true }));
      const retry = (o.port ?? 0) === 0 && e instanceof ListenError && e.code === "EADDRINUSE" && attempt < 10;
      if (!retry) {
        if (ownDir) rmSync(stateDir, { recursive: true, force: true });
        throw e;
      }
    }
  }
}

/** Starts a node, turning its listen error into a ListenError that names the address. */
async function startNode(n: EmulatedNode): Promise<void> {
  try {
    await n.start();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw code ? new ListenError(code, n.host, n.port, e) : e;
  }
}
