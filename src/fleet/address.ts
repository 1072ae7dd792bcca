/** A node's address as reports show it. Kept apart from session.ts so that importing it does not load the HTTP client (got) at start-up. */
import type { NodeSpec } from "../inventory/types.js";

/** "10.0.1.11:8080" */
export function addressOf(node: NodeSpec): string {
  return `${node.host.includes(":") ? `[${node.host}]` : node.host}:${node.port}`;
}
