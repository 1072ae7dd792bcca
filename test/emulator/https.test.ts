/**
 * HTTPS through a CONNECT tunnel (docs/protocol.md "Reaching a node"): `CONNECT safesquid.cfg:443` passes the
 * access gate, the node terminates TLS and serves the same admin endpoint inside. A throwaway
 * self-signed certificate is made with the openssl binary (skipped with a message without it).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import tls from "node:tls";
import { basic } from "../helpers/admin.js";
import { startTestNode, TEST_PASSWORD } from "../helpers/lab.js";
import { makeCert } from "../helpers/tls.js";
import { policyDoc } from "../helpers/policy-doc.js";

/** CONNECT; on 200 an HTTPS admin request inside the tunnel. Returns the CONNECT status and the inner reply. */
function viaTunnel(node: { host: string; port: number }, ca: string, body: string, o: { localAddress?: string; proxyAuth?: string; authority?: string } = {}): Promise<{ connect: number; status?: number; body?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: node.host,
      port: node.port,
      method: "CONNECT",
      path: o.authority ?? "safesquid.cfg:443",
      headers: { Host: o.authority ?? "safesquid.cfg:443", ...(o.proxyAuth ? { "Proxy-Authorization": o.proxyAuth } : {}) },
      agent: false,
      localAddress: o.localAddress ?? "127.0.0.1",
    });
    req.on("error", reject);
    req.on("connect", (res, socket) => {
      if (res.statusCode !== 200) return (socket.destroy(), resolve({ connect: res.statusCode ?? 0 }));
      const secure = tls.connect({ socket, servername: "safesquid.cfg", ca });
      const inner = http.request(
        { method: "POST", path: "/", headers: { Host: "safesquid.cfg", "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", "Content-Length": Buffer.byteLength(body) }, createConnection: () => secure },
        (r) => {
          let text = "";
          r.on("data", (c) => (text += c));
          r.on("end", () => (secure.destroy(), resolve({ connect: 200, status: r.statusCode ?? 0, body: text })));
        },
      );
      inner.on("error", reject);
      inner.end(body);
    });
    req.end();
  });
}

test("CONNECT safesquid.cfg:443 then the admin endpoint over TLS", async (t) => {
  const material = makeCert(t);
  if (!material) return;
  const n = await startTestNode(t, { tls: material });
  const r = await viaTunnel(n, material.cert, "handler=cloud_backup");
  assert.deepEqual(r, { connect: 200, status: 200, body: '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>' });
});

const LOGIN_DOC = policyDoc([{ ip: "127.201.0.9", pamauth: "TRUE", access: "CONFIG" }, { ip: "127.201.0.10", access: "PROXY,CONNECT" }]);

test("the access gate applies to CONNECT, and the CONNECT's login carries into the tunnel", async (t) => {
  const material = makeCert(t);
  if (!material) return;
  const n = await startTestNode(t, { tls: material, files: { config: LOGIN_DOC } });
  const from9 = { localAddress: "127.201.0.9" };
  assert.equal((await viaTunnel(n, material.cert, "handler=cloud_backup", from9)).connect, 407);
  assert.equal((await viaTunnel(n, material.cert, "handler=cloud_backup", { ...from9, proxyAuth: basic("fleet", "wrong") })).connect, 407);
  const r = await viaTunnel(n, material.cert, "handler=cloud_backup", { ...from9, proxyAuth: basic("fleet", TEST_PASSWORD) });
  assert.deepEqual(r, { connect: 200, status: 200, body: '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>' });
  assert.equal((await viaTunnel(n, material.cert, "handler=conf_xml", { localAddress: "127.201.0.10" })).connect, 403, "no CONFIG, no admin tunnel");
  assert.equal((await viaTunnel(n, material.cert, "handler=conf_xml", { localAddress: "127.201.0.10", authority: "example.com:443" })).connect, 502, "other hosts are not tunnelled");
  assert.equal((await viaTunnel(n, material.cert, "handler=conf_xml", { localAddress: "127.201.0.11", authority: "example.com:443" })).connect, 403, "no row: denied before anything else");
});

test("a node without a certificate answers CONNECT with 502", async (t) => {
  const n = await startTestNode(t);
  assert.equal((await viaTunnel(n, "", "handler=conf_xml")).connect, 502);
});
