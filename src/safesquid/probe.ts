/**
 * A TCP connect from this machine to an address: the tie-breaker when a slave's log shows
 * attempts to reach its master and nothing else (docs/protocol.md "Joining a slave"). It
 * tells only whether THIS machine gets through; it never decides alone that a slave can.
 */
import net from "node:net";

/** Connects and closes at once; resolves with the failure's code when it cannot. */
export function probeConnect(host: string, port: number, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (r: { ok: true } | { ok: false; reason: string }): void => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, reason: `no answer within ${timeoutMs} ms` }));
    socket.once("connect", () => done({ ok: true }));
    socket.once("error", (e: NodeJS.ErrnoException) => done({ ok: false, reason: e.code === "ECONNREFUSED" ? "connection refused" : (e.code ?? e.message) }));
  });
}
