/**
 * Access Restrictions (section `access`): the allow/deny row model, its F0..F15 form
 * encoding, address matching and the first-match evaluation of admin requests.
 * Shared by the admin client (planning `allow`, the lock-out check) and the emulated node
 * (enforcing it). Spec: docs/protocol.md "Access" and "The policy document"; field order from the vendor's
 * sections-access.xml `entry` template.
 */
import { isIPv6 } from "node:net";

/** Row fields in wire order: F0..F15. `max_concurrency` (F15) exists only on newer builds. */
export const ROW_FIELDS = [
  "enabled",
  "comment",
  "profile_tracing",
  "ldap_profiles",
  "profiles",
  "interface",
  "ip",
  "pamauth",
  "username",
  "password",
  "access",
  "bypass",
  "ifusername",
  "ifpassword",
  "add_user_groups",
  "max_concurrency",
] as const;
export type RowField = (typeof ROW_FIELDS)[number];

/** Multi-choice fields and their options, in the vendor's order (sections-access.xml `select`). */
export const MULTI_CHOICE: Readonly<Record<string, readonly string[]>> = {
  access: ["CONFIG", "PROXY", "HTTP", "TRANSPARENT", "CONNECT", "BYPASS", "URLCOMMAND"],
  bypass: [
    "HEADER-FILTERING",
    "REDIRECT",
    "COOKIES-FILTERING",
    "REWRITE",
    "EXTERNAL",
    "FORWARD",
    "KEYWORDS-FILTERING",
    "DNSBL",
    "LIMITS",
    "ANTIVIRUS",
    "ICAP",
    "DLP",
  ],
};

/** Fields whose values are secrets: never printed, logged or written to a run record. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["password", "ifpassword"]);

/** A row as the document holds it: field name -> text ("" or absent when empty). */
export type RowValues = Partial<Record<RowField, string>> & Record<string, string | undefined>;

export interface AccessRow {
  id: string;
  subsection: "allow" | "deny";
  values: RowValues;
}

export interface AccessSection {
  policy: "ALLOW" | "DENY";
  allow: AccessRow[];
  deny: AccessRow[];
}

/** Splits a comma list, trimming and dropping empty items. */
export function splitList(v: string | undefined): string[] {
  if (!v) return [];
  return v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** True when a BOOL field reads TRUE (case-insensitive). */
export function isTrue(v: string | undefined): boolean {
  return (v ?? "").trim().toUpperCase() === "TRUE";
}

/**
 * Encodes a row as the vendor's form does: `F<n>=<text>` for plain fields (empty ones as
 * `F<n>=`), one `F<n>_<OPTION>=on` pair per chosen option of a multi-choice field.
 */
export function encodeRowForm(values: RowValues, fieldCount = ROW_FIELDS.length): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < fieldCount; i++) {
    const name = ROW_FIELDS[i]!;
    const v = values[name] ?? "";
    if (MULTI_CHOICE[name]) {
      for (const opt of splitList(v)) out.push([`F${i}_${opt}`, "on"]);
    } else {
      out.push([`F${i}`, v]);
    }
  }
  return out;
}

/**
 * Decodes F0..F15 form parameters into row values. Unknown options of a multi-choice field
 * and missing plain fields (F0..F14) are reported as problems, not guessed.
 */
export function decodeRowForm(params: Map<string, string>): { values: RowValues; problems: string[] } {
  const values: RowValues = {};
  const problems: string[] = [];
  for (let i = 0; i < ROW_FIELDS.length; i++) {
    const name = ROW_FIELDS[i]!;
    const options = MULTI_CHOICE[name];
    if (options) {
      const chosen: string[] = [];
      for (const [k, v] of params) {
        if (!k.startsWith(`F${i}_`)) continue;
        const opt = k.slice(`F${i}_`.length);
        if (!options.includes(opt)) problems.push(`F${i} (${name}) has no option "${opt}"`);
        else if (v === "on" && !chosen.includes(opt)) chosen.push(opt);
      }
      chosen.sort((a, b) => options.indexOf(a) - options.indexOf(b));
      if (chosen.length) values[name] = chosen.join(",");
    } else {
      const v = params.get(`F${i}`);
      if (v === undefined) {
        if (name !== "max_concurrency") problems.push(`F${i} (${name}) is missing`);
      } else if (v !== "") {
        values[name] = v;
      }
    }
  }
  for (const b of ["enabled", "pamauth", "profile_tracing"] as const) {
    const v = values[b];
    if (v !== undefined && !/^(TRUE|FALSE)$/i.test(v)) problems.push(`${b} must be TRUE or FALSE, not "${v}"`);
  }
  return { values, problems };
}

