/**
 * The https transport's agent: each connection is a CONNECT tunnel through the node's proxy
 * port to safesquid.cfg:443, then TLS inside it (docs/protocol.md "Reaching a node"). A refused
 * CONNECT is a typed TunnelRefused carrying the status, so the client boundary maps it by
 * value (407, 403, 5xx...), never by the words of a message.
 */
import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";

/** The status of a refused CONNECT, when that is what `e` (or the error it wraps) is. */
export function refusedTunnelStatus(e: unknown): number | undefined {
  const cause = e instanceof Error ? e.cause : undefined;
  const refused = e instanceof TunnelRefused ? e : cause instanceof TunnelRefused ? cause : undefined;
  return refused?.status;
}

/** The proxy answered the CONNECT with something other than 200. */
export class TunnelRefused extends Error {
  override name = "TunnelRefused";
  constructor(readonly status: number) {
    super(`the proxy answered ${status} to CONNECT`);
  }
}

export interface TunnelOptions extends https.AgentOptions {
  /** The node's proxy port. */
  proxy: { host: string; port: number };
  /** Headers of the CONNECT request (proxy-authorization once the node asked for a login). */
  headers: Record<string, string>;
}

type Callback = (err: Error | null, socket?: Duplex | null) => void;

/** An https.Agent whose connections go through a CONNECT tunnel. */
export class TunnelAgent extends https.Agent {
  private readonly proxy: TunnelOptions["proxy"];
  private readonly connectHeaders: Record<string, string>;
  private readonly keepTunnels: boolean;

  constructor({ proxy, headers, ...opts }: TunnelOptions) {
    super(opts);
    this.proxy = proxy;
    this.connectHeaders = headers;
    this.keepTunnels = opts.keepAlive === true;
  }

  /** Opens the tunnel, then TLS over it (called by node's Agent for each new socket). */
  override createConnection(options: https.RequestOptions & { host: string; port: number }, callback: Callback): undefined {
    const target = `${options.host}:${options.port}`;
    const request = http.request({
      method: "CONNECT",
      host: this.proxy.host,
      port: this.proxy.port,
      path: target,
      setHost: false,
      headers: { ...this.connectHeaders, connection: this.keepTunnels ? "keep-alive" : "close", host: target },
      agent: false,
      timeout: options.timeout ?? 0,
    });
    request.once("connect", (response, socket) => {
      request.removeAllListeners();
      socket.removeAllListeners();
      if (response.statusCode === 200) {
        // TLS over the tunnel: https.Agent's own connection, given the socket to use.
        callback(null, super.createConnection({ ...options, socket } as https.RequestOptions) as Duplex);
      } else {
        socket.destroy();
        callback(new TunnelRefused(response.statusCode ?? 0), null);
      }
    });
    request.once("timeout", () => request.destroy(Object.assign(new Error("no answer to CONNECT in time"), { code: "ETIMEDOUT" })));
    request.once("error", (err) => {
      request.removeAllListeners();
      callback(err, null);
    });
    request.end();
    return undefined;
  }
}
