/**
 * A tiny raw-HTTP admin client for tests, independent of the tool's own client
 * (src/safesquid/) and of the emulator's: node:http, the proxy-form path
 * `http://safesquid.cfg/` (or the origin form), optional Basic proxy credentials, optional
 * local address. It returns whatever the node answered, status and all.
 */
import http from "node:http";
import net from "node:net";

export interface Target {
  host: string;
  port: number;
}

export interface AdminOptions {
  /** Basic proxy credentials. */
  auth?: { username: string; password: string };
  /** Bind the client socket to this address (the node sees it as the client). */
  localAddress?: string;
  /** Send `POST /` straight to the node instead of the proxy form. */
  origin?: boolean;
  /** Query string added to the path, e.g. "?handler=log". */
  query?: string;
  headers?: Record<string, string>;
  method?: string;
  timeoutMs?: number;
}

export interface AdminReply {
  status: number;
  statusMessage: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Basic credentials as a header value. */
export function basic(username: string, password: string): string {
  return "Basic " + Buffer.from(`${username}:${password}`).toString("base64");
}

function requestOptions(target: Target, o: AdminOptions, body: string): http.RequestOptions {
  const headers: Record<string, string> = {
    Host: o.origin ? `${target.host}:${target.port}` : "safesquid.cfg",
    "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
    "Content-Length": String(Buffer.byteLength(body)),
    ...(o.auth ? { "Proxy-Authorization": basic(o.auth.username, o.auth.password) } : {}),
    ...o.headers,
  };
  return {
    host: target.host,
    port: target.port,
    method: o.method ?? "POST",
    path: (o.origin ? "/" : "http://safesquid.cfg/") + (o.query ?? ""),
    headers,
    agent: false,
    ...(o.localAddress ? { localAddress: o.localAddress } : {}),
  };
}

/** A form body encoded as the vendor's web interface encodes it (encodeURIComponent: a space is %20, never +). */
export function formBody(pairs: Record<string, string> | [string, string][]): string {
  const list = Array.isArray(pairs) ? pairs : Object.entries(pairs);
  return list.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

/** One admin request; `params` is a literal urlencoded body or pairs to encode. */
export function admin(target: Target, params: string | Record<string, string> | [string, string][], o: AdminOptions = {}): Promise<AdminReply> {
  const body = typeof params === "string" ? params : formBody(params);
  return new Promise((resolve, reject) => {
    const req = http.request(requestOptions(target, o, body), (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        if (!res.complete) return reject(Object.assign(new Error("reply cut short"), { code: "ECONNRESET" }));
        resolve({ status: res.statusCode ?? 0, statusMessage: res.statusMessage ?? "", headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.setTimeout(o.timeoutMs ?? 10_000, () => req.destroy(Object.assign(new Error("timed out"), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end(body);
  });
}

/** The error code a request fails with ("ECONNREFUSED", "ECONNRESET"...), or "ok". */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

export interface LogReader {
  /** Lines received so far. */
  lines: string[];
  /** Resolves with the first line (received or to come; with `after`, only from that index on) that matches. */
  waitFor(pattern: RegExp, opts?: { timeoutMs?: number; after?: number }): Promise<string>;
  /** Resolves when the node ends the stream (e.g. a restart), with how it ended. */
  ended: Promise<"end" | "error" | "close">;
  status: number;
  headers: http.IncomingHttpHeaders;
  close(): void;
}

/** Opens `handler=log` and keeps reading until close(). */
export function openLog(target: Target, o: AdminOptions = {}): Promise<LogReader> {
  const body = "handler=log";
  return new Promise((resolve, reject) => {
    const req = http.request(requestOptions(target, o, body), (res) => {
      const lines: string[] = [];
      const waiters: { re: RegExp; done: (l: string) => void }[] = [];
      // (a waiter only ever sees lines that arrive after it was registered)
      let rest = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop() ?? "";
        for (const l of parts) {
          lines.push(l);
          for (const w of [...waiters]) if (w.re.test(l)) (waiters.splice(waiters.indexOf(w), 1), w.done(l));
        }
      });
      const ended = new Promise<"end" | "error" | "close">((r) => {
        res.on("end", () => r("end"));
        res.on("error", () => r("error"));
        res.on("close", () => r("close"));
      });
      resolve({
        lines,
        status: res.statusCode ?? 0,
        headers: res.headers,
        ended,
        close: () => req.destroy(),
        waitFor: (re, { timeoutMs = 10_000, after = 0 } = {}) => {
          const hit = lines.slice(after).find((l) => re.test(l));
          if (hit) return Promise.resolve(hit);
          return new Promise((ok, fail) => {
            const t = setTimeout(() => fail(new Error(`no log line matching ${re} within ${timeoutMs} ms; got:\n${lines.slice(-20).join("\n")}`)), timeoutMs);
            waiters.push({ re, done: (l) => (clearTimeout(t), ok(l)) });
          });
        },
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends raw bytes and returns everything the node sends back before it closes (or the timeout). */
export function rawExchange(target: Target, request: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: target.host, port: target.port });
    let out = "";
    s.setEncoding("utf8");
    s.on("data", (d: string) => (out += d));
    s.on("error", reject);
    s.on("close", () => resolve(out));
    s.setTimeout(timeoutMs, () => s.destroy());
    s.write(request);
  });
}

/** Tries a TCP connection: "connected", or the error code ("ECONNREFUSED"...). */
export function tryConnect(target: Target): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ host: target.host, port: target.port });
    s.on("connect", () => (s.destroy(), resolve("connected")));
    s.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? String(e)));
  });
}

/**
 * Lets addresses reach CONFIG on a node without a login, the vendor's way: `configuration add`
 * of an allow row, then `shift top` (above every login row). The row is found again by its
 * content, never by the reply (its shape depends on the dialect). Returns its id.
 */
export async function allowAddresses(target: Target, ips: string[], o: AdminOptions = { localAddress: "127.0.0.1" }): Promise<string> {
  const ip = encodeURIComponent(ips.join(","));
  const add =
    `F0=TRUE&F1=${encodeURIComponent("slaves: " + ips.join(","))}&F2=FALSE&F3=&F4=&F5=&F6=${ip}` +
    "&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=PROXY_SLAVES&F15=0&handler=configuration&section=access&subsection=allow&action=add";
  const added = await admin(target, add, o);
  if (added.status !== 200 || /<error/.test(added.body)) throw new Error(`add refused: ${added.status} ${added.body}`);
  const doc = (await admin(target, "handler=conf_xml", o)).body;
  const row = new RegExp(`<allow id="(\\d+)">(?:(?!</allow>)[\\s\\S])*<ip>${ips.join(",").replace(/\./g, "\\.")}</ip>`).exec(doc);
  if (!row) throw new Error(`the added row is not in the document:\n${doc}`);
  const shifted = await admin(target, `handler=configuration&section=access&subsection=allow&id=${row[1]}&action=shift&direction=top`, o);
  if (shifted.status !== 200 || /<error/.test(shifted.body)) throw new Error(`shift refused: ${shifted.body}`);
  return row[1]!;
}
