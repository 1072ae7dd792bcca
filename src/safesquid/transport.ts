/**
 * One node's admin endpoint over HTTP (docs/protocol.md "Reaching a node"): the proxy form
 * `POST http://safesquid.cfg/` sent to host:port (default), the origin form sent straight to
 * host:port ("direct"), or `https://safesquid.cfg/` through a CONNECT tunnel ("https").
 * One keep-alive agent per node; timeouts always set; every reply bounded in size; proxy
 * credentials sent only once the node has answered 407; reads retried with backoff, writes
 * never. Failures leave here as FleetErrors that name the node and say what to do (see
 * ./errors.ts).
 */
import http from "node:http";
import type https from "node:https";
import { readFileSync } from "node:fs";
import got, { type Got, type Response } from "got";
import { FleetError } from "../errors.js";
import type { Credentials, Endpoint } from "./endpoint.js";
import { formatDuration, sleep } from "../util/duration.js";
import { classifyNetworkError, httpStatusError, nodeLabel, replyTooLarge } from "./errors.js";
import { hostPort } from "../util/host-port.js";
import { TunnelAgent } from "./tunnel.js";

/** The vendor's client headers (docs/protocol.md "Reaching a node"). */
export const VENDOR_HEADERS = {
  "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
  referer: "http://safesquid.cfg/",
  "x-requested-with": "XMLHttpRequest",
} as const;

export type Params = [string, string][];

const MiB = 1024 * 1024;

/**
 * How many bytes a reply may have, per handler (docs/protocol.md "Reading replies"): the policy
 * document 16 MiB (the vendor's default is ~100 KiB; large fleets' policies a few MiB), the
 * log stream 64 MiB (read for a bounded time, and only its sync lines kept: its bytes stream
 * through), every other reply 1 MiB (startup parameters, licence and write replies are a few
 * KiB). A reply past its bound is not read further (REPLY_TOO_LARGE); the log stops reading
 * and keeps what it has. `--max-reply-size` raises every bound to at least its value.
 */
export const REPLY_LIMITS: Readonly<Record<string, number>> = { conf_xml: 16 * MiB, log: 64 * MiB };
export const DEFAULT_REPLY_LIMIT = 1 * MiB;

/** The size bound of a handler's replies, raised to `atLeast` when that is larger. */
export function replyLimit(handler: string, atLeast = 0): number {
  return Math.max(REPLY_LIMITS[handler] ?? DEFAULT_REPLY_LIMIT, atLeast);
}

/**
 * A form body as the vendor's interface builds it: `name=value` pairs joined with `&`, each
 * part percent-encoded by `encodeURIComponent` (a space is `%20`, a comma `%2C`; never a `+`
 * for a space, as URLSearchParams would send). docs/protocol.md "Reaching a node".
 */
export function encodeForm(params: Params): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

/** One admin call, as --verbose shows it (never values, never secrets). */
export interface CallEvent {
  node: string;
  handler: string;
  status: number | string;
  ms: number;
  attempt: number;
}

export interface TransportOptions {
  /** Read on the first 407 only; undefined when the inventory has none for this node. */
  credentials?: () => Promise<Credentials | undefined>;
  /**
   * The node answered 407 to the credentials it was sent: others to send instead (a password
   * typed again), or undefined to give up. Without it, a refusal is final.
   */
  relogin?: (rejected: Credentials) => Promise<Credentials | undefined>;
  /** Retries for reads (writes are never retried). Default 2. */
  retries?: number;
  /** First backoff delay; doubles each retry. Default 250 ms. */
  backoffMs?: number;
  onCall?: (e: CallEvent) => void;
  signal?: AbortSignal;
  /** --max-reply-size: every reply bound raised to at least this many bytes. */
  maxReplyBytes?: number;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface CallOptions {
  /** Reads are safe to repeat; writes are not. */
  kind: "read" | "write";
  ifModifiedSince?: string;
  timeoutMs?: number;
}

/** The admin endpoint of one node. */
export class AdminTransport {
  private agent: http.Agent | https.Agent | undefined;
  private readonly retired: (http.Agent | https.Agent)[] = [];
  private auth: Credentials | undefined;
  private replacing: Promise<void> | undefined;
  /**
   * got instances with this node's fixed options (agent, timeouts, no retry...), one per kind of
   * request and timeout: a request then passes got only its headers and body. Merging and
   * checking every option again for each of hundreds of requests was a measurable share of a
   * large verify (`npm run bench`). Dropped with the agent they hold (retireAgent, close).
   */
  private readonly clients = new Map<string, Got>();
  private readonly label: string;
  /** The address this machine used towards the node, as the node sees it (barring NAT). */
  localAddress: string | undefined;
  /**
   * The node's clock minus this machine's, from the `Date` header of its last reply (one
   * second resolution): node times (Last-Modified, log stamps) minus this are local times.
   */
  clockOffsetMs: number | undefined;

