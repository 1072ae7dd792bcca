/**
 * Startup parameters over real sockets (docs/protocol.md "Startup parameters"): the merged list (defaults order,
 * then keys only startup.ini has), whole-list writes as the vendor's web interface sends them
 * (every value without any `"`, each with its desc; docs/emulator.md "Strictness": a dropped
 * key, a bad count, a missing companion field, a bad name, a quote or a line break in a value
 * refused; new keys accepted; unknown keys kept), values stored as `KEY="value"` under their
 * description, and in effect only after a restart.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { admin } from "../helpers/admin.js";
import { restarted, startTestNode } from "../helpers/lab.js";

const DEFAULTS = `# Port.
LISTEN_PORT="8080"
# Master address.
MASTER_IP=""
# Master port.
MASTER_PORT=""
# Host name.
HOSTNAME=""
`;
const OVERRIDES = `# Port, set here.
LISTEN_PORT="3128"
# A key only this node has.
CUSTOM_X="keep me"
`;
const local = { localAddress: "127.0.0.1" };

interface P {
  name: string;
  value: string;
  desc: string;
}
const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Reads the params reply with a regex of its own (independent of the shared XML reader). */
async function read(n: { host: string; port: number }): Promise<P[]> {
  const r = await admin(n, "handler=safesquid_params", local);
  assert.match(r.body, /^<startup>.*<\/startup>$/);
  return [...r.body.matchAll(/<param name="([^"]*)" value="([^"]*)" desc="([^"]*)"\/>/g)].map((m) => ({ name: m[1]!, value: unescape(m[2]!), desc: unescape(m[3]!) }));
}

/** The whole-list write form as the vendor's web interface sends it: every `"` removed from each value read. */
function writeForm(list: P[], count = list.length): [string, string][] {
  const form: [string, string][] = [["handler", "safesquid_params"], ["no_of_params", String(count)]];
  list.forEach((p, i) => form.push([`param${i}`, p.name], [`value${i}`, p.value.replace(/"/g, "")], [`desc${i}`, p.desc]));
  return form;
}

const node = (t: Parameters<typeof startTestNode>[0]) => startTestNode(t, { files: { defaults: DEFAULTS, startupIni: OVERRIDES } });

test("the merged list: defaults order, overrides' values and descriptions, then extra keys", async (t) => {
  const n = await node(t);
  assert.deepEqual(await read(n), [
    { name: "LISTEN_PORT", value: '"3128"', desc: "Port, set here." },
    { name: "MASTER_IP", value: '""', desc: "Master address." },
    { name: "MASTER_PORT", value: '""', desc: "Master port." },
    { name: "HOSTNAME", value: '""', desc: "Host name." },
    { name: "CUSTOM_X", value: '"keep me"', desc: "A key only this node has." },
  ]);
});

test("a whole-list write is stored as KEY=\"value\" lines, new keys accepted, unknown keys kept", async (t) => {
  const n = await node(t);
  const list = await read(n);
  list.find((p) => p.name === "MASTER_IP")!.value = "10.0.0.10";
  list.find((p) => p.name === "MASTER_PORT")!.value = "8080";
  list.push({ name: "NEW_KEY", value: "a word, with = & + signs", desc: "Added by a test" });
  assert.equal((await admin(n, writeForm(list), local)).body, '<startup_params result="saved"/>');
  const file = readFileSync(join(n.folder.dir, "startup.ini"), "utf8");
  assert.match(file, /^# Master address\.\nMASTER_IP="10\.0\.0\.10"$/m);
  assert.match(file, /^MASTER_PORT="8080"$/m);
  assert.match(file, /^# A key only this node has\.\nCUSTOM_X="keep me"$/m);
  assert.match(file, /^# Added by a test\nNEW_KEY="a word, with = & \+ signs"$/m);
  const again = await read(n);
  assert.equal(again.find((p) => p.name === "MASTER_IP")!.value, '"10.0.0.10"');
  assert.equal(again.find((p) => p.name === "NEW_KEY")!.value, '"a word, with = & + signs"');
  assert.equal(again.at(-1)!.name, "NEW_KEY");
});

test("writes that drop a key, miscount, miss a field, quote or break a value, or bad names are refused and change nothing", async (t) => {
  const n = await node(t);
  const before = readFileSync(join(n.folder.dir, "startup.ini"), "utf8");
  const list = await read(n);
  const cases: [string, [string, string][]][] = [
    ["drops CUSTOM_X", writeForm(list.filter((p) => p.name !== "CUSTOM_X"))],
    ["count too small", writeForm(list, list.length - 1)],
    ["count too large", writeForm(list, list.length + 1)],
    ["missing value", writeForm(list).filter(([k]) => k !== "value2")],
    ["bad name", writeForm([...list, { name: "BAD-NAME", value: '"x"', desc: "" }])],
    ["twice", writeForm([...list, { ...list[0]! }])],
    ["count not a number", [["handler", "safesquid_params"], ["no_of_params", "lots"]]],
    ["missing desc", writeForm(list).filter(([k]) => k !== "desc1")],
    ["a value sent with its quotes, as read", writeForm(list).map(([k, v]) => (k === "value0" ? [k, '"3128"'] : [k, v]))],
    ["a quote inside a value", writeForm(list).map(([k, v]) => (k === "value4" ? [k, 'keep "me"'] : [k, v]))],
    ["a line break in a value", writeForm(list).map(([k, v]) => (k === "value3" ? [k, "gw\nEVIL=1"] : [k, v]))],
  ];
  for (const [what, form] of cases) {
    const r = await admin(n, form, local);
    assert.match(r.body, /^<error message="[^"]+"\/>$/, what);
  }
  const dropped = await admin(n, writeForm(list.filter((p) => p.name !== "CUSTOM_X")), local);
  assert.match(dropped.body, /drops CUSTOM_X/);
  const form = (what: string) => cases.find(([w]) => w === what)![1];
  assert.match((await admin(n, form("missing desc"), local)).body, /desc1 is missing for MASTER_IP/);
  assert.match((await admin(n, form("a value sent with its quotes, as read"), local)).body, /the value of LISTEN_PORT has a double quote: send values without any &quot;/);
  assert.equal(readFileSync(join(n.folder.dir, "startup.ini"), "utf8"), before);
});

test("written values take effect only after a restart", async (t) => {
  const n = await node(t);
  const list = await read(n);
  list.find((p) => p.name === "HOSTNAME")!.value = "renamed-gw";
  assert.equal((await admin(n, writeForm(list), local)).body, '<startup_params result="saved"/>');
  const before = await admin(n, "handler=subscription", local);
  assert.equal(before.headers["x-safesquid-instance"], "node", "the old HOSTNAME is still in effect");
  assert.equal(n.effectiveParams().get("HOSTNAME"), "");
  assert.equal((await read(n)).find((p) => p.name === "HOSTNAME")!.value, '"renamed-gw"', "the read shows the file");
  await admin(n, "handler=safesquid_restart", local);
  await restarted(n);
  const after = await admin(n, "handler=subscription", local);
  assert.equal(after.headers["x-safesquid-instance"], "renamed-gw");
});
