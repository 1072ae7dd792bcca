/**
 * Addresses for the nodes, when a command needs one (the allow row takes addresses only):
 * IP literals as they are, host names through the system resolver, IPv4 preferred. A name
 * that does not resolve is that node's error, returned as data, never thrown across nodes.
 */
import { isIP } from "node:net";
import { FleetError } from "../errors.js";

export type AddressResult =
  | { ok: true; address: string; family: 4 | 6; /** false for an IP literal */ resolved: boolean }
  | { ok: false; error: FleetError };

export type LookupFn = (host: string) => Promise<{ address: string; family: number }[]>;

/**
 * The system resolver, loaded when a host name first needs it: node:dns/promises costs ~10 ms to
 * load, and a fleet written as IP addresses never needs it.
 */
const systemLookup: LookupFn = async (host) => (await import("node:dns/promises")).lookup(host, { all: true, verbatim: true });

/** An IP literal as is; a host name resolved (IPv4 preferred); a failure as a result, not a throw. */
export async function resolveAddress(host: string, opts: { lookup?: LookupFn; node?: string } = {}): Promise<AddressResult> {
  const family = isIP(host);
  if (family !== 0) return { ok: true, address: host, family: family as 4 | 6, resolved: false };
  const node = opts.node === undefined ? {} : { node: opts.node };
  try {
    const all = await (opts.lookup ?? systemLookup)(host);
    const pick = all.find((a) => a.family === 4) ?? all[0];
    if (!pick) return { ok: false, error: new FleetError("UNREACHABLE", `host name ${host} has no address`, node) };
    return { ok: true, address: pick.address, family: pick.family === 6 ? 6 : 4, resolved: true };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    const why = code === "ENOTFOUND" || code === "EAI_NONAME" ? "does not resolve" : `could not be resolved (${code})`;
    return {
      ok: false,
      error: new FleetError("UNREACHABLE", `host name ${host} ${why}`, { ...node, cause: e, hint: "check the name, or write the node's IP address as host" }),
    };
  }
}
