/**
 * Conformance: the tool's own admin client (SafeSquidClient) against an emulated node that
 * records every request as it arrived (docs/emulator.md "Request capture"), compared with what
 * the vendor's web interface sends for the same operation (test/helpers/vendor-ui.ts: startup.js,
 * safesquid.js, restart.js, proto.js, subscription.js): parameter names, order and values, the
 * encoding (encodeURIComponent), the headers, the proxy-form target, the log request's query
 * string. The node is also asked whether it accepted each request.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { CapturedRequest } from "../../src/emulator/capture.js";
import type { NodeSpec } from "../../src/inventory/types.js";
import { SafeSquidClient } from "../../src/safesquid/client.js";
import { withValues } from "../../src/safesquid/params.js";
import { admin } from "../helpers/admin.js";
import { startTestNode } from "../helpers/lab.js";
import { readParams } from "../helpers/replies.js";
import * as ui from "../helpers/vendor-ui.js";

const DEFAULTS = `# Make SafeSquid to listen on specific port. Default: 8080
LISTEN_PORT="8080"
# Set the IP address of Master SafeSquid service, to sync your configuration.
MASTER_IP=""
# Set your Port of the Master SafeSquid service to sync configuration.
MASTER_PORT=""
# Never sync these sections, ex: limits,access. Default: "cache"
NEVER_SYNC="cache,limits"
# Update interval. Default: 1 hour
UPDATE_INTVL="1 hour"
# CIPHERS for clients. Default: "ALL:!ADH:+HIGH:+MEDIUM"
CIPHERS="ALL:!ADH:+HIGH:+MEDIUM"
# Date format for extended logs: "%d/%b/%Y:%H:%M:%S"
DATE_FORMAT="%d/%b/%Y:%H:%M:%S"
# A key only this node has: a=b & c, café
CUSTOM_KEY="a=b & c, café"
`;

/** A node that records requests, a client for it, and a way to see what one client operation sent. */
async function setUp(t: TestContext) {
  const node = await startTestNode(t, { capture: true, restartDowntimeMs: 0, files: { defaults: DEFAULTS } });
  const spec: NodeSpec = { name: "node", role: "slave", host: node.host, port: node.port, transport: "proxy", timeoutMs: 5000 };
  const client = new SafeSquidClient(spec, { retries: 0 });
  t.after(() => client.close());
  /** Runs one client operation; returns what arrived meanwhile, and its error if it failed. */
  const op = async (run: () => Promise<unknown>): Promise<{ reqs: CapturedRequest[]; error?: unknown }> => {
    const from = node.captured.length;
    let error: unknown;
    await run().catch((e: unknown) => (error = e));
    return { reqs: node.captured.slice(from), ...(error !== undefined ? { error } : {}) };
  };
  return { node, client, op };
}

/** One request arrived, from the vendor's kind of client, to `http://safesquid.cfg/`, encoded as the interface encodes, with these parameters. */
function checkOne(c: ui.Checks, got: { reqs: CapturedRequest[]; error?: unknown }, want: ui.Pairs, what: string): CapturedRequest {
  assert.equal(got.reqs.length, 1, `${what}: one request (got ${got.reqs.length}; error: ${String(got.error)})`);
  const r = got.reqs[0]!;
  c.check(() => ui.assertVendorRequest(r, what));
  c.check(() => assert.equal(r.target, "http://safesquid.cfg/", `${what}: the proxy-form target`));
  c.check(() => ui.assertComponentEncoded(r.body, what));
  c.check(() => ui.assertParams(r.params, want, what));
  c.check(() => assert.equal(got.error, undefined, `${what}: the node refused it or the client failed: ${String(got.error)}`));
  return r;
}

test("startup parameters: the read, and the whole-list write with every value as read minus its quotes", async (t) => {
  const { node, client, op } = await setUp(t);
  const c = new ui.Checks();
  let params: Awaited<ReturnType<typeof client.readParams>> = [];
  checkOne(c, await op(async () => (params = await client.readParams())), ui.PARAMS_READ, "safesquid_params read");
  const read = readParams((await admin(node, "handler=safesquid_params", { localAddress: "127.0.0.1" })).body);
  const changes = { MASTER_IP: "10.0.0.10", MASTER_PORT: "8080" };
  const write = checkOne(c, await op(() => client.writeParams(withValues(params, changes))), ui.paramsWrite(read, changes), "safesquid_params write");
  for (const [k, v] of write.params) if (/^value\d+$/.test(k)) c.check(() => assert.ok(!v.includes('"'), `${k} carries a double quote: ${v}`));
  c.check(() => assert.match(write.body, /&value5=ALL%3A!ADH%3A%2BHIGH%3A%2BMEDIUM&/, "CIPHERS: a plus sign is %2B, ! and : as encodeURIComponent leaves them"));
  c.check(() => assert.match(write.body, /&value4=1%20hour&/, "UPDATE_INTVL: a space is %20"));
  c.check(() => assert.match(write.body, /&value3=cache%2Climits&/, "NEVER_SYNC: a comma is %2C"));
  c.done();
});