  constructor(
    readonly node: Endpoint,
    private readonly opts: TransportOptions = {},
  ) {
    this.label = nodeLabel(node);
  }

  /** Sends one admin request and returns a 200 or 304 reply; anything else throws a FleetError. */
  async call(params: Params, o: CallOptions): Promise<Reply> {
    const handler = params.find(([k]) => k === "handler")?.[1] ?? "?";
    const attempts = o.kind === "read" ? 1 + (this.opts.retries ?? 2) : 1;
    let delay = this.opts.backoffMs ?? 250;
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(params, o, handler, attempt);
      } catch (e) {
        const err = e instanceof FleetError ? e : classifyNetworkError(e, this.node, handler);
        const transient = ["UNREACHABLE", "TIMEOUT", "RESET", "SERVER_ERROR"].includes(err.code);
        if (!transient || this.opts.signal?.aborted) throw err;
        if (attempt >= attempts) throw attempt > 1 ? afterTries(err, attempt, performance.now() - started) : err;
        await sleep(delay, this.opts.signal);
        delay *= 2;
      }
    }
  }

  private async once(params: Params, o: CallOptions, handler: string, attempt: number): Promise<Reply> {
    // What this request was sent with: requests in flight at once (a slave read several ways)
    // may all meet the first 407; each that went without credentials sends again with them.
    // Credentials only when the node asks for them (docs/protocol.md "Reaching a node"). A 407 means
    // the node refused before running the handler, so sending again is not a blind retry of a
    // write. Each round sends new credentials, or stops (adoptCredentials, relogin).
    for (;;) {
      const sentWith = this.auth;
      const res = await this.send(params, o, handler, attempt);
      if (res.statusCode === 200 || res.statusCode === 304) {
        return { status: res.statusCode, headers: res.headers, body: res.body };
      }
      if (res.statusCode === 407 && !sentWith) await this.adoptCredentials(handler);
      else if (res.statusCode !== 407 || !(await this.relogin(sentWith!))) {
        throw httpStatusError(res.statusCode, this.node, handler, this.auth, res.body);
      }
    }
  }

  private async send(params: Params, o: CallOptions, handler: string, attempt: number): Promise<Response<string>> {
    const started = performance.now();
    let status: number | string = "error";
    const limit = this.replyLimit(handler);
    let tooLarge: { bytes: number; announced: boolean } | undefined;
    try {
      const request = this.client(o.timeoutMs, false).post(this.url(), {
        headers: this.headers(o.ifModifiedSince),
        body: encodeForm(params),
      });
      // Bounded as it arrives: a Content-Length past the bound stops it before the body, and
      // counting stops a reply without one (chunked) at the bound. Nothing past it is kept.
      request.on("downloadProgress", (p: { transferred: number; total?: number }) => {
        if (tooLarge) return;
        if (p.total !== undefined && p.total > limit) tooLarge = { bytes: p.total, announced: true };
        else if (p.transferred > limit) tooLarge = { bytes: p.transferred, announced: false };
        if (tooLarge) request.cancel();
      });
      const res = await request.catch((e: unknown) => {
        throw tooLarge ? replyTooLarge(this.node, handler, limit, tooLarge) : e;
      });
      status = res.statusCode;
      this.noteClock(res.headers.date, started);
      this.localAddress = res.socket?.localAddress ?? this.localAddress;
      return res;
    } catch (e) {
      const err = classifyNetworkError(e, this.node, handler);
      status = err.code === "INTERRUPTED" ? "interrupted" : err.code.toLowerCase();
      throw err;
    } finally {
      this.opts.onCall?.({ node: this.node.name, handler, status, ms: performance.now() - started, attempt });
    }
  }

  /**
   * Opens a streaming request (handler=log): resolves once the reply headers arrive with the
   * response stream, which the caller reads for a bounded time and then destroys.
   */
  async stream(params: Params, timeoutMs?: number): Promise<NodeJS.ReadableStream & { destroy(): void }> {
    const handler = params.find(([k]) => k === "handler")?.[1] ?? "?";
    for (;;) {
      const started = performance.now();
      const sentWith = this.auth;
      // The vendor's interface asks for the log as `POST /?handler=log` (parameters in the
      // query string, which the node merges with the body).
      const s = this.client(timeoutMs, true).stream.post(this.url() + "?" + encodeForm(params), {
        headers: this.headers(),
        body: "",
      });
      let res: http.IncomingMessage;
      try {
        res = await new Promise<http.IncomingMessage>((resolve, reject) => {
          s.once("response", resolve);
          s.once("error", reject);
        });
      } catch (e) {
        s.destroy();
        const err = classifyNetworkError(e, this.node, handler);
        this.opts.onCall?.({ node: this.node.name, handler, status: err.code.toLowerCase(), ms: performance.now() - started, attempt: 1 });
        throw err;
      }
      this.opts.onCall?.({ node: this.node.name, handler, status: res.statusCode ?? 0, ms: performance.now() - started, attempt: 1 });
      this.noteClock(res.headers.date, started);
      if (res.statusCode === 200) return s;
      s.destroy();
      if (res.statusCode === 407 && !sentWith) await this.adoptCredentials(handler);
      else if (res.statusCode !== 407 || !(await this.relogin(sentWith!))) {
        throw httpStatusError(res.statusCode ?? 0, this.node, handler, this.auth);
      }
    }
  }

  /** The size bound of this handler's replies for this node (REPLY_LIMITS, raised by --max-reply-size). */
  replyLimit(handler: string): number {
    return replyLimit(handler, this.opts.maxReplyBytes);
  }

  /** Updates the clock offset from a reply's Date header (taken as the middle of its second). */
  private noteClock(date: string | undefined, sentAt: number): void {
    const ms = date ? Date.parse(date) : NaN;
    if (!Number.isFinite(ms)) return;
    const local = Date.now() - (performance.now() - sentAt) / 2;
    this.clockOffsetMs = ms + 500 - local;
  }

  /** The credentials being sent, once the node has asked for them. */
  get credentialsInUse(): Credentials | undefined {
    return this.auth;
  }

  /** Closes the node's keep-alive connections. */
  close(): void {
    this.clients.clear();
    this.agent?.destroy();
    this.agent = undefined;
    for (const a of this.retired.splice(0)) a.destroy();
  }

  /**
   * The node answered 407 to a request sent without credentials: read them (once, however
   * many requests met the 407 together), or fail saying the inventory has none.
   */
  private async adoptCredentials(handler: string): Promise<void> {
    if (this.auth) return;
    this.auth = await this.opts.credentials?.();
    if (!this.auth) throw httpStatusError(407, this.node, handler, undefined);
    this.retireAgent(); // an https tunnel carries the credentials in its CONNECT
  }

  /**
   * The node answered 407 to credentials it was sent: true when there are others to send
   * (another request already got them, or the provider gave new ones: one question at a time
   * however many requests met the refusal), false to give up.
   */
  private async relogin(rejected: Credentials): Promise<boolean> {
    if (this.auth !== rejected) return this.auth !== undefined;
    this.replacing ??= (async () => {
      const next = await this.opts.relogin?.(rejected);
      if (next && next !== rejected) {
        this.auth = next;
        this.retireAgent();
      }
    })().finally(() => (this.replacing = undefined));
    await this.replacing;
    return this.auth !== rejected;
  }

  /**
   * A new agent from the next request on (new credentials). The old one may still carry
   * requests in flight (a slave is read several ways at once): destroyed at close(), not now.
   */
  private retireAgent(): void {
    if (this.agent) this.retired.push(this.agent);
    this.agent = undefined;
    this.clients.clear();
  }

  /** The got instance for this kind of request (see `clients`). */
  private client(timeoutMs: number | undefined, streaming: boolean): Got {
    const key = `${streaming ? "stream" : "reply"} ${timeoutMs ?? this.node.timeoutMs}`;
    let c = this.clients.get(key);
    if (!c) this.clients.set(key, (c = got.extend(this.requestOptions(timeoutMs, streaming))));
    return c;
  }

  private url(): string {
    const n = this.node;
    if (n.transport === "https") return "https://safesquid.cfg/";
    if (n.transport === "direct") return `http://${hostPort(n.host, n.port)}/`;
    return "http://safesquid.cfg/";
  }

  private headers(ifModifiedSince?: string): Record<string, string> {
    // The admin interface is the virtual host safesquid.cfg whichever way the request travels.
    const h: Record<string, string> = { ...VENDOR_HEADERS, host: "safesquid.cfg" };
    if (ifModifiedSince) h["if-modified-since"] = ifModifiedSince;
    if (this.auth && this.node.transport !== "https") h["proxy-authorization"] = basic(this.auth);
    return h;
  }

  private requestOptions(timeoutMs: number | undefined, streaming = false) {
    const n = this.node;
    const ms = timeoutMs ?? n.timeoutMs;
    const common = {
      throwHttpErrors: false,
      retry: { limit: 0 },
      followRedirect: false,
      decompress: false,
      timeout: streaming ? { connect: ms, response: ms } : { request: ms },
      signal: this.opts.signal,
    } as const;
    if (n.transport === "https") {
      const ca = n.caFile ? readCa(n.caFile, n) : undefined;
      return {
        ...common,
        agent: { https: this.httpsAgent() },
        https: { rejectUnauthorized: true, ...(ca ? { certificateAuthority: ca } : {}) },
      };
    }
    const agent = (this.agent ??= new http.Agent({ keepAlive: true, maxSockets: 4 })) as http.Agent;
    if (n.transport === "direct") return { ...common, agent: { http: agent } };
    // Proxy form: connect to the node, but put the absolute URI on the request line.
    // (an agent that tunnels would CONNECT even for plain http; SafeSquid's admin interface
    // is reached with a proxy-form request.)
    // `servername: ""`: Node's agent would otherwise work out a TLS server name (which plain http
    // never uses) from the Host header, and testing that name for an IPv6 address compiles a
    // large regular expression at the first request (~10 ms of every start).
    const request = (url: URL, options: http.RequestOptions, cb?: (res: http.IncomingMessage) => void) =>
      http.request({ ...options, hostname: n.host, host: n.host, port: n.port, path: url.href, agent, servername: "" } as http.RequestOptions, cb);
    return { ...common, request };
  }

  private httpsAgent(): https.Agent {
    if (!this.agent) {
      const headers: Record<string, string> = {};
      if (this.auth) headers["proxy-authorization"] = basic(this.auth);
      this.agent = new TunnelAgent({ keepAlive: true, maxSockets: 4, proxy: { host: this.node.host, port: this.node.port }, headers });
    }
    return this.agent as https.Agent;
  }

  toString(): string {
    return this.label;
  }
}

