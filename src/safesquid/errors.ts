/**
 * The client boundary: socket and HTTP failures become domain errors whose message names the
 * node and whose hint says what to do (docs/architecture.md "Layers"). Nothing above
 * src/safesquid/ sees an HTTP status or a socket error code.
 */
import { FleetError } from "../errors.js";
import type { Credentials, Endpoint } from "./endpoint.js";
import { hostPort } from "../util/host-port.js";
import { safeLine } from "../util/safe-text.js";
import { formatSize } from "../util/size.js";
import { refusedTunnelStatus } from "./tunnel.js";

/** "pune-1 (10.0.1.11:8080)": how every message names a node. */
export function nodeLabel(node: Pick<Endpoint, "name" | "host" | "port">): string {
  return `${node.name} (${hostPort(node.host, node.port)})`;
}

/** A connection that ended before the reply did (Node's "socket hang up" is ECONNRESET; got's read failure wraps the stream's). */
const DROPPED = new Set(["ECONNRESET", "EPIPE", "ERR_STREAM_PREMATURE_CLOSE", "ERR_READING_RESPONSE_STREAM"]);

const TLS_CODES = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

/** Maps a socket / got error into a FleetError. */
export function classifyNetworkError(e: unknown, node: Endpoint, handler: string): FleetError {
  if (e instanceof FleetError) return e;
  const err = e as { code?: string; name?: string; message?: string };
  const code = err.code ?? "";
  const label = nodeLabel(node);
  const opts = { node: node.name, cause: e };
  if (code === "ERR_ABORTED" || err.name === "AbortError" || err.name === "CancelError") {
    return new FleetError("INTERRUPTED", `interrupted while talking to ${label}`, opts);
  }
  if (code === "ECONNREFUSED") {
    return new FleetError("UNREACHABLE", `${label} refused the connection`, {
      ...opts,
      hint: `check that SafeSquid is running on ${node.host} and listening on port ${node.port}, and the host and port in the inventory`,
    });
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") {
    return new FleetError("UNREACHABLE", `cannot resolve the host name of ${label}`, {
      ...opts,
      hint: "check the host in the inventory, or use the node's IP address",
    });
  }
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "EADDRNOTAVAIL") {
    return new FleetError("UNREACHABLE", `no route to ${label} (${code})`, {
      ...opts,
      hint: "check the network path from this machine to the node",
    });
  }
  if (code === "ETIMEDOUT" || err.name === "TimeoutError") {
    return new FleetError("TIMEOUT", `${label} did not answer handler=${handler} within ${node.timeoutMs / 1000}s`, {
      ...opts,
      hint: "check the network path; if the node is just slow, raise --timeout or timeout: in the inventory",
    });
  }
  if (TLS_CODES.test(code)) {
    return new FleetError("TLS", `cannot verify the certificate of ${label}: ${safeLine(err.message ?? code)}`, {
      ...opts,
      hint: "set caFile for this node in the inventory to the CA that signs its certificate (verification stays on)",
    });
  }
  const refused = refusedTunnelStatus(e);
  if (refused !== undefined) return httpStatusError(refused, node, handler, undefined);
  const causeCode = (err as { cause?: { code?: string } }).cause?.code ?? "";
  if (DROPPED.has(code) || DROPPED.has(causeCode)) {
    return new FleetError("RESET", `the connection to ${label} dropped before the reply to handler=${handler} was complete`, {
      ...opts,
      hint: "the node may be restarting or overloaded; run the command again (it re-reads before it writes)",
    });
  }
  return new FleetError("UNREACHABLE", `cannot talk to ${label}: ${safeLine(err.message ?? String(e))}`, opts);
}

