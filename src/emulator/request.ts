/**
 * One HTTP request through the node (docs/protocol.md "Reaching a node" and "Access"): the proxy form
 * (`POST http://safesquid.cfg/`) and the origin form (`POST /`); parameters from the query
 * string and the urlencoded body, the body winning on a clash; body size capped; faults; the
 * access gate; then the handler. Requests for any other host would be real proxying, which the
 * emulator does not do: they get a 502 that says so.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { captured } from "./capture.js";
import type { AdminCall, NodeCore, Reply } from "./core.js";
import { clientInfo, judge, refusal, type PeerInfo } from "./gate.js";
import { dispatch } from "./handlers.js";
import { THREAD } from "./native-log.js";
import { htmlPage, send, sendPadded, xmlError } from "./reply.js";

/** The magic host name of the admin interface, never resolved by DNS (docs/protocol.md "Reaching a node"). */
export const ADMIN_HOST = "safesquid.cfg";

/** Where a request is aimed: the admin endpoint (with its raw query, no `?`) or another host. */
export function target(url: string): { admin: true; path: string; query: string } | { admin: false; host: string } {
  const q = url.indexOf("?");
  const query = q < 0 ? "" : url.slice(q + 1).replace(/#.*$/, "");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return { admin: false, host: url };
    }
    if (u.hostname.toLowerCase() !== ADMIN_HOST) return { admin: false, host: u.host };
    return { admin: true, path: u.pathname, query };
  }
  return { admin: true, path: q < 0 ? url : url.slice(0, q), query };
}

/** Reads the body up to `limit` bytes; undefined when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        resolve(undefined);
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Query and body merged; the body wins on a clash (§1). */
export function mergeParams(query: string, body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(query)) out.set(k, v);
  for (const [k, v] of new URLSearchParams(body)) out.set(k, v);
  return out;
}

/**
 * What the vendor's web interface never sends, refused before any handler runs
 * (docs/emulator.md "Strictness"): a raw `+` (its values are encodeURIComponent-encoded, so a
 * `+` can only be a space encoded another way, which a real node may store as a literal `+`),
 * and a body in another format than a form (its log viewer sends its form as text/plain).
 */
export function requestProblem(req: IncomingMessage, query: string, body: string): string | undefined {
  for (const [where, text] of [["query string", query], ["body", body]] as const) {
    if (text.includes("+")) return `the ${where} has a raw "+": encode a space as %20 and a plus sign as %2B (encodeURIComponent), as the vendor's web interface does; what a node makes of a raw "+" is unknown`;
  }
  if (body === "") return undefined;
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "" && type !== "application/x-www-form-urlencoded" && type !== "text/plain") return `the body must be application/x-www-form-urlencoded, not ${type}`;
  return undefined;
}

/** Handles one request end to end. */
export async function handleRequest(core: NodeCore, peer: PeerInfo, req: IncomingMessage, res: ServerResponse, bodyLimit: number): Promise<void> {
  const aim = target(req.url ?? "/");
  const body = await readBody(req, bodyLimit);
  if (body === undefined) {
    send(core, res, { ...htmlPage(413, "Request Entity Too Large", `The request body is larger than ${bodyLimit} bytes.`), headers: { Connection: "close" } });
    return;
  }
  if (aim.admin) core.captureRequest(captured(req, peer.remote, aim.query, body));
  const params = aim.admin ? mergeParams(aim.query, body) : new Map<string, string>();
  const handler = params.get("handler") ?? "";
  const chaos = aim.admin ? core.faults.drawChaos(handler, peer.remote) : undefined;
  if (chaos === "resetBefore" || chaos === "refuse") {
    res.socket?.destroy();
    if (chaos === "refuse") core.faults.refuseForAMoment();
    return;
  }
  if (chaos === "error") return send(core, res, htmlPage(503, "Service Unavailable", "The proxy cannot serve this request now (injected fault)."));
  if (chaos === "denySync") return send(core, res, core.rules.denied());
  const delay = core.faults.delayFor(handler) + (chaos === "delay" ? core.faults.chaosDelayMs : 0);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  // A request held past its client's patience is not handled once the client has gone.
  if (chaos === "delay" && (req.socket.destroyed || res.destroyed)) return;
  const injected = core.faults.take(handler);
  if (injected?.kind === "status") {
    send(core, res, htmlPage(injected.status, STATUS_CODES[injected.status] ?? "Server Error", "The proxy cannot serve this request now (injected fault)."));
    return;
  }
  const drop = injected?.kind === "drop" || chaos === "resetAfter";
  const client = clientInfo(req.headers, peer);
  const decision = judge(core, client);
  if (!aim.admin) {
    // A proxy request for another host: refused as the rows say, else not emulated.
    const refused = decision.kind === "challenge" || (decision.kind === "deny" && decision.reason !== "no-config");
    send(core, res, refused ? refusal(core.rules, decision)! : htmlPage(502, "Bad Gateway", `This emulated SafeSquid node serves only http://${ADMIN_HOST}/; it does not proxy to ${aim.host}.`), drop);
    return;
  }
  const refused = refusal(core.rules, decision);
  if (refused) return send(core, res, refused, drop);
  let reply: ReturnType<typeof dispatch>;
  if (req.method !== "POST" && req.method !== "GET") reply = xmlError(`method ${req.method} is not accepted: send POST`);
  else if (aim.path !== "/") reply = xmlError(`nothing is served at ${aim.path}: send admin requests to /`);
  else {
    const problem = requestProblem(req, aim.query, body);
    const call: AdminCall = { params, headers: req.headers, client };
    try {
      reply = problem ? xmlError(problem) : dispatch(core, call);
    } catch (e) {
      core.log.write(THREAD.admin, "error", `handler ${handler} failed: ${e instanceof Error ? e.message : String(e)}`);
      reply = htmlPage(500, "Internal Server Error", "The emulated node failed to handle this request.");
    }
  }
  if (chaos === "lostReply") {
    // The handler ran; its reply never comes (a restart still happens).
    if (!("stream" in reply)) (reply as Reply).afterFlush?.();
    return;
  }
  if ("stream" in reply) {
    if (drop) return void res.socket?.destroy();
    return reply.stream(res);
  }
  if (injected?.kind === "pad") return sendPadded(core, res, reply as Reply, injected.bytes, injected.contentLength);
  send(core, res, reply as Reply, drop);
}