/**
 * Closes a stream from stream() on purpose (the reader has what it wants): no listener of the
 * reader's is called again and nothing is raised. Cutting a reply short makes Node and got each
 * build an error object with its stack trace ("aborted", got's ReadError, whose stack it
 * formats): nobody reads them, and for hundreds of log reads they were measurable work, so the
 * reply's own error listeners go first (got's included; the reply is being dropped).
 */
export function closeStream(stream: NodeJS.ReadableStream & { destroy(): void }): void {
  stream.removeAllListeners("data");
  stream.removeAllListeners("error");
  stream.on("error", () => {}); // destroy() may still emit one: it is expected
  const reply = (stream as { response?: http.IncomingMessage }).response;
  if (reply) {
    reply.removeAllListeners("aborted");
    reply.removeAllListeners("error");
    reply.on("error", () => {});
  }
  stream.destroy();
}

function basic(c: Credentials): string {
  return "Basic " + Buffer.from(`${c.username}:${c.password.reveal()}`).toString("base64");
}

function readCa(file: string, node: Endpoint): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new FleetError("CREDENTIALS", `cannot read the CA file ${file} for ${nodeLabel(node)}: ${(e as Error).message}`, {
      node: node.name,
      hint: "fix caFile in the inventory (a PEM file of the CA that signs the node's certificate)",
    });
  }
}

/**
 * The last failure of a read that was tried more than once, saying so: how many tries and the
 * time they took in all ("did not answer handler=log within 10s (3 tries, 31s in all)"), so
 * the message matches the time the person waited.
 */
function afterTries(err: FleetError, tries: number, elapsedMs: number): FleetError {
  return new FleetError(err.code, `${err.message} (${tries} tries, ${formatDuration(elapsedMs)} in all)`, { ...err.opts, cause: err });
}
