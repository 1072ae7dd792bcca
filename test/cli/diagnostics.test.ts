/**
 * What the built CLI writes besides the report: --verbose (each admin call, node, handler,
 * status and time, on stderr, never a secret: a require-login lab whose password and Basic
 * encoding must appear nowhere, not in stdout, stderr or the run record), --quiet (stderr only
 * for warnings and errors), and values from the network printed safely: a hostile comment on
 * the master's allow row and a hostile MASTER_IP on a slave, with terminal escape sequences
 * and a bidi override, never reach the terminal raw (text shows them as visible escapes; the
 * JSON document escapes them, so it is safe to print and parses to the same value).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { admin } from "../helpers/admin.js";
import { accessOf, startFleet } from "../helpers/fleet.js";
import { assertNoEscapes, oneReport, runRecords } from "./helpers.js";

const SECRET = "s3cret-Verbose-pw";
const BASIC = Buffer.from(`fleet:${SECRET}`).toString("base64");
const JOIN = ["--yes", "--no-backup-to-cloud"];

test("--verbose: one stderr line per admin call (node, handler, status, time) and per read-back check, never the password or its Basic form", async (t) => {
  const f = await startFleet(t, { slaves: 1, requireLogin: true, password: SECRET });
  const r = await f.run(["apply", ...JOIN, "--verbose"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const calls = r.stderr.split("\n").filter((l) => /^(master|slave-1) +[a-z_]+ +/.test(l) && !/^\S+ +check /.test(l));
  const checks = r.stderr.split("\n").filter((l) => /^\S+ +check /.test(l));
  assert.ok(checks.some((l) => /^master +check +adding the slaves' allow row: read back: the change is in place$/.test(l)), r.stderr);
  assert.ok(checks.some((l) => /^slave-1 +check +MASTER_IP:MASTER_PORT \S+: read back: the change is in place$/.test(l)), r.stderr);
  assert.ok(checks.some((l) => /^slave-1 +check +its log since the restart: synced/.test(l)), r.stderr);
  assert.ok(calls.length >= 10, r.stderr);
  for (const l of calls) assert.match(l, /^(master|slave-1) +[a-z_]+ +(\d{3}|[a-z_]+) +\d+(ms|\.\d+s|s)( +\(retry \d+\))?$/, l);
  for (const handler of ["conf_xml", "safesquid_params", "configuration", "save", "safesquid_restart", "log"]) {
    assert.ok(calls.some((l) => new RegExp(` ${handler} `).test(l)), `the ${handler} call is shown`);
  }
  assert.doesNotMatch(r.stdout, /conf_xml +200/, "--verbose lines never on stdout");
  const global = await f.run(["-v", "verify"]);
  assert.match(global.stderr, /^slave-1 +conf_xml +200 /m, "-v before the command works too");

  const json = await f.run(["verify", "--verbose", "-o", "json"]);
  oneReport(json, "verify --verbose -o json");
  assert.match(json.stderr, /^master +conf_xml +200 /m, "with -o json the calls are on stderr, the document alone on stdout");

  const everything = [r.stdout, r.stderr, global.stdout, global.stderr, json.stdout, json.stderr, ...runRecords(f.dir).map((x) => x.text)].join("\n");
  assert.ok(runRecords(f.dir).length >= 1, "a run record was written");
  assert.ok(!everything.includes(SECRET), "the password appears nowhere");
  assert.ok(!everything.includes(BASIC), "nor its Basic encoding");
  assert.doesNotMatch(everything, /Proxy-Authorization|Basic [A-Za-z0-9+/=]{8,}/i);
});

test("--quiet: nothing on stderr but warnings and errors; the report unchanged on stdout", async (t) => {
  const f = await startFleet(t, { slaves: 1, requireLogin: true, password: SECRET });
  const loud = await f.run(["verify"]);
  const quiet = await f.run(["verify", "--quiet"]);
  assert.equal(quiet.code, 1);
  assert.match(loud.stderr, /verify: reading the slaves/);
  assert.equal(quiet.stderr, "", "no progress");
  assert.equal(quiet.stdout.replace(/\d+(\.\d+)?(ms|s)\b/g, "T"), loud.stdout.replace(/\d+(\.\d+)?(ms|s)\b/g, "T"), "the same report");
  const global = await f.run(["-q", "apply", ...JOIN]);
  assert.equal(global.code, 0, global.stdout);
  assert.equal(global.stderr, "");

  // A warning (a password file others may read) and an error still show.
  chmodSync(join(f.dir, "lab.password"), 0o644);
  const warned = await f.run(["verify", "--quiet"]);
  assert.match(warned.stderr, /^warning: .*lab\.password/m);
  assert.doesNotMatch(warned.stderr, /reading the/);
  const failed = await f.run(["join-slave", "--quiet", "--limit", "nope"]);
  assert.equal(failed.code, 2);
  assert.match(failed.stderr, /^error: --limit: no slave is named "nope"/m);
});

// Hostile but well-formed: a C1 CSI (U+009B, an escape sequence on 8-bit terminals) and a bidi
// override are XML characters. ESC and BEL are not: a document that carries them is refused.
const HOSTILE = "evil \u009b31mRED\u009b0m \u202eoverride\u202c end";
const HOSTILE_RAW = "evil \u001b[31mRED\u001b[0m \u001b]0;pwned\u0007 end";

const addSlaveRow = (f: Awaited<ReturnType<typeof startFleet>>, comment: string, ip: string) =>
  admin(
    f.lab.master,
    [
      ["handler", "configuration"], ["section", "access"], ["subsection", "allow"], ["action", "add"],
      ["F0", "TRUE"], ["F1", comment], ["F2", "FALSE"], ["F3", ""], ["F4", ""], ["F5", ""], ["F6", ip],
      ["F7", "FALSE"], ["F8", ""], ["F9", ""], ["F10_CONFIG", "on"], ["F12", ""], ["F13", ""], ["F14", "PROXY_SLAVES"], ["F15", ""],
    ],
    { localAddress: "127.0.0.1" },
  );

test("a hostile comment on the master's allow row is printed safely by allow --dry-run (text) and in -o json", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  // The row the tool manages is found by its user group: this one, with a comment set by someone else.
  const add = await addSlaveRow(f, HOSTILE, "10.99.0.1");
  assert.equal(add.status, 200);
  assert.doesNotMatch(add.body, /<error/, "added (the reply's shape is the dialect's)");
  assert.ok((await accessOf(f.lab)).allow.some((r) => r.values.comment === HOSTILE), "the comment is on the master as written");

  const r = await f.run(["allow", "--dry-run"], { env: { NO_COLOR: undefined } });
  assert.equal(r.code, 0, r.stderr);
  assertNoEscapes(r, "allow --dry-run");
  assert.ok(r.stdout.includes("\\x9b31mRED\\x9b0m"), `the escape is shown, not interpreted:\n${r.stdout}`);
  assert.ok(r.stdout.includes("\\u202eoverride"), "the bidi override is shown, not applied");

  const j = await f.run(["allow", "--dry-run", "-o", "json"]);
  const doc = oneReport(j, "allow --dry-run -o json");
  assert.equal(doc.nodes[0].row.before.comment, HOSTILE, "the JSON carries the value exactly");
  assert.doesNotMatch(j.stdout, /[\u001b\u009b\u202a-\u202e]/, "as escapes, never the raw characters");

  // Raw ESC and BEL make the master's document not well-formed: refused, and said safely.
  await addSlaveRow(f, HOSTILE_RAW, "10.99.0.2");
  const bad = await f.run(["allow", "--dry-run"], { env: { NO_COLOR: undefined } });
  assert.notEqual(bad.code, 0);
  assertNoEscapes(bad, "allow --dry-run on a document with ESC");
  assert.match(bad.stdout + bad.stderr, /character U\+001B is not allowed in XML/);
});

test("a hostile MASTER_IP on a slave is printed safely by verify and join-slave --dry-run (text, json, junit)", async (t) => {
  const f = await startFleet(t, {
    slaves: 2,
    nodes: {
      "slave-1": { startupParams: { MASTER_IP: "\u009b2J\u009b31m10.6.6.6\u202e", MASTER_PORT: "80\u009b0m" } },
      // ESC is no XML character: this slave's parameter document is refused.
      "slave-2": { startupParams: { MASTER_IP: "\u001b[2J\u001b[31m10.6.6.6", MASTER_PORT: "80" } },
    },
  });
  const v = await f.run(["verify"], { env: { NO_COLOR: undefined } });
  assert.equal(v.code, 1, v.stderr);
  assertNoEscapes(v, "verify");
  assert.ok(v.stdout.includes("\\x9b2J\\x9b31m10.6.6.6\\u202e"), v.stdout);
  const d = await f.run(["join-slave", "--dry-run", "--limit", "slave-1"], { env: { NO_COLOR: undefined } });
  assert.equal(d.code, 0, d.stderr);
  assertNoEscapes(d, "join-slave --dry-run");
  assert.ok(d.stdout.includes("\\x9b2J"), d.stdout);
  for (const o of ["json", "junit"]) {
    const r = await f.run(["verify", "-o", o]);
    assert.doesNotMatch(r.stdout, /[\u001b\u009b\u202e]/, `-o ${o}: no raw escape or override`);
    if (o !== "json") continue;
    const nodes = oneReport(r).nodes;
    assert.match(nodes[0].warnings.join(" "), /\u009b2J/, "the JSON value is exact");
    assert.match(nodes[1].error.message, /not well-formed XML \(character U\+001B is not allowed in XML/, "the slave with ESC is refused");
  }
});
