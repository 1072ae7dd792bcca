/**
 * What the vendor's web interface (build 2023.1011, ui_root/js) sends for each operation the
 * tool performs, for the conformance test: the exact parameter lists, their encoding, and the
 * headers. Each function names the vendor function it follows. Never derived from the tool's
 * own client or from the emulator.
 */
import assert from "node:assert/strict";
import type { CapturedRequest } from "../../src/emulator/capture.js";

export type Pairs = [string, string][];

/**
 * Soft assertions: every check of a request runs and every mismatch is listed at the end, so
 * one run shows all the ways a client differs from the vendor's interface, not only the first.
 */
export class Checks {
  private readonly failed: string[] = [];
  /** Runs one assertion; a failure is kept, not thrown. */
  check(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.failed.push(e instanceof Error ? e.message.split("\n\n")[0]! : String(e));
    }
  }
  /** Fails with every mismatch kept, if any. */
  done(): void {
    if (this.failed.length) assert.fail(`${this.failed.length} difference(s) from the vendor's web interface:\n- ${this.failed.join("\n- ")}`);
  }
}

/** A body as the interface builds it: `k=` + encodeURIComponent(v), joined by `&` (jQuery sends a string as is). */
export function uiBody(pairs: Pairs): string {
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
}

/** startup.js get_startup(): `handler=safesquid_params`. */
export const PARAMS_READ: Pairs = [["handler", "safesquid_params"]];

/**
 * startup.js save_startup(): handler, no_of_params, then param<i>, value<i>, desc<i> for every
 * key in the order read; each value is what was read with EVERY `"` removed
 * (`.replace(/\"/g, "")`), changed where the person typed, sent as encodeURIComponent(value).
 * (The interface sends desc<i> unencoded, cut after the description's last colon: a quirk the
 * tool need not copy; the test asks for desc<i> to be there and encoded like the rest.)
 */
export function paramsWrite(read: { name: string; value: string }[], changes: Record<string, string>): Pairs {
  const out: Pairs = [["handler", "safesquid_params"], ["no_of_params", String(read.length)]];
  read.forEach((p, i) => out.push([`param${i}`, p.name], [`value${i}`, changes[p.name] ?? p.value.replace(/"/g, "")], [`desc${i}`, "*"]));
  return out;
}

/** safesquid.js save_policies(): the F fields first, then handler=configuration and the action's own string. */
export function configuration(fields: Pairs, action: Pairs): Pairs {
  return [...fields, ["handler", "configuration"], ...action];
}

/** The action strings of safesquid.js (EDIT_SET, DELETE_SET, MOVE_TOP...): section, subsection, [id], action, [direction]. */
export function rowAction(action: "add" | "edit" | "delete" | "shift", id?: string, direction?: string): Pairs {
  return [["section", "access"], ["subsection", "allow"], ...(id !== undefined ? ([["id", id]] as Pairs) : []), ["action", action], ...(direction ? ([["direction", direction]] as Pairs) : [])];
}

/** jQuery.ajax POST from the page http://safesquid.cfg/: these headers, the proxy-form target. */
export function assertVendorRequest(r: CapturedRequest, what: string, o: { xhr?: boolean } = {}): void {
  assert.equal(r.method, "POST", `${what}: method`);
  assert.equal(r.headers.host, "safesquid.cfg", `${what}: Host`);
  assert.equal(r.headers.referer, "http://safesquid.cfg/", `${what}: Referer`);
  if (o.xhr === false) return; // a raw XMLHttpRequest (the log viewer) sets neither of the two below
  assert.equal(r.headers["content-type"], "application/x-www-form-urlencoded; charset=UTF-8", `${what}: Content-Type`);
  assert.equal(r.headers["x-requested-with"], "XMLHttpRequest", `${what}: X-Requested-With`);
}

/** Every value of a raw form text is encoded exactly as encodeURIComponent encodes it (a space %20, a comma %2C, never +). */
export function assertComponentEncoded(raw: string, what: string): void {
  assert.ok(!raw.includes("+"), `${what}: a raw "+" in ${JSON.stringify(raw)} (URLSearchParams encoding, not encodeURIComponent)`);
  for (const pair of raw === "" ? [] : raw.split("&")) {
    const eq = pair.indexOf("=");
    const [k, v] = eq < 0 ? [pair, ""] : [pair.slice(0, eq), pair.slice(eq + 1)];
    for (const part of [k, v]) assert.equal(part, encodeURIComponent(decodeURIComponent(part)), `${what}: "${part}" is not encoded as encodeURIComponent would`);
  }
}

/**
 * The parameters arrived as expected: same names in the same order and same values, where a
 * value "*" only asks that the parameter be there.
 */
export function assertParams(got: Pairs, want: Pairs, what: string): void {
  const shown = (p: Pairs) => p.map(([k, v]) => `${k}=${v}`).join("&");
  assert.deepEqual(got.map(([k]) => k), want.map(([k]) => k), `${what}: parameter names and order\n   got ${shown(got)}\n  want ${shown(want)}`);
  want.forEach(([k, v], i) => {
    if (v !== "*") assert.equal(got[i]![1], v, `${what}: ${k}`);
  });
}
