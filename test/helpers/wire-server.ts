/**
 * A scripted HTTP server on a loopback socket for golden wire tests of the client: it records
 * each request exactly as it arrived (request line, headers, body) and answers from a script.
 * Independent of the emulator on purpose: a bug shared by client and emulator would pass every
 * round trip, so these tests compare with literal samples written from the spec.
 */
import net from "node:net";
import type { TestContext } from "node:test";

export interface Recorded {
  requestLine: string;
  headers: Record<string, string>;
  body: string;
}

/** A literal raw reply, or an action on the socket. */
export type Scripted = string | { reset: true } | { hang: true } | { stream: string[]; intervalMs: number };

export interface ScriptedServer {
  port: number;
  host: string;
  requests: Recorded[];
  /** Connections accepted (keep-alive reuse shows as fewer connections than requests). */
  connections: number;
}

/** A raw HTTP/1.1 reply with Content-Length. */
export function raw(status: string, body: string, headers: Record<string, string> = {}): string {
  const h = { "Content-Type": "text/xml", "Cache-Control": "no-cache", ...headers, "Content-Length": String(Buffer.byteLength(body)) };
  return `HTTP/1.1 ${status}\r\n` + Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n" + body;
}

/** Starts the server on 127.0.0.1; `script` picks the reply for each request. */
export async function startScripted(t: TestContext, script: (r: Recorded, index: number) => Scripted): Promise<ScriptedServer> {
  const state: ScriptedServer = { port: 0, host: "127.0.0.1", requests: [], connections: 0 };
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((sock) => {
    state.connections++;
    sockets.add(sock);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => {});
    let buf = Buffer.alloc(0);
    sock.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buf.subarray(0, end).toString("latin1").split("\r\n");
        const headers: Record<string, string> = {};
        for (const l of head.slice(1)) {
          const i = l.indexOf(":");
          headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
        }
        const len = Number(headers["content-length"] ?? 0);
        if (buf.length < end + 4 + len) return;
        const body = buf.subarray(end + 4, end + 4 + len).toString("utf8");
        buf = buf.subarray(end + 4 + len);
        const rec = { requestLine: head[0]!, headers, body };
        state.requests.push(rec);
        const answer = script(rec, state.requests.length - 1);
        if (typeof answer === "string") sock.write(answer);
        else if ("reset" in answer) sock.resetAndDestroy();
        else if ("stream" in answer) {
          sock.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
          const lines = [...answer.stream];
          const tick = setInterval(() => {
            const l = lines.shift();
            if (l === undefined) return; // stays open, like the real stream
            const b = Buffer.from(l);
            sock.write(b.length.toString(16) + "\r\n" + l + "\r\n");
          }, answer.intervalMs);
          timers.add(tick);
          sock.on("close", () => clearInterval(tick));
        }
        // { hang: true }: say nothing
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as net.AddressInfo).port;
  t.after(() => {
    for (const tm of timers) clearInterval(tm);
    for (const s of sockets) s.destroy();
    server.close();
  });
  return state;
}
