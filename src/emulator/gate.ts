/**
 * The access gate (docs/protocol.md "Access"): every request, admin or not, CONNECT included, is
 * judged by first-match over the node's CURRENT access section (evaluateAccess), with the
 * client address from X-Forwarded-For when present, and Basic proxy credentials checked
 * against the node's own user table.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import { evaluateAccess, plainAddress, type AccessDecision } from "../safesquid/access.js";
import type { ClientInfo, NodeCore, Reply } from "./core.js";
import type { DialectRules } from "./dialect.js";
import { htmlPage } from "./reply.js";

/** Reads `Proxy-Authorization: Basic ...`; undefined when absent or not Basic. */
export function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const m = /^\s*Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? "");
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Where a connection really comes from and arrives on (a TLS tunnel passes its own). */
export interface PeerInfo {
  remote: string;
  local: string;
  /** Credentials given on the CONNECT that opened a tunnel. */
  tunnelAuth?: { username: string; password: string };
}

/** The peer of a plain socket. */
export function socketPeer(socket: Socket): PeerInfo {
  return {
    remote: plainAddress(socket.remoteAddress ?? ""),
    local: `${plainAddress(socket.localAddress ?? "")}:${socket.localPort ?? 0}`,
  };
}

/** Who the gate sees: X-Forwarded-For (its first address) replaces the TCP peer for `ip` rows. */
export function clientInfo(headers: IncomingHttpHeaders, peer: PeerInfo): ClientInfo {
  const xff = headers["x-forwarded-for"];
  const first = (Array.isArray(xff) ? xff[0] : xff)?.split(",")[0]?.trim();
  const creds = basicCredentials(headers["proxy-authorization"]) ?? peer.tunnelAuth;
  return { ip: first ? plainAddress(first) : peer.remote, local: peer.local, ...creds };
}

/** Judges a request; `faults.denySyncFrom` addresses are refused whatever the rows say. */
export function judge(core: NodeCore, client: ClientInfo): AccessDecision {
  if (core.faults.isDenied(client.ip)) return { kind: "deny", reason: "deny-row" };
  return evaluateAccess(core.policy.access(), client, (u, p) => core.checkLogin(u, p));
}

/** The refusal for a challenge (407 + Basic) or a denial (the dialect's "Access Denied" page). */
export function refusal(rules: DialectRules, decision: AccessDecision): Reply | undefined {
  if (decision.kind === "challenge") {
    return htmlPage(407, "Proxy Authentication Required", "Log in to use this proxy.", {
      "Proxy-Authenticate": 'Basic realm="SafeSquid"',
    });
  }
  if (decision.kind === "deny") return rules.denied();
  return undefined;
}
