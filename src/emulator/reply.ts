/**
 * Writing replies: the headers every reply carries (docs/protocol.md "Reaching a node"), payload errors,
 * the 403 / 407 pages, and the drop-mid-reply fault.
 */
import type { ServerResponse } from "node:http";
import { el, toXml } from "../safesquid/xml.js";
import { httpDate } from "./clock.js";
import type { NodeCore, Reply } from "./core.js";

/** `<error message="..."/>` as the whole body ([chosen] docs/protocol.md "Reaching a node": status 200). */
export function xmlError(message: string): Reply {
  return { body: toXml(el("error", { message })) };
}

/** The headers of every reply of this node. */
export function commonHeaders(core: NodeCore): Record<string, string> {
  return {
    Date: httpDate(core.clock.now()),
    "Cache-Control": "no-cache",
    "X-Powered-By": `safesquid-${core.build}-swg-${core.edition}`,
    "X-SafeSquid-Instance": core.instanceName(),
  };
}

/** A small HTML page for the proxy's own refusals (403, 407, 5xx, 502). */
export function htmlPage(status: number, title: string, text: string, headers: Record<string, string> = {}): Reply {
  const body = `<html><head><title>${status} ${title}</title></head><body><h1>${title}</h1><p>${text}</p><hr><address>SafeSquid</address></body></html>\n`;
  return { status, body, contentType: "text/html; charset=utf-8", headers };
}

/**
 * Sends a reply with Content-Length. With `drop`, only the headers and half the body go out
 * before the connection is destroyed, so the client sees a reply cut short (a fault).
 */
export function send(core: NodeCore, res: ServerResponse, reply: Reply, drop = false): void {
  if (res.destroyed || res.writableEnded) return;
  if (reply.hangUp) {
    res.socket?.destroy();
    reply.afterFlush?.();
    return;
  }
  if (reply.status === 304 && drop) return void res.socket?.destroy();
  if (reply.status === 304) {
    res.writeHead(304, { ...commonHeaders(core), ...reply.headers });
    res.end();
    return;
  }
  const body = Buffer.from(reply.body, "utf8");
  res.writeHead(reply.status ?? 200, {
    ...commonHeaders(core),
    "Content-Type": reply.contentType ?? "text/xml",
    ...reply.headers,
    "Content-Length": String(body.length),
  });
  if (drop) {
    // The handler ran: what it does after its reply (a restart) still happens.
    res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => {
      res.socket?.destroy();
      reply.afterFlush?.();
    });
    return;
  }
  if (reply.afterFlush) res.once("finish", reply.afterFlush);
  res.end(body);
}

/**
 * The hugeReply fault: the reply, then `bytes` of padding inside an XML comment after it, in
 * 64 KiB chunks as the client takes them (never the whole padding in memory); chunked unless
 * `contentLength`. Stops when the client goes away.
 */
export function sendPadded(core: NodeCore, res: ServerResponse, reply: Reply, bytes: number, contentLength: boolean): void {
  if (res.destroyed || res.writableEnded) return;
  const head = Buffer.from(reply.body + "\n<!-- ", "utf8");
  const tail = Buffer.from(" -->\n", "utf8");
  const chunk = Buffer.alloc(64 * 1024, "x");
  res.writeHead(reply.status ?? 200, {
    ...commonHeaders(core),
    "Content-Type": reply.contentType ?? "text/xml",
    ...reply.headers,
    ...(contentLength ? { "Content-Length": String(head.length + bytes + tail.length) } : {}),
  });
  let left = bytes;
  const pump = (): void => {
    while (left > 0 && !res.destroyed) {
      const n = Math.min(left, chunk.length);
      left -= n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once("drain", pump);
    }
    if (!res.destroyed) res.end(tail);
  };
  res.write(head);
  pump();
}
