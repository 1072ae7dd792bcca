/** The options of an emulated node (node.ts) and its lifecycle states. */
import type { CapturedRequest } from "./capture.js";
import type { Subscription } from "./core.js";
import type { Dialect } from "./dialect.js";
import type { NativeLogOptions } from "./native-log.js";
import type { TlsMaterial } from "./tunnel.js";

/** The build the emulator reports by default (the vendor files it follows are from this build). */
export const DEFAULT_BUILD = "2023.1011.1421.3";

export interface NodeOptions {
  name: string;
  /** The address the node listens on and syncs from (a loopback address in the lab). */
  host: string;
  /** The port; 0 picks a free one, kept for every restart. */
  port?: number;
  /** The node's state folder (created; existing files in it are kept and used). */
  stateDir: string;
  /** The node's own user table for Basic proxy logins: user -> password. */
  users?: Record<string, string>;
  build?: string;
  edition?: string;
  /** X-SafeSquid-Instance; default the effective HOSTNAME parameter, else the node's name. */
  hostname?: string;
  subscription?: Partial<Subscription>;
  /** How long a restart keeps the node down. Default 1000 ms. */
  restartDowntimeMs?: number;
  clockSkewMs?: number;
  /** A slave's timeout for one fetch from its master. Default 5000 ms. */
  syncTimeoutMs?: number;
  /** Key and certificate: CONNECT safesquid.cfg:443 is then served over TLS. */
  tls?: TlsMaterial;
  /** Files written into the state folder when absent: defaults file, config.xml, and startup.ini overrides. */
  files?: { defaults?: string; config?: string; startupIni?: string; startupParams?: Record<string, string> };
  /** Give every entry a new id at each load ([chosen]: ids are not stable across restarts; the alt dialect always does). Duplicates are always renumbered. */
  renumberIdsOnLoad?: boolean;
  /** The node's choices on every [chosen] point (docs/emulator.md "Dialects"). Default "vendor". */
  dialect?: Dialect;
  /** Lines of backlog `handler=log` sends first. Default: the dialect's (vendor 3000, alt 0). */
  logBacklogLines?: number;
  /** Keep every admin request as it arrived in `captured` (docs/emulator.md "Request capture"). */
  capture?: boolean;
  /** Called with every admin request as it arrived. */
  onRequest?: (r: CapturedRequest) => void;
  /** Largest request body. Default 1 MiB. */
  bodyLimitBytes?: number;
  log?: NativeLogOptions;
}

export type NodeStatus = "stopped" | "up" | "restarting" | "refusing" | "dead";