test("conf_xml: without If-Modified-Since, then with the Last-Modified it got", async (t) => {
  const { client, op } = await setUp(t);
  const c = new ui.Checks();
  let lm: string | undefined;
  const first = checkOne(
    c,
    await op(async () => {
      const d = await client.fetchDocument();
      lm = d === "not-modified" ? undefined : d.lastModified;
    }),
    [["handler", "conf_xml"]],
    "conf_xml",
  );
  c.check(() => assert.equal(first.headers["if-modified-since"], undefined, "no If-Modified-Since on a first read"));
  assert.match(String(lm), /GMT$/);
  const again = checkOne(c, await op(() => client.fetchDocument(lm)), [["handler", "conf_xml"]], "conf_xml with If-Modified-Since");
  c.check(() => assert.equal(again.headers["if-modified-since"], lm, "If-Modified-Since is the Last-Modified received"));
  c.done();
});

const SLAVE_ROW = {
  enabled: "TRUE",
  comment: "Slaves pune-1 + pune-2 (café): 10.0.1.11,10.0.1.12\nsynchronize policies",
  profile_tracing: "FALSE",
  ip: "10.0.1.11,10.0.1.12",
  pamauth: "FALSE",
  access: "CONFIG",
  add_user_groups: "PROXY_SLAVES",
  max_concurrency: "0",
};
const F_FIELDS: ui.Pairs = [
  ["F0", "TRUE"], ["F1", SLAVE_ROW.comment], ["F2", "FALSE"], ["F3", ""], ["F4", ""], ["F5", ""], ["F6", "10.0.1.11,10.0.1.12"], ["F7", "FALSE"],
  ["F8", ""], ["F9", ""], ["F10_CONFIG", "on"], ["F12", ""], ["F13", ""], ["F14", "PROXY_SLAVES"], ["F15", "0"],
];

test("configuration: add, edit, shift and delete of an allow row, as safesquid.js save_policies sends them", async (t) => {
  const { node, client, op } = await setUp(t);
  const c = new ui.Checks();
  const add = checkOne(c, await op(() => client.addRow("allow", SLAVE_ROW)), ui.configuration(F_FIELDS, ui.rowAction("add")), "configuration add");
  c.check(() => assert.equal(add.body, ui.uiBody(ui.configuration(F_FIELDS, ui.rowAction("add"))), "configuration add: the body, byte for byte"));
  const doc = (await admin(node, "handler=conf_xml", { localAddress: "127.0.0.1" })).body;
  const id = /<allow id="(\d+)">(?:(?!<\/allow>)[\s\S])*<ip>10\.0\.1\.11,10\.0\.1\.12<\/ip>/.exec(doc)?.[1] ?? "0";
  checkOne(c, await op(() => client.editRow("allow", id, SLAVE_ROW)), ui.configuration(F_FIELDS, ui.rowAction("edit", id)), "configuration edit");
  checkOne(c, await op(() => client.shiftRow("allow", id, "top")), ui.configuration([], ui.rowAction("shift", id, "top")), "configuration shift");
  checkOne(c, await op(() => client.deleteRow("allow", id)), ui.configuration([], ui.rowAction("delete", id)), "configuration delete");
  c.done();
});

test("save, cloud_backup, subscription and restart, as restart.js, safesquid.js save_config and subscription.js send them", async (t) => {
  const { client, op } = await setUp(t);
  const c = new ui.Checks();
  checkOne(c, await op(() => client.save()), [["handler", "save"], ["filename", "config.xml"]], "save");
  checkOne(c, await op(() => client.cloudBackup()), [["handler", "cloud_backup"]], "cloud_backup");
  checkOne(c, await op(() => client.subscription()), [["handler", "subscription"], ["refresh", "false"]], "subscription");
  checkOne(c, await op(() => client.restart()), [["handler", "safesquid_restart"]], "safesquid_restart");
  c.done();
});

test("log: POST /?handler=log, the handler in the query string, as proto.js chunked_append sends it", async (t) => {
  const { client, op } = await setUp(t);
  const c = new ui.Checks();
  const got = await op(() => client.readLog({ maxMs: 2000, idleMs: 300, backlog: true }));
  assert.equal(got.reqs.length, 1, "one request");
  const r = got.reqs[0]!;
  c.check(() => ui.assertVendorRequest(r, "log", { xhr: false }));
  c.check(() => assert.equal(r.target, "http://safesquid.cfg/?handler=log", "log: the handler in the query string"));
  c.check(() => assert.ok(r.body === "" || r.body === "handler=log", `log: the body, if any, is the handler again: ${JSON.stringify(r.body)}`));
  c.check(() => assert.equal(got.error, undefined, String(got.error)));
  c.done();
});
