/**
 * Golden wire samples for the admin client, written from the vendor's web interface (see
 * docs/protocol.md): literal request lines, headers and bodies, and literal replies, over a
 * real loopback socket.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FleetError } from "../../src/errors.js";
import type { NodeSpec } from "../../src/inventory/types.js";
import { SafeSquidClient } from "../../src/safesquid/client.js";
import { withValues } from "../../src/safesquid/params.js";
import type { CallEvent } from "../../src/safesquid/transport.js";
import { Secret } from "../../src/util/secret.js";
import { raw, startScripted } from "../helpers/wire-server.js";

const PARAMS_REPLY =
  '<startup><param name="LISTEN_PORT" value="&quot;8080&quot;" desc="Make SafeSquid to listen on specific port. Default: 8080"/>' +
  '<param name="MASTER_IP" value="&quot;&quot;" desc="Set the IP address of Master SafeSquid service, to sync your configuration."/>' +
  '<param name="MASTER_PORT" value="&quot;&quot;" desc="Set your Port of the Master SafeSquid service to sync configuration."/>' +
  '<param name="CUSTOM_KEY" value="a=b &amp; c" desc=""/></startup>';

function node(port: number, over: Partial<NodeSpec> = {}): NodeSpec {
  return { name: "pune-1", role: "slave", host: "127.0.0.1", port, transport: "proxy", timeoutMs: 2000, ...over };
}
const fast = { retries: 0 };

test("proxy form: POST http://safesquid.cfg/ to host:port with the vendor's headers", async (t) => {
  const srv = await startScripted(t, () => raw("200 OK", PARAMS_REPLY));
  const c = new SafeSquidClient(node(srv.port), fast);
  t.after(() => c.close());
  const params = await c.readParams();
  const r = srv.requests[0]!;
  assert.equal(r.requestLine, "POST http://safesquid.cfg/ HTTP/1.1");
  assert.equal(r.headers.host, "safesquid.cfg");
  assert.equal(r.headers["content-type"], "application/x-www-form-urlencoded; charset=UTF-8");
  assert.equal(r.headers.referer, "http://safesquid.cfg/");
  assert.equal(r.headers["x-requested-with"], "XMLHttpRequest");
  assert.equal(r.headers["proxy-authorization"], undefined, "no credentials until the node asks");
  assert.equal(r.body, "handler=safesquid_params");
  assert.deepEqual(params, [
    { name: "LISTEN_PORT", value: "8080", desc: "Make SafeSquid to listen on specific port. Default: 8080" },
    { name: "MASTER_IP", value: "", desc: "Set the IP address of Master SafeSquid service, to sync your configuration." },
    { name: "MASTER_PORT", value: "", desc: "Set your Port of the Master SafeSquid service to sync configuration." },
    { name: "CUSTOM_KEY", value: "a=b & c", desc: "" },
  ]);
});

test("direct form: POST / straight to host:port", async (t) => {
  const srv = await startScripted(t, () => raw("200 OK", PARAMS_REPLY));
  const c = new SafeSquidClient(node(srv.port, { transport: "direct" }), fast);
  t.after(() => c.close());
  await c.readParams();
  assert.equal(srv.requests[0]!.requestLine, "POST / HTTP/1.1");
  assert.equal(srv.requests[0]!.headers.host, "safesquid.cfg");
});

test("golden: the whole-list write changes only MASTER_IP / MASTER_PORT; every value goes without its quotes, encoded as encodeURIComponent does", async (t) => {
  const srv = await startScripted(t, (_r, i) => raw("200 OK", i === 0 ? PARAMS_REPLY : '<startup_params result="saved"/>'));
  const c = new SafeSquidClient(node(srv.port), fast);
  t.after(() => c.close());
  const params = await c.readParams();
  await c.writeParams(withValues(params, { MASTER_IP: "10.0.0.10", MASTER_PORT: "8080" }));
  assert.equal(
    srv.requests[1]!.body,
    "handler=safesquid_params&no_of_params=4" +
      "&param0=LISTEN_PORT&value0=8080&desc0=Make%20SafeSquid%20to%20listen%20on%20specific%20port.%20Default%3A%208080" +
      "&param1=MASTER_IP&value1=10.0.0.10&desc1=Set%20the%20IP%20address%20of%20Master%20SafeSquid%20service%2C%20to%20sync%20your%20configuration." +
      "&param2=MASTER_PORT&value2=8080&desc2=Set%20your%20Port%20of%20the%20Master%20SafeSquid%20service%20to%20sync%20configuration." +
      "&param3=CUSTOM_KEY&value3=a%3Db%20%26%20c&desc3=",
  );
});

test("a node that answers 407 gets the inventory's credentials, once asked, and keeps getting them", async (t) => {
  const srv = await startScripted(t, (r) =>
    r.headers["proxy-authorization"] === "Basic " + Buffer.from("fleet:s3cret").toString("base64")
      ? raw("200 OK", '<subscription_details><information Activation_Key_Name="ACME-1" Service_ID="42" Status="Active" Version="2023.1011"/></subscription_details>')
      : raw("407 Proxy Authentication Required", "", { "Proxy-Authenticate": 'Basic realm="SafeSquid"' }),
  );
  let asked = 0;
  const c = new SafeSquidClient(node(srv.port), {
    ...fast,
    credentials: async () => (asked++, { username: "fleet", password: new Secret("s3cret", "env SAFESQUID_PASSWORD") }),
  });
  t.after(() => c.close());
  assert.deepEqual(await c.subscription(), { activationKeyName: "ACME-1", serviceId: "42", status: "Active", version: "2023.1011" });
  assert.equal(srv.requests[0]!.body, "handler=subscription&refresh=false");
  await c.subscription();
  assert.equal(asked, 1);
  assert.equal(srv.requests.length, 3, "one challenge, then credentials on every request");
});

async function failure(p: Promise<unknown>): Promise<FleetError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof FleetError, `a FleetError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a failure");
}

test("each failure is a distinct domain error that names the node and says what to do", async (t) => {
  const cases: [string, string, RegExp, RegExp][] = [
    ["407 no credentials", raw("407 Proxy Authentication Required", ""), /NEEDS_CREDENTIALS/, /passwordEnv or passwordFile/],
    ["403", raw("403 Forbidden", "<html><body>Access Denied</body></html>", { "Content-Type": "text/html" }), /ACCESS_DENIED/, /allow row/],
    ["503", raw("503 Service Unavailable", "busy"), /SERVER_ERROR/, /log/],
    ["payload error", raw("200 OK", '<error message="unknown handler &quot;x&quot;"/>'), /HANDLER_REFUSED/, /./],
    ["not xml", raw("200 OK", "<html><body>hello</body></html>"), /BAD_REPLY/, /supported build/],
    ["404", raw("404 Not Found", ""), /BAD_REPLY/, /SafeSquid proxy port/],
  ];
  for (const [name, reply, code, hint] of cases) {
    const srv = await startScripted(t, () => reply);
    const c = new SafeSquidClient(node(srv.port), fast);
    const e = await failure(c.readParams());
    c.close();
    assert.match(e.code, code, name);
    assert.match(e.message, /pune-1 \(127\.0\.0\.1:\d+\)/, name);
    if (e.code !== "HANDLER_REFUSED") assert.match(e.hint ?? "", hint, name);
  }
});

test("a 407 after credentials were sent is BAD_CREDENTIALS, and the password is never in the message", async (t) => {
  const srv = await startScripted(t, () => raw("407 Proxy Authentication Required", ""));
  const c = new SafeSquidClient(node(srv.port), { ...fast, credentials: async () => ({ username: "fleet", password: new Secret("hunter2", "env X") }) });
  t.after(() => c.close());
  const e = await failure(c.readParams());
  assert.equal(e.code, "BAD_CREDENTIALS");
  assert.doesNotMatch(e.message + (e.hint ?? ""), /hunter2/);
});

test("a typed password the node refuses is replaced by the one typed again; the final refusal's hint speaks of the question, not the inventory", async (t) => {
  const good = "Basic " + Buffer.from("fleet:right").toString("base64");
  const srv = await startScripted(t, (r) => (r.headers["proxy-authorization"] === good ? raw("200 OK", PARAMS_REPLY) : raw("407 Proxy Authentication Required", "")));
  const typed = (v: string) => ({ username: "fleet", password: new Secret(v, "asked for fleet", { typed: true }) });
  const refused: string[] = [];
  const answers = ["wrong-2", "right"];
  const c = new SafeSquidClient(node(srv.port), {
    ...fast,
    credentials: async () => typed("wrong-1"),
    relogin: async (rejected) => (refused.push(rejected.password.reveal()), answers.length ? typed(answers.shift()!) : undefined),
  });
  t.after(() => c.close());
  assert.equal((await c.readParams()).length, 4);
  assert.deepEqual(refused, ["wrong-1", "wrong-2"]);
  assert.equal(srv.requests.length, 4, "no credentials, then wrong-1, wrong-2, right");

  const never = await startScripted(t, () => raw("407 Proxy Authentication Required", ""));
  const d = new SafeSquidClient(node(never.port), { ...fast, credentials: async () => typed("nope"), relogin: async () => undefined });
  t.after(() => d.close());
  const e = await failure(d.readParams());
  assert.equal(e.code, "BAD_CREDENTIALS");
  assert.match(e.hint ?? "", /typed at the question/);
  assert.doesNotMatch(e.hint ?? "", /inventory/);
});

test("refused, reset and timed-out connections are UNREACHABLE, RESET and TIMEOUT", async (t) => {
  const refused = new SafeSquidClient(node(1), fast);
  assert.equal((await failure(refused.readParams())).code, "UNREACHABLE");
  const reset = await startScripted(t, () => ({ reset: true }));
  const c1 = new SafeSquidClient(node(reset.port), fast);
  assert.equal((await failure(c1.readParams())).code, "RESET");
  c1.close();
  const hang = await startScripted(t, () => ({ hang: true }));
  const c2 = new SafeSquidClient(node(hang.port, { timeoutMs: 300 }), fast);
  const e = await failure(c2.readParams());
  c2.close();
  assert.equal(e.code, "TIMEOUT");
  assert.match(e.hint ?? "", /--timeout/);
});

test("reads are retried with backoff; writes never are", async (t) => {
  const srv = await startScripted(t, (_r, i) => (i < 2 ? { reset: true } : raw("200 OK", PARAMS_REPLY)));
  const events: CallEvent[] = [];
  const c = new SafeSquidClient(node(srv.port), { retries: 2, backoffMs: 10, onCall: (e) => events.push(e) });
  t.after(() => c.close());
  await c.readParams();
  assert.equal(srv.requests.length, 3);
  assert.deepEqual(events.map((e) => e.status), ["reset", "reset", 200]);
  const w = await startScripted(t, () => ({ reset: true }));
  const c2 = new SafeSquidClient(node(w.port), { retries: 2, backoffMs: 10 });
  await failure(c2.restart());
  c2.close();
  assert.equal(w.requests.length, 1, "a restart is never sent twice");
});

test("one keep-alive connection per node carries successive calls", async (t) => {
  const srv = await startScripted(t, () => raw("200 OK", PARAMS_REPLY));
  const c = new SafeSquidClient(node(srv.port), fast);
  t.after(() => c.close());
  for (let i = 0; i < 4; i++) await c.readParams();
  assert.equal(srv.requests.length, 4);
  assert.equal(srv.connections, 1);
});

test("golden: configuration add / shift / save / restart / cloud_backup bodies and replies", async (t) => {
  const replies = [
    '<configuration result="ok" id="57"/>',
    '<configuration result="ok" id="57"/>',
    '<save_settings><results result="File saved"/></save_settings>',
    '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>',
    '<restart_info status="SafeSquid service restarted"/>',
  ];
  const srv = await startScripted(t, (_r, i) => raw("200 OK", replies[i]!));
  const c = new SafeSquidClient(node(srv.port), fast);
  t.after(() => c.close());
  await c.addRow("allow", { enabled: "TRUE", comment: "slaves, sync", ip: "10.0.1.11,10.0.1.12", pamauth: "FALSE", access: "CONFIG", add_user_groups: "PROXY_SLAVES" });
  await c.shiftRow("allow", "57", "up");
  await c.save();
  assert.equal(await c.cloudBackup(), "Configuration backed up to cloud");
  await c.restart();
  assert.deepEqual(
    srv.requests.map((r) => r.body),
    [
      "F0=TRUE&F1=slaves%2C%20sync&F2=&F3=&F4=&F5=&F6=10.0.1.11%2C10.0.1.12&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=PROXY_SLAVES&F15=&handler=configuration&section=access&subsection=allow&action=add",
      "handler=configuration&section=access&subsection=allow&id=57&action=shift&direction=up",
      "handler=save&filename=config.xml",
      "handler=cloud_backup",
      "handler=safesquid_restart",
    ],
  );
});

test("a save whose result is not 'File saved' is a failure", async (t) => {
  const srv = await startScripted(t, () => raw("200 OK", '<save_settings><results result="Disk full"/></save_settings>'));
  const c = new SafeSquidClient(node(srv.port), fast);
  t.after(() => c.close());
  const e = await failure(c.save());
  assert.equal(e.code, "BAD_REPLY");
  assert.match(e.message, /Disk full/);
});

test("conf_xml: Last-Modified is kept for If-Modified-Since, 304 reads as not-modified, the change time in this machine's clock", async (t) => {
  const doc = '<?xml version="1.0" ?>\n<safesquid><access><policy>DENY</policy></access></safesquid>';
  // The node's clock runs an hour ahead: its Date and Last-Modified are both in its clock.
  const skew = 3_600_000;
  const srv = await startScripted(t, (r) =>
    r.headers["if-modified-since"]
      ? raw("304 Not Modified", "")
      : raw("200 OK", doc, { "Last-Modified": new Date(Date.now() + skew - 42_000).toUTCString(), Date: new Date(Date.now() + skew).toUTCString() }),
  );
  const c = new SafeSquidClient(node(srv.port), fast);
  t.after(() => c.close());
  const first = await c.fetchDocument();
  assert.ok(first !== "not-modified");
  assert.equal(first.root.name, "safesquid");
  const age = Date.now() - first.changedAt!;
  assert.ok(age > 40_000 && age < 45_000, `changed about 42 s ago in this machine's clock, not ${age} ms`);
  assert.equal(await c.fetchDocument(first.lastModified), "not-modified");
  assert.equal(srv.requests[1]!.headers["if-modified-since"], first.lastModified);
});

test("the log stream is read until the reader has what it needs, then closed", async (t) => {
  const lines = [
    "2026 11 26 10:00:00.001 [12] main: safesquid started\n",
    "2026 11 26 10:00:01.000 [31] sync: config_sync:80 synchronizing with 10.0.0.10:8080\n",
    "2026 11 26 10:00:01.050 [31] sync: config_sync:104 synchronized section: access\n",
    "2026 11 26 10:00:01.051 [31] sync: config_sync:104 synchronized section: profiles\n",
  ];
  const srv = await startScripted(t, () => ({ stream: lines, intervalMs: 20 }));
  const c = new SafeSquidClient(node(srv.port), fast);
  t.after(() => c.close());
  const got = await c.readLog({ maxMs: 5000, idleMs: 2000, until: (ls) => ls.some((l) => l.message.includes("section: profiles")) });
  assert.equal(got.lines.length, 3, "only the sync lines are kept");
  assert.equal(got.lines[0]!.family, "sync");
  assert.equal(got.lines[0]!.stamp, "2026 11 26 10:00:01.000");
  assert.equal(got.lastMs, Date.UTC(2026, 10, 26, 10, 0, 1, 51));
  assert.equal(srv.requests[0]!.requestLine, "POST http://safesquid.cfg/?handler=log HTTP/1.1", "the handler in the query string, as the vendor's interface asks");
});

test("replies are read as the vendor's interface reads them: elements by name anywhere, attribute names in any case", async (t) => {
  const replies = [
    '<reply><startup><param NAME="LISTEN_PORT" VALUE="&quot;8080&quot;" DESC="port"/><param Name="OPTS" Value="-a &quot;b c&quot;" Desc=""/></startup></reply>',
    '<response><subscription_details><information activation_key_name="ACME-1" service_id="42" status="active" version="9"/></subscription_details></response>',
    '<response><save_settings><Results Result="File saved"/></save_settings></response>',
    '<wrap><safesquid><access><policy>DENY</policy></access></safesquid></wrap>',
  ];
  const srv = await startScripted(t, (_r, i) => raw("200 OK", replies[i]!));
  const c = new SafeSquidClient(node(srv.port), fast);
  t.after(() => c.close());
  assert.deepEqual(await c.readParams(), [
    { name: "LISTEN_PORT", value: "8080", desc: "port" },
    { name: "OPTS", value: "-a b c", desc: "" },
  ], "every double quote is removed, as the vendor's interface does");
  assert.equal((await c.subscription()).activationKeyName, "ACME-1");
  await c.save();
  const doc = await c.fetchDocument();
  assert.ok(doc !== "not-modified" && doc.root.name === "safesquid");
});

test("a write's reply is not believed: any shape passes, only <error> or an Access Denied page fails", async (t) => {
  const PARAMS = [{ name: "MASTER_IP", value: "10.0.0.10", desc: "" }];
  for (const body of ["", '<startup_params/>', '<response status="ok"/>', "OK", '<startup_params result="saved"/>']) {
    const srv = await startScripted(t, () => raw("200 OK", body));
    const c = new SafeSquidClient(node(srv.port), fast);
    await c.writeParams(PARAMS);
    await c.addRow("allow", { enabled: "TRUE" });
    await c.restart();
    await c.cloudBackup();
    c.close();
  }
  const refusals: [string, RegExp][] = [
    [raw("200 OK", '<response><error message="not allowed"/></response>'), /HANDLER_REFUSED/],
    [raw("200 OK", "<html><body><h1>Access Denied</h1></body></html>", { "Content-Type": "text/html" }), /ACCESS_DENIED/],
  ];
  for (const [reply, code] of refusals) {
    const srv = await startScripted(t, () => reply);
    const c = new SafeSquidClient(node(srv.port), fast);
    assert.match((await failure(c.writeParams(PARAMS))).code, code);
    assert.match((await failure(c.readParams())).code, code, "a read meets the same refusal");
    c.close();
  }
});
