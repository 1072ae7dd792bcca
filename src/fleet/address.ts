/** A node's address as reports show it. Kept apart from session.ts so that importing it does not load the HTTP client (got) at start-up. */
import type { NodeSpec } from "../inventory/types.js";
import { hostPort } from "../util/host-port.js";

/** "10.0.1.11:8080" */
export function addressOf(node: NodeSpec): string {
  return hostPort(node.host, node.port);
}
