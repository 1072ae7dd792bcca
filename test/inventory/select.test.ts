/** `--limit` (names and globs, inventory order, usage errors) and address resolution (per node, as data). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exitCodeFor, FleetError } from "../../src/errors.js";
import { parseInventory } from "../../src/inventory/parse.js";
import { resolveAddress } from "../../src/inventory/resolve.js";
import { FleetSession } from "../../src/fleet/session.js";
import { RunRecord } from "../../src/fleet/record.js";
import { globToRegExp, selectSlaves } from "../../src/inventory/select.js";
import type { Inventory } from "../../src/inventory/types.js";

function fleet(): Inventory {
  const slaves = ["pune-1", "pune-2", "mumbai-1", "delhi-1", "pune-10"].map((n, i) => `  - {name: ${n}, host: 10.0.1.${i + 1}}`).join("\n");
  const r = parseInventory(`version: 1\nmaster: {name: hq, host: 10.0.0.10}\nslaves:\n${slaves}\n`, "/srv/inv.yaml");
  assert.deepEqual(r.errors, []);
  return r.inventory!;
}
const names = (l: { name: string }[]): string[] => l.map((s) => s.name);

test("--limit: absent or empty selects every slave", () => {
  assert.equal(selectSlaves(fleet(), undefined).length, 5);
  assert.equal(selectSlaves(fleet(), []).length, 5);
  assert.equal(selectSlaves(fleet(), [" , "]).length, 5);
});

test("--limit: names, comma lists, repeated flags and globs; inventory order kept, no duplicates", () => {
  const table: [string[], string[]][] = [
    [["pune-2"], ["pune-2"]],
    [["delhi-1,pune-1"], ["pune-1", "delhi-1"]],
    [["delhi-1", "pune-1"], ["pune-1", "delhi-1"]],
    [["pune-*"], ["pune-1", "pune-2", "pune-10"]],
    [["pune-?"], ["pune-1", "pune-2"]],
    [["*-1"], ["pune-1", "mumbai-1", "delhi-1"]],
    [["pune-*,pune-1"], ["pune-1", "pune-2", "pune-10"]],
    [["*"], ["pune-1", "pune-2", "mumbai-1", "delhi-1", "pune-10"]],
  ];
  for (const [limit, want] of table) assert.deepEqual(names(selectSlaves(fleet(), limit)), want, limit.join(" "));
});

function usage(f: () => unknown): FleetError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof FleetError);
    assert.equal(e.code, "USAGE");
    assert.equal(exitCodeFor(e.code), 2);
    return e;
  }
  assert.fail("no error");
}

test("--limit: an unknown name or a glob matching nothing is a usage error listing the valid names", () => {
  const e = usage(() => selectSlaves(fleet(), ["pune-1,chennai-1", "kolkata-*"]));
  assert.equal(e.message, '--limit: no slave is named "chennai-1"; "kolkata-*" matches no slave');
  assert.equal(e.hint, "slaves in /srv/inv.yaml: pune-1, pune-2, mumbai-1, delhi-1, pune-10");
  assert.equal(usage(() => selectSlaves(fleet(), ["PUNE-1"])).message, '--limit: no slave is named "PUNE-1" (did you mean "pune-1"?)');
  assert.equal(usage(() => selectSlaves(fleet(), ["hq"])).message, '--limit: "hq" names the master; --limit selects slaves');
});

test("SLAVE names: the same checks, and an error says --limit only about names --limit gave", () => {
  assert.deepEqual(selectSlaves(fleet(), ["pune-1"], ["delhi-1"]).map((s) => s.name), ["pune-1", "delhi-1"]);
  assert.equal(usage(() => selectSlaves(fleet(), undefined, ["pune1"])).message, 'no slave is named "pune1" (did you mean "pune-1"?)');
  assert.equal(usage(() => selectSlaves(fleet(), [], ["hq"])).message, '"hq" names the master; only slaves can be named here');
  assert.equal(usage(() => selectSlaves(fleet(), ["nope"], ["pune-1"])).message, '--limit: no slave is named "nope"', "the unknown one came from --limit");
  assert.equal(usage(() => selectSlaves(fleet(), ["nope"], ["gone"])).message, 'no slave is named "nope"; no slave is named "gone"');
});

test("globs: only * and ? are special", () => {
  assert.ok(globToRegExp("a.b").test("a.b"));
  assert.ok(!globToRegExp("a.b").test("axb"));
  assert.ok(globToRegExp("a+(b)").test("a+(b)"));
});

test("resolveAddress: an IP literal as is, without a lookup", async () => {
  const never = async (): Promise<never> => assert.fail("looked up an IP literal");
  assert.deepEqual(await resolveAddress("10.0.0.10", { lookup: never }), { ok: true, address: "10.0.0.10", family: 4, resolved: false });
  assert.deepEqual(await resolveAddress("fd00::1", { lookup: never }), { ok: true, address: "fd00::1", family: 6, resolved: false });
});

test("resolveAddress: a host name is looked up, IPv4 preferred", async () => {
  const lookup = async (): Promise<{ address: string; family: number }[]> => [{ address: "fd00::5", family: 6 }, { address: "10.0.0.5", family: 4 }];
  assert.deepEqual(await resolveAddress("proxy.example.net", { lookup }), { ok: true, address: "10.0.0.5", family: 4, resolved: true });
  const v6only = async (): Promise<{ address: string; family: number }[]> => [{ address: "fd00::5", family: 6 }];
  assert.deepEqual(await resolveAddress("proxy.example.net", { lookup: v6only }), { ok: true, address: "fd00::5", family: 6, resolved: true });
});

test("resolveAddress: localhost through the system resolver", async () => {
  const r = await resolveAddress("localhost");
  assert.ok(r.ok, JSON.stringify(r));
  assert.match(r.address, /^(127\.\d+\.\d+\.\d+|::1)$/);
});

test("resolveAddress: a name that does not resolve is a result for that node, not a throw", async () => {
  const lookup = async (): Promise<never> => {
    throw Object.assign(new Error("getaddrinfo ENOTFOUND nope.invalid"), { code: "ENOTFOUND" });
  };
  const r = await resolveAddress("nope.invalid", { lookup, node: "pune-9" });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.error.code, "UNREACHABLE");
  assert.equal(r.error.message, "host name nope.invalid does not resolve");
  assert.equal(r.error.node, "pune-9");
});

test("a slave's address as the master sees it: sourceIp when given, else its host resolved", async () => {
  const r = parseInventory("version: 1\nmaster: {name: hq, host: 10.0.0.10}\nslaves:\n  - {name: a, host: a.example.net, sourceIp: 10.9.9.9}\n  - {name: b, host: b.example.net}\n", "i.yaml");
  const [a, b] = r.inventory!.slaves;
  const looked: string[] = [];
  const session = new FleetSession({
    inventory: r.inventory!,
    signal: new AbortController().signal,
    record: new RunRecord("/nonexistent", "allow", {}),
    credentials: async () => undefined,
    resolve: async (host) => (looked.push(host), "10.0.1.2"),
  });
  assert.equal(await session.slaveAddress(a!), "10.9.9.9");
  assert.equal(await session.slaveAddress(b!), "10.0.1.2");
  assert.deepEqual(looked, ["b.example.net"], "sourceIp is never looked up");
});
