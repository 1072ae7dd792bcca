/**
 * Golden wire samples written from docs/protocol.md as literal strings (request bodies and
 * exact replies), not produced by shared code: a bug shared by the emulator and the tool's
 * client would pass every round trip, these catch it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { admin, rawExchange } from "../helpers/admin.js";
import { startTestNode } from "../helpers/lab.js";

const DEFAULTS = `# Port the proxy listens on.
LISTEN_PORT="8080"
# Address of the master.
MASTER_IP=""
# Port of the master.
MASTER_PORT=""
`;

const DOC = `<?xml version="1.0" ?>
<safesquid>
    <access>
        <policy>DENY</policy>
        <allow id="1">
            <enabled>TRUE</enabled>
            <ip>127.0.0.1</ip>
            <pamauth>FALSE</pamauth>
            <access>CONFIG</access>
        </allow>
    </access>
    <network>
        <dns_timeout>5</dns_timeout>
    </network>
</safesquid>
`;

const small = { files: { defaults: DEFAULTS, config: DOC }, subscription: { activationKeyName: "ACME-KEY-1", serviceId: "SVC-42" } };
const local = { localAddress: "127.0.0.1" };

test("golden: startup parameters read, exactly (§3)", async (t) => {
  const n = await startTestNode(t, small);
  const r = await admin(n, "handler=safesquid_params", local);
  assert.equal(r.status, 200);
  assert.equal(
    r.body,
    '<startup><param name="LISTEN_PORT" value="&quot;8080&quot;" desc="Port the proxy listens on."/>' +
      '<param name="MASTER_IP" value="&quot;&quot;" desc="Address of the master."/>' +
      '<param name="MASTER_PORT" value="&quot;&quot;" desc="Port of the master."/></startup>',
  );
});

test("golden: whole-list write, reply and the stored file (§3)", async (t) => {
  const n = await startTestNode(t, small);
  const body =
    "handler=safesquid_params&no_of_params=3" +
    "&param0=LISTEN_PORT&value0=8080&desc0=Port%20the%20proxy%20listens%20on." +
    "&param1=MASTER_IP&value1=10.0.0.10&desc1=Address%20of%20the%20master." +
    "&param2=MASTER_PORT&value2=8080&desc2=Port%20of%20the%20master.";
  const r = await admin(n, body, local);
  assert.equal(r.body, '<startup_params result="saved"/>');
  assert.equal(
    readFileSync(join(n.folder.dir, "startup.ini"), "utf8"),
    '# Port the proxy listens on.\nLISTEN_PORT="8080"\n# Address of the master.\nMASTER_IP="10.0.0.10"\n# Port of the master.\nMASTER_PORT="8080"\n',
  );
});

test("golden: save, cloud_backup, subscription, restart replies (§4, §7)", async (t) => {
  const n = await startTestNode(t, small);
  assert.equal((await admin(n, "handler=save&filename=config.xml", local)).body, '<save_settings><results result="File saved"/></save_settings>');
  assert.equal((await admin(n, "handler=cloud_backup", local)).body, '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>');
  assert.equal(
    (await admin(n, "handler=subscription&refresh=false", local)).body,
    '<subscription_details><information Activation_Key_Name="ACME-KEY-1" Service_ID="SVC-42" Status="active" Version="2023.1011.1421.3"/></subscription_details>',
  );
  assert.equal((await admin(n, "handler=safesquid_restart", local)).body, '<restart_info status="SafeSquid service restarted"/>');
});

test("golden: the vendor's canonical slave row added with the F-form, as conf_xml shows it (§5)", async (t) => {
  const n = await startTestNode(t, small);
  const body =
    "handler=configuration&section=access&subsection=allow&action=add" +
    "&F0=TRUE&F1=Allow%20slave%20proxy%20servers%20in%20the%20cluster%20to%20sync%20policies.%0AIP%20addresses%20of%20slave%20Proxy%20Instances%3A%2010.0.1.11%2C10.0.1.12" +
    "&F2=FALSE&F3=&F4=&F5=&F6=10.0.1.11%2C10.0.1.12&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=PROXY_SLAVES&F15=";
  const r = await admin(n, body, local);
  assert.equal(r.body, '<configuration result="ok" id="2"/>');
  const doc = await admin(n, "handler=conf_xml", local);
  assert.equal(
    doc.body,
    `<?xml version="1.0" ?>
<safesquid>
    <access>
        <policy>DENY</policy>
        <allow id="1">
            <enabled>TRUE</enabled>
            <ip>127.0.0.1</ip>
            <pamauth>FALSE</pamauth>
            <access>CONFIG</access>
        </allow>
        <allow id="2">
            <enabled>TRUE</enabled>
            <comment>Allow slave proxy servers in the cluster to sync policies.&#x0A;IP addresses of slave Proxy Instances: 10.0.1.11,10.0.1.12</comment>
            <profile_tracing>FALSE</profile_tracing>
            <ip>10.0.1.11,10.0.1.12</ip>
            <pamauth>FALSE</pamauth>
            <access>CONFIG</access>
            <add_user_groups>PROXY_SLAVES</add_user_groups>
        </allow>
    </access>
    <network>
        <dns_timeout>5</dns_timeout>
    </network>
</safesquid>
`,
  );
});

test("golden: payload errors are 200 with <error message=.../> as the whole body (§1)", async (t) => {
  const n = await startTestNode(t, small);
  const unknown = await admin(n, "handler=nope", local);
  assert.equal(unknown.status, 200);
  assert.equal(unknown.body, '<error message="unknown handler &quot;nope&quot;"/>');
  assert.equal((await admin(n, "", local)).body, '<error message="no handler given"/>');
  assert.equal((await admin(n, "handler=save&filename=other.xml", local)).body, '<error message="cannot save to &quot;other.xml&quot;: only config.xml is saved"/>');
  const wrongSection = await admin(n, "handler=configuration&section=network&subsection=allow&action=add", local);
  assert.match(wrongSection.body, /^<error message="the emulated node edits only the access section[^"]*"\/>$/);
  const json = await admin(n, '{"handler":"conf_xml"}', { ...local, headers: { "Content-Type": "application/json" } });
  assert.match(json.body, /^<error message="the body must be application\/x-www-form-urlencoded/);
});

test("golden: a raw proxy-form request and the exact reply head (§1)", async (t) => {
  const n = await startTestNode(t, { ...small, hostname: "gw-hq-1" });
  const body = "handler=cloud_backup";
  const reply = await rawExchange(
    n,
    "POST http://safesquid.cfg/ HTTP/1.1\r\n" +
      "Host: safesquid.cfg\r\n" +
      "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n" +
      "Referer: http://safesquid.cfg/\r\n" +
      "X-Requested-With: XMLHttpRequest\r\n" +
      `Content-Length: ${body.length}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
  const [head, payload] = reply.split("\r\n\r\n");
  const lines = head!.split("\r\n");
  assert.equal(lines[0], "HTTP/1.1 200 OK");
  assert.ok(lines.includes("Content-Type: text/xml"), head);
  assert.ok(lines.includes("Cache-Control: no-cache"), head);
  assert.ok(lines.includes("X-Powered-By: safesquid-2023.1011.1421.3-swg-standard"), head);
  assert.ok(lines.includes("X-SafeSquid-Instance: gw-hq-1"), head);
  assert.ok(lines.some((l) => /^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(l)), head);
  assert.equal(payload, '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>');
});

test("golden: origin form, handler in the query string, body winning a clash (§1)", async (t) => {
  const n = await startTestNode(t, small);
  const origin = await admin(n, "handler=cloud_backup", { ...local, origin: true });
  assert.equal(origin.body, '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>');
  const queryOnly = await admin(n, "", { ...local, query: "?handler=cloud_backup" });
  assert.equal(queryOnly.body, '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>');
  const clash = await admin(n, "handler=cloud_backup", { ...local, query: "?handler=nope" });
  assert.equal(clash.body, '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>');
  const merged = await admin(n, "filename=config.xml", { ...local, query: "?handler=save" });
  assert.equal(merged.body, '<save_settings><results result="File saved"/></save_settings>');
  const originQuery = await admin(n, "", { ...local, origin: true, query: "?handler=subscription&refresh=false" });
  assert.match(originQuery.body, /^<subscription_details><information Activation_Key_Name="ACME-KEY-1"/);
});

test("other hosts are not proxied (502), over-large bodies get 413, other paths and methods an error payload", async (t) => {
  const n = await startTestNode(t, { ...small, bodyLimitBytes: 1000 });
  const other = await rawExchange(n, "GET http://example.com/ HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n");
  assert.match(other, /^HTTP\/1\.1 502 Bad Gateway\r\n/);
  assert.match(other, /does not proxy to example\.com/);
  const big = await admin(n, "handler=conf_xml&pad=" + "x".repeat(2000), local);
  assert.equal(big.status, 413);
  const path = await rawExchange(n, "POST http://safesquid.cfg/other HTTP/1.1\r\nHost: safesquid.cfg\r\nContent-Length: 17\r\nConnection: close\r\n\r\nhandler=conf_xml\n");
  assert.match(path, /<error message="nothing is served at \/other: send admin requests to \/"\/>$/);
  const put = await admin(n, "handler=conf_xml", { ...local, method: "PUT" });
  assert.equal(put.body, '<error message="method PUT is not accepted: send POST"/>');
});