/** Reads dotted IPv4 into a number, or undefined. */
export function ipv4ToInt(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255 || (m[i]!.length > 1 && m[i]![0] === "0")) return undefined;
    n = n * 256 + o;
  }
  return n;
}

/**
 * An IPv6 address in any valid text (`::` shorthand, either case, leading zeros, a dotted IPv4
 * tail) as its eight 16-bit groups; undefined for anything else, a zone (`%eth0`) included.
 */
function ipv6Groups(s: string): number[] | undefined {
  if (!isIPv6(s) || s.includes("%")) return undefined;
  const part = (text: string): number[] | undefined => {
    if (text === "") return [];
    const out: number[] = [];
    for (const g of text.split(":")) {
      if (!g.includes(".")) {
        out.push(parseInt(g, 16));
        continue;
      }
      const v4 = ipv4ToInt(g);
      if (v4 === undefined) return undefined;
      out.push(Math.floor(v4 / 0x10000), v4 % 0x10000);
    }
    return out;
  };
  const gap = s.indexOf("::");
  const head = part(gap < 0 ? s : s.slice(0, gap));
  const tail = gap < 0 ? [] : part(s.slice(gap + 2));
  if (!head || !tail) return undefined;
  const groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  return groups.length === 8 ? groups : undefined;
}

/** Eight groups as RFC 5952 writes them: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function ipv6Text(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/**
 * One text for each address, so that equal addresses compare equal: IPv4 as a dotted quad
 * (IPv4-mapped IPv6 forms such as `::ffff:10.0.0.1`, `::FFFF:a00:1` or
 * `0:0:0:0:0:ffff:10.0.0.1` included), IPv6 as RFC 5952 writes it (`0:0:0:0:0:0:0:1` is `::1`).
 * Undefined when the text is neither.
 */
export function canonicalAddress(text: string): string | undefined {
  const s = text.trim();
  if (ipv4ToInt(s) !== undefined) return s;
  const g = ipv6Groups(s);
  if (!g) return undefined;
  const mapped = g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff;
  return mapped ? `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}` : ipv6Text(g);
}

/**
 * An address as access matching sees it: IPv4-mapped IPv6 (as a socket's remoteAddress may
 * carry it) becomes IPv4, IPv6 takes its RFC 5952 form; text that is no address is kept as is.
 */
export function plainAddress(addr: string): string {
  return canonicalAddress(addr) ?? addr;
}

/** An `a.b.c.d-e.f.g.h` range as numbers, or undefined (a reversed range included). */
function ipv4Range(item: string): [number, number] | undefined {
  const dash = item.indexOf("-");
  const lo = ipv4ToInt(item.slice(0, dash));
  const hi = ipv4ToInt(item.slice(dash + 1));
  return lo !== undefined && hi !== undefined && lo <= hi ? [lo, hi] : undefined;
}

/**
 * One item of an `ip` field: a single address (IPv4, or IPv6 in any of its forms) or an IPv4
 * range `a.b.c.d-e.f.g.h`. SafeSquid's syntax has no CIDR, and its ranges are IPv4 ranges: an
 * IPv6 range (`2001:db8::1-2001:db8::ff`) is not an item, so it never covers an address and the
 * tool adds a slave's own address rather than trust a range a node may not honour.
 */
export function ipItemValid(item: string): boolean {
  return item.includes("-") ? ipv4Range(item) !== undefined : canonicalAddress(item) !== undefined;
}

/**
 * Does an `ip` field (comma list of addresses and ranges) cover this address? Empty covers all.
 * Addresses compare by value (`::1` is `0:0:0:0:0:0:0:1`, `::ffff:10.0.0.1` is `10.0.0.1`);
 * an item that is no address (a host name) matches only the same text, in any case.
 */
export function ipMatches(field: string | undefined, address: string): boolean {
  const f = ipField(field);
  if (f.any) return true;
  const addr = canonicalAddress(address) ?? address.trim().toLowerCase();
  if (f.exact.has(addr)) return true;
  const n = ipv4ToInt(addr);
  return n !== undefined && f.ranges.some(([lo, hi]) => n >= lo && n <= hi);
}

