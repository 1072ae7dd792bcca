/**
 * What the admin client knows of a node: where its admin endpoint answers and how to reach it.
 * Nothing of the inventory it came from (src/fleet/session.ts maps an inventory node to this).
 */
import type { Secret } from "../util/secret.js";

/** How requests reach the admin interface (docs/protocol.md "Reaching a node"). */
export type EndpointTransport = "proxy" | "direct" | "https";

export interface Endpoint {
  /** The node's name, for messages. */
  name: string;
  /** An IP literal or a host name. */
  host: string;
  /** The proxy port, where the admin interface answers. */
  port: number;
  transport: EndpointTransport;
  /** Per-request timeout, milliseconds. */
  timeoutMs: number;
  /** PEM file of the CA that signs the node's certificate (https transport). */
  caFile?: string;
}

/** The login sent once the node answers 407. */
export interface Credentials {
  username: string;
  password: Secret;
}
