/**
 * The https transport's CONNECT tunnel: a refused CONNECT reaches the client boundary as its
 * status (a typed TunnelRefused), mapped like any reply status: 407 without credentials asks
 * for them, 403 is access denied, 5xx a server error.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { FleetError } from "../../src/errors.js";
import { SafeSquidClient } from "../../src/safesquid/client.js";

/** A proxy port that answers every CONNECT with `status`. */
async function refusingProxy(t: import("node:test").TestContext, status: number): Promise<number> {
  const server = http.createServer((_req, res) => res.writeHead(500).end());
  server.on("connect", (_req, socket) => socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: 0\r\n\r\n`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

for (const [status, code] of [
  [407, "NEEDS_CREDENTIALS"],
  [403, "ACCESS_DENIED"],
  [502, "SERVER_ERROR"],
] as const) {
  test(`a CONNECT refused with ${status} is ${code}`, async (t) => {
    const port = await refusingProxy(t, status);
    const client = new SafeSquidClient({ name: "hq", host: "127.0.0.1", port, transport: "https", timeoutMs: 5000 }, { retries: 0 });
    t.after(() => client.close());
    await assert.rejects(client.readParams(), (e: unknown) => e instanceof FleetError && e.code === code && e.node === "hq");
  });
}
