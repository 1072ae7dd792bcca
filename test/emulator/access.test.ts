/**
 * The access gate over real sockets (docs/protocol.md "Access"): first match over allow rows,
 * comma lists and ranges (no CIDR), deny rows, X-Forwarded-For, 407 + Basic checked against
 * the node's user table, 403 without CONFIG, and the CURRENT (unsaved) rows in force.
 * Clients are told apart by binding the client socket to different loopback addresses.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin, basic } from "../helpers/admin.js";
import { startTestNode, TEST_PASSWORD } from "../helpers/lab.js";
import { policyDoc } from "../helpers/policy-doc.js";

// Rows are written with their fields in F-order, as the vendor writes them.
const doc = policyDoc;

const ADMIN = { access: "CONFIG" };
const from = (a: string) => ({ localAddress: a });
const status = async (n: { host: string; port: number }, opts: Parameters<typeof admin>[2]) => (await admin(n, "handler=subscription", opts)).status;

test("first enabled matching row wins; disabled and profile-gated rows are skipped", async (t) => {
  const n = await startTestNode(t, {
    files: {
      config: doc([
        { enabled: "FALSE", ip: "127.200.1.1", ...ADMIN },
        { ip: "127.200.1.1", profiles: "SOME PROFILE", access: "CONFIG" },
        { ip: "127.200.1.1", access: "PROXY" },
        { ip: "127.200.1.1", ...ADMIN },
        { ip: "127.200.1.2", ...ADMIN },
      ]),
    },
  });
  assert.equal(await status(n, from("127.200.1.1")), 403, "the PROXY-only row comes first");
  assert.equal(await status(n, from("127.200.1.2")), 200);
  assert.equal(await status(n, from("127.200.1.3")), 403, "no row: policy DENY");
});

test("comma lists and a-b ranges match; CIDR is not SafeSquid syntax and matches nothing", async (t) => {
  const n = await startTestNode(t, {
    files: {
      config: doc([
        { ip: "127.200.2.5,127.200.2.7", ...ADMIN },
        { ip: "127.200.3.10-127.200.3.20", ...ADMIN },
        { ip: "127.200.4.0/24", ...ADMIN },
      ]),
    },
  });
  for (const [a, want] of [
    ["127.200.2.5", 200],
    ["127.200.2.6", 403],
    ["127.200.2.7", 200],
    ["127.200.3.9", 403],
    ["127.200.3.10", 200],
    ["127.200.3.15", 200],
    ["127.200.3.20", 200],
    ["127.200.3.21", 403],
    ["127.200.4.5", 403],
  ] as const) {
    assert.equal(await status(n, from(a)), want, a);
  }
});

test("deny rows revoke an allow; policy ALLOW applies when no allow row matches", async (t) => {
  const n = await startTestNode(t, { files: { config: doc([{ ...ADMIN }], [{ ip: "127.200.5.5" }]) } });
  assert.equal(await status(n, from("127.200.5.4")), 200);
  assert.equal(await status(n, from("127.200.5.5")), 403);
  const open = await startTestNode(t, { files: { config: doc([{ ip: "127.200.6.1", access: "PROXY" }], [], "ALLOW") } });
  assert.equal(await status(open, from("127.200.6.2")), 200, "no row matches: policy ALLOW");
  assert.equal(await status(open, from("127.200.6.1")), 403, "a matching row without CONFIG");
});

test("X-Forwarded-For (its first address) replaces the peer address", async (t) => {
  const n = await startTestNode(t, { files: { config: doc([{ ip: "127.200.7.7", ...ADMIN }]) } });
  assert.equal(await status(n, from("127.0.0.1")), 403);
  assert.equal(await status(n, { ...from("127.0.0.1"), headers: { "X-Forwarded-For": "127.200.7.7" } }), 200);
  assert.equal(await status(n, { ...from("127.0.0.1"), headers: { "X-Forwarded-For": "127.200.7.7, 10.9.9.9" } }), 200);
  assert.equal(await status(n, { ...from("127.200.7.7"), headers: { "X-Forwarded-For": "10.9.9.9" } }), 403);
});

test("login rows: 407 with Basic realm, bad and good credentials, usernames, 403 without CONFIG", async (t) => {
  const n = await startTestNode(t, {
    users: { fleet: TEST_PASSWORD, alice: "wonder" },
    files: {
      config: doc([
        { ip: "127.200.8.1", pamauth: "TRUE", ...ADMIN },
        { ip: "127.200.8.2", username: "alice", ...ADMIN },
        { ip: "127.200.8.3", pamauth: "TRUE", access: "PROXY,HTTP" },
      ]),
    },
  });
  const none = await admin(n, "handler=subscription", from("127.200.8.1"));
  assert.equal(none.status, 407);
  assert.equal(none.headers["proxy-authenticate"], 'Basic realm="SafeSquid"');
  assert.equal(await status(n, { ...from("127.200.8.1"), auth: { username: "fleet", password: "wrong" } }), 407);
  assert.equal(await status(n, { ...from("127.200.8.1"), auth: { username: "nobody", password: TEST_PASSWORD } }), 407);
  assert.equal(await status(n, { ...from("127.200.8.1"), auth: { username: "fleet", password: TEST_PASSWORD } }), 200);
  assert.equal(await status(n, { ...from("127.200.8.1"), headers: { "Proxy-Authorization": "Bearer abc" } }), 407);
  assert.equal(await status(n, { ...from("127.200.8.2"), auth: { username: "fleet", password: TEST_PASSWORD } }), 407, "not the row's user");
  assert.equal(await status(n, { ...from("127.200.8.2"), headers: { "Proxy-Authorization": basic("alice", "wonder") } }), 200);
  const noConfig = await admin(n, "handler=subscription", { ...from("127.200.8.3"), auth: { username: "fleet", password: TEST_PASSWORD } });
  assert.equal(noConfig.status, 403);
  assert.match(String(noConfig.headers["content-type"]), /^text\/html/);
  assert.match(noConfig.body, /Access Denied/);
  assert.equal(noConfig.headers["x-powered-by"], "safesquid-2023.1011.1421.3-swg-standard");
});

test("interface rows match the listen address:port the request came in on", async (t) => {
  const n = await startTestNode(t, { files: { config: doc([{ interface: "10.1.1.1:8080", ...ADMIN }]) } });
  assert.equal(await status(n, from("127.0.0.1")), 403);
  const m = await startTestNode(t, { files: { config: doc([{ ip: "127.0.0.1", ...ADMIN }]) } });
  // Rewrite the row through the admin endpoint to name this node's own listen address.
  const form = `handler=configuration&section=access&subsection=allow&action=add&F0=TRUE&F1=&F2=FALSE&F3=&F4=&F5=${encodeURIComponent(m.address)}&F6=&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=`;
  assert.match((await admin(m, form, from("127.0.0.1"))).body, /result="ok"/);
  assert.equal(await status(m, from("127.200.9.9")), 200, "the interface row matches any client on this listen address");
});

test("the gate reads the CURRENT rows: an unsaved edit is in force at once", async (t) => {
  const n = await startTestNode(t, { files: { config: doc([{ ip: "127.0.0.1", ...ADMIN }]) } });
  assert.equal(await status(n, from("127.200.10.1")), 403);
  const add = "handler=configuration&section=access&subsection=allow&action=add&F0=TRUE&F1=x&F2=FALSE&F3=&F4=&F5=&F6=127.200.10.1&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=";
  assert.match((await admin(n, add, from("127.0.0.1"))).body, /result="ok"/);
  assert.equal(await status(n, from("127.200.10.1")), 200);
});
