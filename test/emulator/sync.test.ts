/**
 * Slave mode (docs/protocol.md "The sync log"): the slave pulls from its OWN address in the proxy form,
 * with If-Modified-Since after the first success and no credentials; replaces every section
 * but NEVER_SYNC (ALWAYS_SYNC overrides), keeps slave-only sections and unique ids, applies
 * without a restart, persists; and writes the vendor's log lines, failures included.
 * A recording master (a plain node:http server) checks the slave's requests byte by byte.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import { admin, openLog } from "../helpers/admin.js";
import { randomBase, restarted, startTestNode } from "../helpers/lab.js";
import { ids, sectionTexts } from "../helpers/sections.js";
import { policyDoc, section } from "../helpers/policy-doc.js";

const local = { localAddress: "127.0.0.1" };
const LAST_MODIFIED = "Wed, 11 Oct 2023 14:21:00 GMT";

const MASTER_DOC = policyDoc(
  [{ ip: "127.0.0.1", access: "CONFIG" }],
  [],
  "DENY",
  section("cache", "<enabled>TRUE</enabled>") +
    section("network", "<dns_servers>10.20.0.53</dns_servers>", '<server id="2">', "    <name>from master</name>", "</server>") +
    section("profiles", '<profile id="3">', "    <comment>only on the master</comment>", "</profile>"),
);

const SLAVE_DOC = policyDoc(
  [{ ip: "127.0.0.1", access: "CONFIG" }],
  [],
  "DENY",
  section("cache", "<enabled>FALSE</enabled>", '<store id="2">', "    <path>/slave/cache</path>", "</store>") +
    section("network", "<dns_servers>8.8.8.8</dns_servers>") +
    section("local_only", '<thing id="3">', "    <name>slave own</name>", "</thing>"),
);

interface Seen {
  line: string;
  headers: http.IncomingHttpHeaders;
  remote: string;
  body: string;
}

/** A master that records each request and serves MASTER_DOC, 304 when If-Modified-Since matches. */
async function recordingMaster(t: TestContext, doc = MASTER_DOC): Promise<{ host: string; port: number; seen: Seen[]; server: http.Server }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ line: `${req.method} ${req.url} HTTP/${req.httpVersion}`, headers: req.headers, remote: req.socket.remoteAddress ?? "", body });
      if (req.headers["if-modified-since"] === LAST_MODIFIED) return void res.writeHead(304).end();
      res.writeHead(200, { "Content-Type": "text/xml", "Last-Modified": LAST_MODIFIED }).end(doc);
    });
  });
  const host = randomBase();
  await new Promise<void>((r) => server.listen(0, host, r));
  t.after(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  return { host, port: (server.address() as { port: number }).port, seen, server };
}

function slaveOf(t: TestContext, m: { host: string; port: number }, params: Record<string, string> = {}) {
  return startTestNode(t, {
    name: "slave",
    files: { config: SLAVE_DOC, startupParams: { MASTER_IP: m.host, MASTER_PORT: String(m.port), SYNCTIME: "0.2", ...params } },
  });
}

test("the slave pulls from its own address, proxy form, no credentials, If-Modified-Since after the first success", async (t) => {
  const m = await recordingMaster(t);
  const s = await slaveOf(t, m);
  await s.waitForLog(/no changes/);
  const [first, second] = m.seen;
  assert.equal(first!.line, "POST http://safesquid.cfg/ HTTP/1.1");
  assert.equal(first!.headers.host, "safesquid.cfg");
  assert.equal(first!.body, "handler=conf_xml");
  assert.equal(first!.remote, s.host, "sent from the slave's own address");
  assert.equal(first!.headers["proxy-authorization"], undefined);
  assert.equal(first!.headers["if-modified-since"], undefined);
  assert.equal(second!.headers["if-modified-since"], LAST_MODIFIED);
  assert.equal(second!.remote, s.host);
});

test("sections replaced but NEVER_SYNC; slave-only sections kept; ids unique; vendor log lines", async (t) => {
  const m = await recordingMaster(t);
  const s = await slaveOf(t, m);
  const log = await openLog(s, local);
  t.after(() => log.close());
  const target = `${m.host}:${m.port}`;
  const stamp = String.raw`\d{4} \d{2} \d{2} \d{2}:\d{2}:\d{2}\.\d{3} \[[^\]]+\]`;
  await log.waitFor(new RegExp(`^${stamp} sync: config_sync:80 synchronizing with ${target.replace(/\./g, "\\.")}$`));
  for (const sec of ["access", "network", "profiles"]) await log.waitFor(new RegExp(`^${stamp} sync: config_sync:104 synchronized section: ${sec}$`));
  await log.waitFor(/sync: config_sync:\d+ no changes on .* since the last synchronization$/);
  assert.ok(!log.lines.some((l) => /synchronized section: cache/.test(l)), "cache is in NEVER_SYNC");
  const doc = (await admin(s, "handler=conf_xml", local)).body;
  const got = sectionTexts(doc);
  const want = sectionTexts(MASTER_DOC);
  assert.equal(got.get("network"), want.get("network"));
  assert.equal(got.get("profiles"), want.get("profiles"));
  assert.equal(got.get("cache"), sectionTexts(SLAVE_DOC).get("cache"), "NEVER_SYNC keeps the slave's cache");
  assert.equal(got.get("local_only"), sectionTexts(SLAVE_DOC).get("local_only"), "slave-only sections are kept");
  assert.equal(new Set(ids(doc)).size, ids(doc).length, `ids unique: ${ids(doc)}`);
  assert.equal(s.restarts, 0, "applied without a restart");
});

test("ALWAYS_SYNC wins over NEVER_SYNC; NEVER_SYNC can hold several sections", async (t) => {
  const m = await recordingMaster(t);
  const s = await slaveOf(t, m, { NEVER_SYNC: "cache,network", ALWAYS_SYNC: "cache" });
  await s.waitForLog(/no changes/);
  const got = sectionTexts((await admin(s, "handler=conf_xml", local)).body);
  assert.equal(got.get("cache"), sectionTexts(MASTER_DOC).get("cache"));
  assert.equal(got.get("network"), sectionTexts(SLAVE_DOC).get("network"));
  assert.ok(s.log.lines().some((l) => /synchronized section: cache$/.test(l)));
  assert.ok(!s.log.lines().some((l) => /synchronized section: network$/.test(l)));
});

test("what was synchronized is persisted: a restart with the master gone keeps it", async (t) => {
  const m = await recordingMaster(t);
  const s = await slaveOf(t, m);
  await s.waitForLog(/synchronized section: network/);
  assert.match(readFileSync(s.folder.configFile, "utf8"), /from master/);
  assert.equal(s.folder.backups().length, 0, "a sync is not a save: no backup");
  m.server.closeAllConnections();
  await new Promise<void>((r) => m.server.close(() => r()));
  await admin(s, "handler=safesquid_restart", local);
  await restarted(s);
  await s.waitForLog(/failed to synchronize with .*: connection refused$/, { newOnly: true });
  assert.match((await admin(s, "handler=conf_xml", local)).body, /from master/);
});

test("a master answering something else than a document: the failure line says so", async (t) => {
  const m = await recordingMaster(t, '<error message="nope"/>');
  const s = await slaveOf(t, m);
  const line = await s.waitForLog(/failed to synchronize/);
  assert.match(line, /sync: config_sync:90 failed to synchronize with [\d.]+:\d+: bad document: /);
});