/** An `ip` field read once: every single item in its compared form, the valid IPv4 ranges. */
interface IpField {
  /** Empty: covers every address. */
  any: boolean;
  exact: Set<string>;
  ranges: [number, number][];
}

/**
 * The fields read so far. The allow row for a fleet lists every slave, and each slave's check
 * reads it: reading the list once per check made that quadratic in the fleet's size.
 */
const ipFields = new Map<string, IpField>();

function ipField(field: string | undefined): IpField {
  const key = field ?? "";
  const known = ipFields.get(key);
  if (known) return known;
  const items = splitList(field);
  const f: IpField = { any: items.length === 0, exact: new Set(), ranges: [] };
  for (const item of items) {
    if (item.includes("-")) {
      const range = ipv4Range(item);
      if (range) f.ranges.push(range);
    } else {
      f.exact.add(canonicalAddress(item) ?? item.toLowerCase());
    }
  }
  if (ipFields.size >= 64) ipFields.clear();
  ipFields.set(key, f);
  return f;
}

/** Does an `interface` field (comma list of listen IP:PORT) cover the address:port a request came in on? */
export function interfaceMatches(field: string | undefined, local: string | undefined): boolean {
  const items = splitList(field);
  if (items.length === 0) return true;
  if (!local) return false;
  return items.some((i) => i === local || (i.startsWith("*:") && local.endsWith(i.slice(1))));
}

export interface AdminRequest {
  /** The client address the node sees (X-Forwarded-For already applied). */
  ip: string;
  /** The listen address:port the request arrived on. */
  local?: string;
  /** Basic credentials, when sent. */
  username?: string;
  password?: string;
}

export type AccessDecision =
  | { kind: "allow"; row?: AccessRow; groups: string[] }
  | { kind: "challenge"; row: AccessRow }
  | { kind: "deny"; row?: AccessRow; reason: "no-config" | "no-match" | "deny-row" };

/** Does this row apply to an admin request at all (ignoring credentials)? */
export function rowMatches(row: AccessRow, req: AdminRequest): boolean {
  const v = row.values;
  if (!isTrue(v.enabled)) return false;
  // [chosen] rows gated on profiles never match admin requests (docs/protocol.md "Access").
  if ((v.profiles ?? "").trim() || (v.ldap_profiles ?? "").trim()) return false;
  return ipMatches(v.ip, req.ip) && interfaceMatches(v.interface, req.local);
}

/** True when a row asks for a login (pamauth TRUE or a username). */
export function rowChallenges(row: AccessRow): boolean {
  return isTrue(row.values.pamauth) || splitList(row.values.username).length > 0;
}

/**
 * First-match evaluation of an admin request (docs/protocol.md "Access"): the first enabled allow
 * row that matches wins; a login row challenges unless `checkLogin` accepts the credentials;
 * the row must grant CONFIG; no match falls to the section policy; a matching deny row
 * revokes an allow.
 */
export function evaluateAccess(
  section: AccessSection,
  req: AdminRequest,
  checkLogin: (username: string, password: string) => boolean,
): AccessDecision {
  let decision: AccessDecision | undefined;
  const row = section.allow.find((r) => rowMatches(r, req));
  if (row) {
    if (rowChallenges(row)) {
      const names = splitList(row.values.username);
      const ok =
        req.username !== undefined &&
        req.password !== undefined &&
        (names.length === 0 || names.includes(req.username)) &&
        checkLogin(req.username, req.password);
      if (!ok) return { kind: "challenge", row };
    }
    if (!splitList(row.values.access).includes("CONFIG")) return { kind: "deny", row, reason: "no-config" };
    decision = { kind: "allow", row, groups: splitList(row.values.add_user_groups) };
  } else if (section.policy === "ALLOW") {
    decision = { kind: "allow", groups: [] };
  } else {
    return { kind: "deny", reason: "no-match" };
  }
  const deny = section.deny.find((r) => {
    if (!rowMatches(r, req)) return false;
    const names = splitList(r.values.username);
    return names.length === 0 || (req.username !== undefined && names.includes(req.username));
  });
  if (deny) return { kind: "deny", row: deny, reason: "deny-row" };
  return decision;
}
