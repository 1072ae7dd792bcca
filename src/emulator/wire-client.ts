/**
 * A minimal admin request as a node itself sends one: the slave's sync fetch and the lab's
 * readiness probe. `POST http://safesquid.cfg/` to host:port, form-encoded, no keep-alive,
 * optionally from a given local address, always with a timeout. Failures come back as the
 * short reasons the native log uses (docs/protocol.md "The sync log").
 */
import http from "node:http";

export interface WireRequest {
  host: string;
  port: number;
  params: Record<string, string>;
  /** Bind the outgoing socket to this address (a slave syncs from its own address). */
  localAddress?: string;
  ifModifiedSince?: string;
  auth?: { username: string; password: string };
  timeoutMs: number;
  /** Largest body accepted. Default 32 MiB. */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface WireReply {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A failed request, with a reason as the log writes it ("connection refused", "timed out"...). */
export class WireError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "WireError";
  }
}

/** Maps a socket error to the log's reason words. */
export function reasonOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ECONNRESET":
    case "EPIPE":
      return "connection reset";
    case "ETIMEDOUT":
      return "timed out";
    case "EADDRNOTAVAIL":
      return "cannot use the local address";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable";
    default:
      return e instanceof Error && /socket hang up|aborted/i.test(e.message) ? "connection reset" : `connection failed (${code ?? String(e)})`;
  }
}

/** Sends one admin request; resolves with any HTTP reply, rejects with a WireError. */
export function wireRequest(r: WireRequest): Promise<WireReply> {
  const body = new URLSearchParams(r.params).toString();
  const headers: Record<string, string> = {
    Host: "safesquid.cfg",
    "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
    "Content-Length": String(Buffer.byteLength(body)),
  };
  if (r.ifModifiedSince) headers["If-Modified-Since"] = r.ifModifiedSince;
  if (r.auth) headers["Proxy-Authorization"] = "Basic " + Buffer.from(`${r.auth.username}:${r.auth.password}`).toString("base64");
  const limit = r.maxBytes ?? 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => fail("aborted");
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.signal?.removeEventListener("abort", onAbort);
      req.destroy();
      reject(new WireError(reason));
    };
    const req = http.request({
      host: r.host,
      port: r.port,
      method: "POST",
      path: "http://safesquid.cfg/",
      headers,
      agent: false,
      ...(r.localAddress ? { localAddress: r.localAddress } : {}),
    });
    const timer = setTimeout(() => fail("timed out"), r.timeoutMs);
    if (r.signal?.aborted) fail("aborted");
    // Removed once settled: a slave's sync loop sends every attempt with the same signal.
    r.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e) => fail(reasonOf(e)));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (c: Buffer) => {
        size += c.length;
        if (size > limit) fail("reply too large");
        else chunks.push(c);
      });
      res.on("error", (e) => fail(reasonOf(e)));
      res.on("aborted", () => fail("connection reset"));
      res.on("end", () => {
        if (settled) return;
        if (!res.complete) return fail("connection reset");
        settled = true;
        clearTimeout(timer);
        r.signal?.removeEventListener("abort", onAbort);
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.end(body);
  });
}