/** Maps an HTTP status other than 200/304 into a FleetError (`sent`: the credentials the request carried). */
export function httpStatusError(status: number, node: Endpoint, handler: string, sent: Credentials | undefined, body?: string): FleetError {
  const label = nodeLabel(node);
  const opts = { node: node.name };
  if (status === 407 && !sent) {
    return new FleetError("NEEDS_CREDENTIALS", `${label} asks this tool to log in (407 Proxy Authentication Required)`, {
      ...opts,
      hint: "add credentials for it in the inventory (username with passwordEnv or passwordFile), or give this machine's address an allow row with CONFIG and no login",
    });
  }
  if (status === 407 && sent) {
    return new FleetError("BAD_CREDENTIALS", `${label} rejected the tool's credentials (407 Proxy Authentication Required)`, {
      ...opts,
      hint: sent.password.typed
        ? `check the username (${safeLine(sent.username)}) and the password typed at the question (the password itself is never shown)`
        : "check the username and the password source in the inventory (the password itself is never shown)",
    });
  }
  if (status === 403) return accessDenied(node, "403 Access Denied");
  if (status >= 500) {
    return new FleetError("SERVER_ERROR", `${label} failed handler=${handler} with ${status}${statusText(body)}`, {
      ...opts,
      hint: "look at the node's log; run the command again once the node is healthy (it re-reads before it writes)",
    });
  }
  return new FleetError("BAD_REPLY", `${label} answered ${status} to handler=${handler}`, {
    ...opts,
    hint: `is ${node.host}:${node.port} a SafeSquid proxy port? check the host, port and transport in the inventory`,
  });
}

function statusText(body: string | undefined): string {
  const t = (body ?? "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 80);
  return t ? ` (${safeLine(t)})` : "";
}

function accessDenied(node: Endpoint, how: string): FleetError {
  return new FleetError("ACCESS_DENIED", `${nodeLabel(node)} denies this machine its admin interface (${how})`, {
    node: node.name,
    hint: "the node's Access Restrictions must give this machine's address the CONFIG right: add or fix an allow row for it in the node's web interface, then run again",
  });
}

/** A 200 reply that is the proxy's "Access Denied" page instead of the handler's XML (docs/protocol.md "Access"). */
export function accessDeniedPage(node: Endpoint, handler: string): FleetError {
  return accessDenied(node, `an "Access Denied" page in reply to handler=${handler}`);
}

/** A reply past its size bound (src/safesquid/transport.ts REPLY_LIMITS): reading stopped there. */
export function replyTooLarge(node: Endpoint, handler: string, limit: number, seen: { bytes: number; announced: boolean }): FleetError {
  const what = seen.announced ? `announced a reply of ${formatSize(seen.bytes)} to handler=${handler}, past the bound of ${formatSize(limit)}: not read` : `sent more than ${formatSize(limit)} in reply to handler=${handler}: reading stopped there`;
  return new FleetError("REPLY_TOO_LARGE", `${nodeLabel(node)} ${what}`, {
    node: node.name,
    hint: `a reply that large is not what this handler sends; if the node's ${handler === "conf_xml" ? "policy document" : "reply"} really is that large, raise the bound with --max-reply-size ${formatSize(suggest(limit, seen.bytes)).replace(" ", "")}`,
  });
}

/** A bound to suggest: the next doubling of this one that holds the reply with room to spare. */
function suggest(limit: number, bytes: number): number {
  let s = limit * 2;
  while (s < bytes * 1.5) s *= 2;
  return s;
}

/** A reply that is not what the handler answers with. */
export function badReply(node: Endpoint, handler: string, what: string): FleetError {
  return new FleetError("BAD_REPLY", `${nodeLabel(node)} sent an unexpected reply to handler=${handler}: ${safeLine(what)}`, {
    node: node.name,
    hint: "is this a SafeSquid node of a supported build? run with --verbose to see the calls",
  });
}

/** A handler that reported a failure in its payload (`<error message=.../>`, a failed result). */
export function handlerRefused(node: Endpoint, handler: string, message: string): FleetError {
  return new FleetError("HANDLER_REFUSED", `${nodeLabel(node)} refused handler=${handler}: ${safeLine(message)}`, {
    node: node.name,
  });
}
