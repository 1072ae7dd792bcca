/**
 * The dialects' reply shapes over real sockets (docs/emulator.md "Dialects", points 1, 2, 3
 * and 8): write replies, read replies, refused access, Last-Modified; each point asserted in
 * both dialects, literally, with the raw test client.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin } from "../helpers/admin.js";
import { startTestNode } from "../helpers/lab.js";
import { policyDoc } from "../helpers/policy-doc.js";
import { paramsWriteForm, readParams } from "../helpers/replies.js";

const local = { localAddress: "127.0.0.1" };
const DEFAULTS = `# Port.\nLISTEN_PORT="8080"\n# Master address.\nMASTER_IP=""\n`;
const ROW =
  "F0=TRUE&F1=a%20row&F2=FALSE&F3=&F4=&F5=&F6=10.1.2.3&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=&F15=0" +
  "&handler=configuration&section=access&subsection=allow&action=add";
const node = (t: Parameters<typeof startTestNode>[0], dialect: "vendor" | "alt") =>
  startTestNode(t, { dialect, files: { defaults: DEFAULTS }, subscription: { activationKeyName: "KEY-1", serviceId: "SVC-1", version: "2023.1011.1421.3" } });

test("1. write replies: vendor's chosen shapes; alt: an empty body, <response status>, a wrapped backup result; save is real in both", async (t) => {
  const v = await node(t, "vendor");
  const a = await node(t, "alt");
  const form = paramsWriteForm(readParams((await admin(v, "handler=safesquid_params", local)).body), { MASTER_IP: "10.0.0.1" });
  assert.equal((await admin(v, form, local)).body, '<startup_params result="saved"/>');
  const altWrite = await admin(a, form, local);
  assert.equal(altWrite.status, 200);
  assert.equal(altWrite.body, "");
  assert.match(readParams((await admin(a, "handler=safesquid_params", local)).body)[1]!.value, /^"10\.0\.0\.1"$/, "the alt write landed all the same");
  assert.match((await admin(v, ROW, local)).body, /^<configuration result="ok" id="\d+"\/>$/);
  assert.equal((await admin(a, ROW, local)).body, '<response status="ok"/>');
  assert.equal((await admin(v, "handler=cloud_backup", local)).body, '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>');
  assert.equal((await admin(a, "handler=cloud_backup", local)).body, '<response><cloud_backup><results Result="done"/></cloud_backup></response>');
  for (const n of [v, a]) assert.equal((await admin(n, "handler=save&filename=config.xml", local)).body, '<save_settings><results result="File saved"/></save_settings>');
});

/** What each dialect answers to a read, literally. */
const READS: { handler: string; vendor: string; alt: string }[] = [
  {
    handler: "handler=subscription&refresh=false",
    vendor: '<subscription_details><information Activation_Key_Name="KEY-1" Service_ID="SVC-1" Status="active" Version="2023.1011.1421.3"/></subscription_details>',
    alt: '<response><subscription_details><information activation_key_name="KEY-1" service_id="SVC-1" status="active" version="2023.1011.1421.3"/></subscription_details></response>',
  },
  {
    handler: "handler=safesquid_params",
    vendor: '<startup><param name="LISTEN_PORT" value="&quot;8080&quot;" desc="Port."/><param name="MASTER_IP" value="&quot;&quot;" desc="Master address."/></startup>',
    alt: '<reply><startup><param NAME="LISTEN_PORT" VALUE="&quot;8080&quot;" DESC="Port."/><param NAME="MASTER_IP" VALUE="&quot;&quot;" DESC="Master address."/></startup></reply>',
  },
];

test("2. read replies: vendor's capitalised licence attributes; alt: other case and extra wrapping; conf_xml is the document in both", async (t) => {
  const nodes = { vendor: await node(t, "vendor"), alt: await node(t, "alt") };
  for (const r of READS) for (const d of ["vendor", "alt"] as const) assert.equal((await admin(nodes[d], r.handler, local)).body, r[d], `${d}: ${r.handler}`);
  for (const n of Object.values(nodes)) assert.match((await admin(n, "handler=conf_xml", local)).body, /^<\?xml version="1\.0" \?>\n<safesquid>\n/);
});

test("3. refused access: vendor 403 with an HTML page; alt 200 with the HTML page; the 407 challenge is the same in both", async (t) => {
  for (const dialect of ["vendor", "alt"] as const) {
    const n = await startTestNode(t, { dialect, files: { config: policyDoc([{ ip: "127.0.0.1", access: "CONFIG" }]) } });
    const denied = await admin(n, "handler=conf_xml", { localAddress: "127.0.0.1", headers: { "X-Forwarded-For": "10.9.9.9" } });
    assert.equal(denied.status, dialect === "vendor" ? 403 : 200, dialect);
    assert.match(String(denied.headers["content-type"]), /^text\/html/, dialect);
    assert.match(denied.body, /<h1>Access Denied<\/h1>/, dialect);
    n.faults.denySyncFrom("127.0.0.1");
    assert.equal((await admin(n, "handler=conf_xml", local)).status, dialect === "vendor" ? 403 : 200, `${dialect}: a denied address`);
    n.faults.denySyncFrom();
  }
  for (const dialect of ["vendor", "alt"] as const) {
    const n = await startTestNode(t, { dialect, files: { config: policyDoc([{ pamauth: "TRUE", access: "CONFIG" }]) } });
    const r = await admin(n, "handler=conf_xml", local);
    assert.equal(r.status, 407, dialect);
    assert.equal(r.headers["proxy-authenticate"], 'Basic realm="SafeSquid"', dialect);
  }
});

test("8. conf_xml: vendor sends Last-Modified and answers If-Modified-Since with 304; alt sends none and always answers 200", async (t) => {
  const v = await node(t, "vendor");
  const a = await node(t, "alt");
  const lm = (await admin(v, "handler=conf_xml", local)).headers["last-modified"];
  assert.match(String(lm), /GMT$/);
  assert.equal((await admin(v, "handler=conf_xml", { ...local, headers: { "If-Modified-Since": String(lm) } })).status, 304);
  const first = await admin(a, "handler=conf_xml", local);
  assert.equal(first.headers["last-modified"], undefined);
  const later = new Date(Date.now() + 86_400_000).toUTCString();
  const again = await admin(a, "handler=conf_xml", { ...local, headers: { "If-Modified-Since": later } });
  assert.equal(again.status, 200);
  assert.equal(again.body, first.body);
  assert.equal(again.headers["last-modified"], undefined);
});
