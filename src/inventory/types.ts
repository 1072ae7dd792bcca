/**
 * The normalised inventory: what every command works from once the YAML has been loaded,
 * validated and defaulted (README "The inventory"). Produced only by src/inventory/load.ts.
 */
import type { Secret } from "../util/secret.js";

export type Transport = "proxy" | "direct" | "https";

/** Where a password comes from; read when a command needs it (never stored inline). */
export type PasswordRef = { kind: "env"; name: string } | { kind: "file"; path: string };

export interface CredentialsSpec {
  username: string;
  password: PasswordRef;
  /** Where passwordEnv / passwordFile is written (for messages about a missing secret). */
  pos?: SourcePos;
  /** Its field path, e.g. "defaults.credentials.passwordEnv". */
  field?: string;
}

/** A position in the inventory file, for messages about a node. */
export interface SourcePos {
  line: number;
  column: number;
}

export interface NodeSpec {
  name: string;
  role: "master" | "slave";
  /** An IP literal or a host name (resolved by resolveAddress when an address is needed). */
  host: string;
  /** The proxy port, where the admin interface answers. */
  port: number;
  transport: Transport;
  /** Per-request timeout, milliseconds. */
  timeoutMs: number;
  credentials?: CredentialsSpec;
  /** PEM file of the CA that signs the node's certificate (https transport). */
  caFile?: string;
  pos?: SourcePos;
}

export interface MasterSpec extends NodeSpec {
  role: "master";
  /** What slaves get as MASTER_IP / MASTER_PORT (defaults: host, port). */
  advertise: { ip: string; port: number };
}

export interface SlaveSpec extends NodeSpec {
  role: "slave";
  /** The address the master sees when this slave syncs, when it is not the slave's host. */
  sourceIp?: string;
}

export interface Inventory {
  /** Absolute path of the file it was read from. */
  file: string;
  version: 1;
  master: MasterSpec;
  slaves: SlaveSpec[];
  allowList: { userGroup: string };
  /** Sections verify reports; undefined means every section that syncs. */
  sync: { sections?: string[] };
}

/** One problem found in an inventory: `FILE:LINE:COL: message (path): accepted`. */
export interface InventoryIssue {
  file: string;
  line: number;
  column: number;
  /** The field path, e.g. "slaves[2].host" ("" for the whole document). */
  path: string;
  message: string;
  /** What would be accepted, when that can be said. */
  accepted?: string;
}

export interface LoadResult {
  inventory?: Inventory;
  errors: InventoryIssue[];
  warnings: InventoryIssue[];
  /** The file does not exist (its one error says so). */
  missing?: true;
}

/** Credentials with the password read: what the transport needs. */
export interface ResolvedCredentials {
  username: string;
  password: Secret;
}
