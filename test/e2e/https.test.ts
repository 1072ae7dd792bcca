/**
 * The https transport end to end: the tool reaches every node through `CONNECT
 * safesquid.cfg:443` and verifies the node's certificate against the inventory's caFile;
 * without the right CA it refuses, saying what to set (verification is never turned off).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startFleet } from "../helpers/fleet.js";
import { makeCert } from "../helpers/tls.js";

test("apply over https with the node's CA; without it, a TLS error that names caFile", async (t) => {
  const cert = makeCert(t);
  if (!cert) return;
  const f = await startFleet(t, { slaves: 1, tls: { key: cert.key, cert: cert.cert } }, (inv) => {
    inv.defaults.transport = "https";
    inv.defaults.caFile = cert.certFile;
  });
  const r = await f.json(["apply", "--yes", "--no-backup-to-cloud", "--verbose"]);
  assert.equal(r.r.code, 0, r.r.stdout + r.r.stderr);
  assert.equal(r.report.nodes[1].status, "in_sync");

  const untrusted = await startFleet(t, { slaves: 1, tls: { key: cert.key, cert: cert.cert } }, (inv) => {
    inv.defaults.transport = "https";
  });
  const bad = await untrusted.json(["verify"]);
  assert.equal(bad.r.code, 1);
  assert.equal(bad.report.error.code, "TLS");
  assert.match(bad.report.error.message, /cannot verify the certificate of master/);
  assert.match(bad.report.error.hint, /caFile/);
});
