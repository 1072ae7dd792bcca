/**
 * HTTPS through a CONNECT tunnel (docs/protocol.md "Reaching a node", optional in the emulator): when the
 * node has a key and certificate, `CONNECT safesquid.cfg:443` passes the access gate, the
 * node terminates TLS in-process and serves the same admin endpoint inside the tunnel. The
 * tunnel keeps the client's address and the CONNECT's credentials for the requests inside.
 */
import type { IncomingMessage, Server } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import type { NodeCore, Reply } from "./core.js";
import { clientInfo, judge, refusal, socketPeer, type PeerInfo } from "./gate.js";
import { rulesOf } from "./dialect.js";
import { commonHeaders, htmlPage } from "./reply.js";
import { ADMIN_HOST } from "./request.js";

export interface TlsMaterial {
  key: string | Buffer;
  cert: string | Buffer;
}

/** Writes a whole reply on a raw socket and closes it (CONNECT is answered outside http's response object). */
function rawReply(core: NodeCore, socket: Socket, reply: Reply): void {
  const body = Buffer.from(reply.body);
  const status = reply.status ?? 200;
  const headers = { ...commonHeaders(core), "Content-Type": reply.contentType ?? "text/xml", ...reply.headers, "Content-Length": String(body.length), Connection: "close" };
  const head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\n` + Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n";
  socket.end(Buffer.concat([Buffer.from(head), body]));
}

/** Handles a CONNECT request on the node's server. */
export function handleConnect(core: NodeCore, server: Server, peers: WeakMap<object, PeerInfo>, tls: TlsMaterial | undefined, req: IncomingMessage, socket: Socket, head: Buffer): void {
  socket.on("error", () => socket.destroy());
  const peer = socketPeer(socket);
  const client = clientInfo(req.headers, peer);
  const decision = judge(core, client);
  const [host = "", port = "443"] = (req.url ?? "").toLowerCase().split(":");
  const admin = host === ADMIN_HOST && port === "443";
  // A CONNECT is refused with 403 in every dialect: a 200 would open the tunnel (docs/emulator.md "Dialects").
  const refused = refusal(rulesOf("vendor"), decision);
  if (refused && (admin || decision.kind === "challenge" || (decision.kind === "deny" && decision.reason !== "no-config"))) return rawReply(core, socket, refused);
  if (!admin) return rawReply(core, socket, htmlPage(502, "Bad Gateway", `This emulated SafeSquid node tunnels only to ${ADMIN_HOST}:443, not to ${req.url ?? ""}.`));
  if (!tls) return rawReply(core, socket, htmlPage(502, "Bad Gateway", "HTTPS is not enabled on this emulated node (it was started without a key and certificate)."));
  socket.write("HTTP/1.1 200 Connection established\r\n\r\n");
  if (head.length) socket.unshift(head);
  const secure = new TLSSocket(socket, { isServer: true, key: tls.key, cert: tls.cert });
  secure.on("error", () => secure.destroy());
  const auth = client.username !== undefined && client.password !== undefined ? { username: client.username, password: client.password } : undefined;
  peers.set(secure, { ...peer, ...(auth ? { tunnelAuth: auth } : {}) });
  server.emit("connection", secure);
}
