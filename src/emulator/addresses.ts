/**
 * Lab addresses and ports: the master on the base address, each slave on the next usable
 * one (counted as a 32-bit number, so 500 slaves cross into the next /24s), all on one port
 * that must be free on every address (docs/emulator.md "The lab's addresses"). Addresses ending in .0 or
 * .255 are skipped: on a real /24 they are the network and broadcast addresses, and an
 * inventory naming them would read as a mistake.
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

/** Is this the .0 or .255 of its /24 (a network or broadcast address on a real /24)? */
export function edgeOf24(address: string): boolean {
  const last = Number(address.split(".").at(-1));
  return last === 0 || last === 255;
}

/**
 * `count` lab addresses: `base`, then the next ones, skipping any ending in .0 or .255.
 * Throws a RangeError for a base that ends so, past 255.255.255.255, or outside 127.0.0.0/8
 * for a loopback base.
 */
export function labAddresses(base: string, count: number): string[] {
  const start = ipv4ToInt(base);
  if (start === undefined) throw new RangeError(`"${base}" is not an IPv4 address`);
  if (edgeOf24(base)) throw new RangeError(`${base} ends in .${base.split(".").at(-1)}: a lab address ends in 1 to 254`);
  const loopback = start >>> 24 === 127;
  const out: string[] = [];
  for (let n = start; out.length < count; n++) {
    if (n > 0xffffffff || (loopback && n >>> 24 !== 127)) throw new RangeError(`${count} addresses from ${base} do not fit${loopback ? " in 127.0.0.0/8" : ""}`);
    const a = intToIpv4(n);
    if (!edgeOf24(a)) out.push(a);
  }
  return out;
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
