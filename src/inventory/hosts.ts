/**
 * What a host, an address and a name may be (README "The inventory"). Shared by the loader's rules
 * and the interactive builder, so an answer is checked as the file will be.
 */
import { isIP } from "node:net";
import { NAME_PATTERN } from "./schema.js";

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Why a host is not an IP literal or a valid host name; undefined when it is fine. */
export function hostProblem(host: string): string | undefined {
  if (host.trim() === "") return "host is empty";
  if (/\s/.test(host)) return `"${host}" contains spaces`;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(host)) return `"${host}" is a URL, not a host`;
  if (host.includes("/")) {
    return /^[0-9a-fA-F.:]+\/\d+$/.test(host) ? `"${host}" is a network (CIDR), not a host` : `"${host}" contains a slash`;
  }
  if (/^\[.*\](:\d+)?$/.test(host)) return `"${host}": write an IPv6 address without brackets (and the port under port)`;
  if (isIP(host) !== 0) return undefined;
  if (/^[^:]+:\d+$/.test(host)) return `"${host}" carries a port: write the port under port`;
  if (host.includes(":")) return `"${host}" is not a valid IPv6 address`;
  if (/^[\d.]+$/.test(host)) return `"${host}" is not a valid IPv4 address`;
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  if (name.includes("_")) return `"${host}" is not a valid host name (underscores are not allowed)`;
  if (name.length > 253 || !name.split(".").every((l) => LABEL.test(l))) return `"${host}" is not a valid host name`;
  return undefined;
}

/** Is this an IP literal (v4 or v6)? */
export function isIpLiteral(s: string): boolean {
  return isIP(s) !== 0;
}

/** Why a value that must be an IP address is not one; undefined when it is fine. */
export function ipProblem(ip: string): string | undefined {
  if (isIP(ip) !== 0) return undefined;
  if (ip.includes("/")) return `"${ip}" is a network (CIDR), not an address`;
  if (hostProblem(ip) === undefined) return `"${ip}" is a host name, not an IP address`;
  return `"${ip}" is not an IP address`;
}

/** Does a node name follow the naming rule? */
export function nameValid(name: string): boolean {
  return new RegExp(NAME_PATTERN).test(name);
}

/** The key two nodes clash on: host (case and a trailing dot ignored) and port. */
export function endpointKey(host: string, port: number): string {
  return `${host.toLowerCase().replace(/\.$/, "")}|${port}`;
}
