/**
 * The node's listening socket and every connection on it. Closing really takes the node off
 * the network: the listener closes (new connections are refused) and every open connection,
 * keep-alive and log streams included, is ended and then destroyed.
 */
import http from "node:http";
import type { Socket } from "node:net";

export interface ListenerHandlers {
  request: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  connect: (server: http.Server, req: http.IncomingMessage, socket: Socket, head: Buffer) => void;
}

/** One http.Server at a time, on a fixed address and port. */
export class Listener {
  private server: http.Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly handlers: ListenerHandlers) {}

  /** True while listening. */
  get listening(): boolean {
    return this.server?.listening === true;
  }

  /** Listens on host:port (0: any free port); resolves with the port, rejects with the listen error (EADDRINUSE...). */
  async open(host: string, port: number): Promise<number> {
    if (this.server) return port;
    const server = http.createServer({ keepAliveTimeout: 5000 });
    server.on("request", this.handlers.request);
    server.on("connect", (req: http.IncomingMessage, socket: Socket, head: Buffer) => this.handlers.connect(server, req, socket, head));
    server.on("connection", (s: Socket) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    server.on("clientError", (_e, s: Socket) => {
      if (s.writable) s.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      else s.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      server.once("error", onError);
      server.listen({ host, port }, () => {
        server.off("error", onError);
        resolve();
      });
    });
    server.on("error", () => {}); // after listening, errors belong to connections
    this.server = server;
    const addr = server.address();
    return typeof addr === "object" && addr ? addr.port : port;
  }

  /** Closes the listener and every connection; resolves once the server is closed. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) {
      // End what is being written (a restart's own reply), then cut whatever is left.
      s.destroySoon();
      setTimeout(() => s.destroy(), 200).unref();
    }
    await closed;
    this.sockets.clear();
  }
}
