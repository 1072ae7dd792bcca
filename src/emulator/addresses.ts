/**
 * Lab addresses and ports: the master on the base address, slave i on the i-th next one
 * (counted as a 32-bit number, so 500 slaves cross octet boundaries), all on one port that
 * must be free on every address (docs/emulator.md).
 */
import net from "node:net";
import { ipv4ToInt } from "../safesquid/access.js";

/** A listen failure on one address: what went wrong where. */
export class ListenError extends Error {
  constructor(
    readonly code: string,
    readonly address: string,
    readonly port: number,
    cause?: unknown,
  ) {
    super(`cannot listen on ${address}:${port} (${code})`, { cause });
    this.name = "ListenError";
  }
}

function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** `count` consecutive IPv4 addresses from `base`; throws a RangeError past 255.255.255.255 or outside 127.0.0.0/8 for a loopback base. */
export function consecutiveAddresses(base: string, count: number): string[] {
  const start = ipv4ToInt(base);
  if (start === undefined) throw new RangeError(`"${base}" is not an IPv4 address`);
  const last = start + count - 1;
  const loopback = start >>> 24 === 127;
  if (last > 0xffffffff || (loopback && last >>> 24 !== 127) || (loopback && last === 0x7fffffff)) {
    throw new RangeError(`${count} addresses from ${base} do not fit${loopback ? " in 127.0.0.0/8" : ""}`);
  }
  return Array.from({ length: count }, (_, i) => intToIpv4(start + i));
}

function listenOnce(host: string, port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", (e: NodeJS.ErrnoException) => reject(new ListenError(e.code ?? "ERROR", host, port, e)));
    s.listen({ host, port, exclusive: true }, () => resolve(s));
  });
}

/**
 * Finds a port free on every address (or checks the given one): binds them all, then lets go.
 * With port 0 the first address picks one and a clash on another address means another try.
 */
export async function commonPort(addresses: string[], port: number, attempts = 20): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const held: net.Server[] = [];
    try {
      const first = await listenOnce(addresses[0]!, port);
      held.push(first);
      const chosen = (first.address() as net.AddressInfo).port;
      for (const a of addresses.slice(1)) held.push(await listenOnce(a, chosen));
      return chosen;
    } catch (e) {
      if (!(port === 0 && e instanceof ListenError && e.code === "EADDRINUSE" && attempt < attempts)) throw e;
    } finally {
      await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
    }
  }
}
