/**
 * The policy document over real sockets (docs/protocol.md "The policy document"): conf_xml with Last-Modified
 * and If-Modified-Since -> 304, document times that never hide a change, and `configuration`
 * add / edit / delete / clone / shift with the F0..F15 form: ids unique across the document,
 * new rows at the bottom, refusals that change nothing, memory only until save.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { admin } from "../helpers/admin.js";
import { startTestNode } from "../helpers/lab.js";
import { policyDoc, section } from "../helpers/policy-doc.js";

const local = { localAddress: "127.0.0.1" };
const DOC = policyDoc(
  [
    { comment: "A", ip: "127.0.0.1", pamauth: "FALSE", access: "CONFIG" },
    { comment: "B", ip: "10.0.0.2", access: "PROXY" },
    { comment: "C", ip: "10.0.0.3", access: "PROXY" },
  ],
  [{ comment: "D", ip: "10.9.9.9" }],
  "DENY",
  section("network", '<server id="50">', "    <name>dns</name>", "</server>"),
);

/** `F0..F15` for a row, written out literally (empty fields as `F<n>=`). */
function form(action: string, fields: { comment: string; ip: string; access?: string[]; extra?: string }, sub = "allow"): string {
  const access = (fields.access ?? ["CONFIG"]).map((o) => `&F10_${o}=on`).join("");
  return (
    `handler=configuration&section=access&subsection=${sub}&action=${action}` +
    `&F0=TRUE&F1=${encodeURIComponent(fields.comment)}&F2=FALSE&F3=&F4=&F5=&F6=${encodeURIComponent(fields.ip)}&F7=FALSE&F8=&F9=${access}&F12=&F13=&F14=` +
    (fields.extra ?? "")
  );
}
const doc = async (n: { host: string; port: number }) => (await admin(n, "handler=conf_xml", local)).body;
/** The comments of a subsection's rows, in document order, with their ids. */
async function rows(n: { host: string; port: number }, sub = "allow"): Promise<string[]> {
  const re = new RegExp(`<${sub} id="(\\d+)">\\s*<enabled>[^<]*</enabled>\\s*<comment>([^<]*)</comment>`, "g");
  return [...(await doc(n)).matchAll(re)].map((m) => `${m[2]}${m[1]}`);
}

test("conf_xml: Last-Modified, If-Modified-Since -> 304, and a change in the same second is never missed", async (t) => {
  const n = await startTestNode(t, { files: { config: DOC } });
  const first = await admin(n, "handler=conf_xml", local);
  assert.equal(first.status, 200);
  assert.match(first.body, /^<\?xml version="1\.0" \?>\n<safesquid>\n {4}<access>/);
  const lm = String(first.headers["last-modified"]);
  assert.match(lm, /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  const same = await admin(n, "handler=conf_xml", { ...local, headers: { "If-Modified-Since": lm } });
  assert.equal(same.status, 304);
  assert.equal(same.body, "");
  assert.equal((await admin(n, "handler=conf_xml", { ...local, headers: { "If-Modified-Since": new Date(Date.parse(lm) + 3600_000).toUTCString() } })).status, 304);
  assert.equal((await admin(n, "handler=conf_xml", { ...local, headers: { "If-Modified-Since": new Date(Date.parse(lm) - 1000).toUTCString() } })).status, 200);
  assert.equal((await admin(n, "handler=conf_xml", { ...local, headers: { "If-Modified-Since": "not a date" } })).status, 200);
  // An edit right after the fetch, very likely within the same second: still a newer time.
  assert.match((await admin(n, form("add", { comment: "E", ip: "10.0.0.5" }), local)).body, /result="ok"/);
  const changed = await admin(n, "handler=conf_xml", { ...local, headers: { "If-Modified-Since": lm } });
  assert.equal(changed.status, 200);
  assert.ok(Date.parse(String(changed.headers["last-modified"])) > Date.parse(lm));
  assert.match(changed.body, /<comment>E<\/comment>/);
});

test("add puts the row at the bottom of its subsection with a fresh id unique across the document", async (t) => {
  const n = await startTestNode(t, { files: { config: DOC } });
  assert.equal((await admin(n, form("add", { comment: "E", ip: "10.0.0.5", access: ["PROXY", "CONFIG"] }), local)).body, '<configuration result="ok" id="51"/>');
  assert.deepEqual(await rows(n), ["A1", "B2", "C3", "E51"]);
  assert.match(await doc(n), /<comment>E<\/comment>\n\s+<profile_tracing>FALSE<\/profile_tracing>\n\s+<ip>10\.0\.0\.5<\/ip>\n\s+<pamauth>FALSE<\/pamauth>\n\s+<access>CONFIG,PROXY<\/access>\n\s+<\/allow>/);
  assert.equal((await admin(n, form("add", { comment: "F", ip: "10.8.8.8" }, "deny"), local)).body, '<configuration result="ok" id="52"/>');
  assert.deepEqual(await rows(n, "deny"), ["D4", "F52"]);
  assert.match(await doc(n), /<comment>E<\/comment>[\s\S]*<\/allow>\s*<deny id="4">/, "allow rows stay above deny rows");
  assert.equal(readFileSync(n.folder.configFile, "utf8"), DOC, "memory only until save");
});

test("edit, delete and clone by id; clone lands at the bottom with a new id", async (t) => {
  const n = await startTestNode(t, { files: { config: DOC } });
  assert.equal((await admin(n, form("edit", { comment: "Bx", ip: "10.0.0.22", access: ["CONFIG"], extra: "&id=2&F11_DLP=on&F11_REDIRECT=on" }), local)).body, '<configuration result="ok" id="2"/>');
  const edited = await doc(n);
  assert.match(edited, /<allow id="2">\s*<enabled>TRUE<\/enabled>\s*<comment>Bx<\/comment>[\s\S]*?<ip>10\.0\.0\.22<\/ip>[\s\S]*?<access>CONFIG<\/access>\s*<bypass>REDIRECT,DLP<\/bypass>/);
  assert.equal((await admin(n, "handler=configuration&section=access&subsection=allow&action=clone&id=1", local)).body, '<configuration result="ok" id="51"/>');
  assert.deepEqual(await rows(n), ["A1", "Bx2", "C3", "A51"]);
  assert.equal((await admin(n, "handler=configuration&section=access&subsection=allow&action=delete&id=3", local)).body, '<configuration result="ok" id="3"/>');
  assert.deepEqual(await rows(n), ["A1", "Bx2", "A51"]);
});

test("shift: top, up, down, bottom move a row among its subsection only", async (t) => {
  const n = await startTestNode(t, { files: { config: DOC } });
  const shift = (id: number, direction: string) => admin(n, `handler=configuration&section=access&subsection=allow&action=shift&id=${id}&direction=${direction}`, local);
  assert.equal((await shift(3, "top")).body, '<configuration result="ok" id="3"/>');
  assert.deepEqual(await rows(n), ["C3", "A1", "B2"]);
  await shift(2, "up");
  assert.deepEqual(await rows(n), ["C3", "B2", "A1"]);
  await shift(3, "down");
  assert.deepEqual(await rows(n), ["B2", "C3", "A1"]);
  await shift(2, "bottom");
  assert.deepEqual(await rows(n), ["C3", "A1", "B2"]);
  await shift(3, "up");
  assert.deepEqual(await rows(n), ["C3", "A1", "B2"], "up at the top stays");
  assert.deepEqual(await rows(n, "deny"), ["D4"]);
  assert.match(await doc(n), /<\/allow>\s*<deny id="4">/);
});

test("refused edits change nothing: bad id, other subsection's id, bad form, bad direction or action", async (t) => {
  const n = await startTestNode(t, { files: { config: DOC } });
  const before = await doc(n);
  const lm = (await admin(n, "handler=conf_xml", local)).headers["last-modified"];
  const cases = [
    "handler=configuration&section=access&subsection=allow&action=delete&id=99",
    "handler=configuration&section=access&subsection=allow&action=delete&id=4",
    "handler=configuration&section=access&subsection=allow&action=edit&id=50",
    "handler=configuration&section=access&subsection=other&action=add",
    "handler=configuration&section=access&subsection=allow&action=shift&id=1&direction=sideways",
    "handler=configuration&section=access&subsection=allow&action=rename&id=1",
    "handler=configuration&section=network&subsection=server&action=delete&id=50",
    "handler=configuration&section=access&subsection=allow&action=add&F0=TRUE",
    form("add", { comment: "x", ip: "10.1.1.1", access: ["ROOT"] }),
    form("add", { comment: "x", ip: "10.1.1.1" }).replace("F0=TRUE", "F0=maybe"),
  ];
  for (const c of cases) assert.match((await admin(n, c, local)).body, /^<error message="[^"]+"\/>$/, c);
  assert.equal(await doc(n), before);
  assert.equal((await admin(n, "handler=conf_xml", { ...local, headers: { "If-Modified-Since": String(lm) } })).status, 304, "no change, no new time");
});
