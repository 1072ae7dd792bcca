/**
 * loadInventory / parseInventory: files that cannot be read, hostile documents (huge, alias
 * bombs, deep nesting), normalisation (defaults per node, durations, advertise, relative paths),
 * warnings, and the shape of every formatted issue.
 */
import { mock, test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import { formatIssue, loadInventory } from "../../src/inventory/load.js";
import { parseInventory } from "../../src/inventory/parse.js";
import { minimal, tempDir } from "./helpers.js";

test("a missing file: one error naming the file, no line and column", async (t) => {
  const dir = tempDir(t);
  const r = await loadInventory(join(dir, "nope.yaml"));
  assert.equal(r.errors.length, 1);
  assert.equal(formatIssue(r.errors[0]!), `${join(dir, "nope.yaml")}: the inventory does not exist: an existing YAML file (see examples/inventory.yaml, or run: safesquid-fleet inventory init)`);
});

test("a relative file is read from opts.cwd and shown as given", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "inv.yaml"), minimal());
  const r = await loadInventory("inv.yaml", { cwd: dir });
  assert.equal(r.errors.length, 0);
  assert.equal(r.inventory?.file, join(dir, "inv.yaml"));
});

test("a folder, a device and a file that is not there are clear errors", async (t) => {
  const dir = tempDir(t);
  assert.equal((await loadInventory(dir)).errors[0]!.message, "the inventory is a folder, not an inventory file");
  assert.equal((await loadInventory("/dev/null")).errors[0]!.message, "the inventory is not a regular file");
  writeFileSync(join(dir, "f"), "x");
  assert.match((await loadInventory(join(dir, "f", "inv.yaml"))).errors[0]!.message, /^the inventory cannot be read \(ENOTDIR\)$/);
});

test("an unreadable file: permission denied, not a stack trace (the EACCES mapping, in-process)", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, "secret.yaml");
  writeFileSync(file, minimal());
  // The file system answers EACCES however privileged this process is (root reads any file).
  const denied = mock.method(fsp, "open", async () => {
    throw Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: "EACCES" });
  });
  syncBuiltinESMExports();
  try {
    const r = await loadInventory(file);
    assert.equal(formatIssue(r.errors[0]!), `${file}: the inventory cannot be read (permission denied): a file this user may read`);
  } finally {
    denied.mock.restore();
    syncBuiltinESMExports();
  }
});

test("an unreadable file, for real: mode 000 (not as root, who reads every file)", async (t) => {
  if (process.getuid?.() === 0) return t.skip("root reads a mode-000 file: the in-process test above covers the mapping");
  const dir = tempDir(t);
  const file = join(dir, "secret.yaml");
  writeFileSync(file, minimal());
  chmodSync(file, 0o000);
  const r = await loadInventory(file);
  assert.equal(formatIssue(r.errors[0]!), `${file}: the inventory cannot be read (permission denied): a file this user may read`);
});

test("a file over the size cap is refused before it is parsed", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, "huge.yaml");
  writeFileSync(file, minimal() + "#" + "x".repeat(1024 * 1024) + "\n");
  const r = await loadInventory(file);
  assert.match(r.errors[0]!.message, /^the inventory is too big \(\d+ bytes\)$/);
  assert.equal(r.errors[0]!.accepted, "an inventory of at most 1048576 bytes");
  assert.match(parseInventory(minimal(), "x.yaml", { maxBytes: 10 }).errors[0]!.message, /too big/);
});

test("an alias bomb is refused (billion laughs)", () => {
  let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let prev = "a";
  for (const l of "bcdefghi") {
    text += `${l}: &${l} [${Array(9).fill("*" + prev).join(",")}]\n`;
    prev = l;
  }
  const r = parseInventory(text, "bomb.yaml");
  assert.equal(r.errors.length, 1);
  assert.match(formatIssue(r.errors[0]!), /^bomb\.yaml:1:1: the inventory uses too many aliases/);
});

test("a wide alias fan-out is refused by the expanded size, before the schema walks it", () => {
  const big = Array.from({ length: 1000 }, (_, i) => `x${i}`).join(", ");
  const text = `big: &big [${big}]\nuse: [${Array(300).fill("*big").join(", ")}]\n`;
  const r = parseInventory(text, "fan.yaml");
  assert.equal(r.errors[0]!.message, "the inventory expands to more than 200000 values through aliases");
});

test("ordinary aliases work, and an error inside an alias points at the anchor", () => {
  const text = minimal("  - name: pune-2\n    host: 10.0.1.12\n    credentials: &c {username: fleet, passwordEnv: PW}\n  - name: pune-3\n    host: 10.0.1.13\n    credentials: *c\n");
  const r = parseInventory(text, "a.yaml");
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.inventory?.slaves[2]?.credentials?.password, { kind: "env", name: "PW" });
});

test("deep nesting is an error, not a crash", () => {
  const r = parseInventory("version: " + "[".repeat(20000) + "]".repeat(20000) + "\n", "deep.yaml");
  assert.equal(r.errors[0]!.message, "the document is nested too deeply");
});

test("odd documents never throw: each gives errors", () => {
  for (const text of ["\u0000", "{", "~", "---\n", "[]", "a: !!binary x\n", "%YAML 1.1\n---\nversion: yes\n", "\uFEFF", "? [a, b]\n: c\n"]) {
    const r = parseInventory(text, "odd.yaml");
    assert.ok(r.errors.length > 0, JSON.stringify(text));
  }
});

test("a YAML warning (unknown tag) is passed on as a warning", () => {
  const r = parseInventory(minimal("allowList: {userGroup: !group PROXY_SLAVES}\n"), "w.yaml");
  assert.deepEqual(r.errors, []);
  assert.equal(formatIssue(r.warnings[0]!), "w.yaml:8:24: YAML: Unresolved tag: !group");
});

test("the smallest inventory gets every default", () => {
  const r = parseInventory(minimal(), "/srv/fleet/inv.yaml");
  assert.deepEqual(r.errors, []);
  const inv = r.inventory!;
  assert.equal(inv.file, "/srv/fleet/inv.yaml");
  assert.deepEqual(inv.master, { name: "hq", role: "master", host: "10.0.0.10", port: 8080, transport: "proxy", timeoutMs: 10_000, pos: { line: 3, column: 3 }, advertise: { ip: "10.0.0.10", port: 8080 } });
  assert.deepEqual(inv.slaves, [{ role: "slave", name: "pune-1", host: "10.0.1.11", port: 8080, transport: "proxy", timeoutMs: 10_000, pos: { line: 6, column: 5 } }]);
  assert.deepEqual(inv.allowList, { userGroup: "PROXY_SLAVES" });
  assert.deepEqual(inv.sync, {});
});

test("defaults apply per node; a node's own values win; credentials replace as a whole", () => {
  const text = `version: 1
defaults:
  port: 3128
  transport: direct
  timeout: 500ms
  credentials: {username: fleet, passwordEnv: FLEET_PW}
  caFile: certs/ca.pem
master:
  name: hq
  host: hq.example.net
  port: 8443
  transport: https
  timeout: 2m
  advertise: {port: 9000}
slaves:
  - {name: a, host: 10.0.1.11, timeout: 1m30s, credentials: {username: other, passwordFile: pw/a.txt}}
  - {name: b, host: 10.0.1.12, sourceIp: 10.0.9.12, caFile: /etc/ssl/b.pem, transport: https}
allowList: {userGroup: FLEET}
sync: {sections: [access, profiles]}
`;
  const r = parseInventory(text, "/srv/fleet/inv.yaml");
  assert.deepEqual(r.errors, []);
  const { master, slaves, allowList, sync } = r.inventory!;
  assert.equal(master.port, 8443);
  assert.equal(master.transport, "https");
  assert.equal(master.timeoutMs, 120_000);
  assert.deepEqual(master.advertise, { ip: "hq.example.net", port: 9000 });
  assert.deepEqual(master.credentials, { username: "fleet", password: { kind: "env", name: "FLEET_PW" }, pos: { line: 6, column: 47 }, field: "defaults.credentials.passwordEnv" });
  assert.equal(master.caFile, "/srv/fleet/certs/ca.pem");
  assert.equal(slaves[0]!.port, 3128);
  assert.equal(slaves[0]!.transport, "direct");
  assert.equal(slaves[0]!.timeoutMs, 90_000);
  assert.deepEqual(slaves[0]!.credentials?.password, { kind: "file", path: "/srv/fleet/pw/a.txt" });
  assert.equal(slaves[0]!.credentials?.username, "other");
  assert.equal(slaves[1]!.timeoutMs, 500);
  assert.equal(slaves[1]!.sourceIp, "10.0.9.12");
  assert.equal(slaves[1]!.caFile, "/etc/ssl/b.pem");
  assert.deepEqual(allowList, { userGroup: "FLEET" });
  assert.deepEqual(sync, { sections: ["access", "profiles"] });
  assert.deepEqual(r.warnings.map(formatIssue), []);
});

test("warnings: caFile without https, a section SafeSquid does not know", () => {
  const r = parseInventory(minimal("    caFile: ca.pem\nsync:\n  sections: [access, profils]\n"), "w.yaml");
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.warnings.map(formatIssue), [
    "w.yaml:8:13: caFile is set but this node's transport is proxy (slaves[0].caFile): caFile is only read for transport https",
    "w.yaml:10:22: \"profils\" is not a section SafeSquid 2023.10 knows (sync.sections[1]): a section such as access, cache, clamav, cookies-filtering, dlp, dnsbl, elevated, external...",
  ]);
});

test("formatIssue: FILE:LINE:COL: message (path): accepted, each part only when known", () => {
  const base = { file: "f.yaml", line: 3, column: 7, path: "slaves[0].host", message: "bad host" };
  assert.equal(formatIssue({ ...base, accepted: "a host" }), "f.yaml:3:7: bad host (slaves[0].host): a host");
  assert.equal(formatIssue(base), "f.yaml:3:7: bad host (slaves[0].host)");
  assert.equal(formatIssue({ ...base, path: "" }), "f.yaml:3:7: bad host");
  assert.equal(formatIssue({ ...base, line: 0, column: 0, path: "" }), "f.yaml: bad host");
});

test("every error of one run is reported, sorted by position", () => {
  const text = "version: 3\nmaster: {name: 'a b', host: 'x/1'}\nslaves:\n  - {name: s, host: 10.0.1.1, port: 0}\n  - {name: S, host: 10.0.1.1, port: 0}\n";
  const r = parseInventory(text, "all.yaml");
  assert.deepEqual(r.errors.map((e) => `${e.line}:${e.column} ${e.path}`), [
    "1:10 version",
    "2:16 master.name",
    "2:29 master.host",
    "4:37 slaves[0].port",
    "5:12 slaves[1].name",
    "5:37 slaves[1].port",
  ]);
  // slaves[0] and [1] share a host, but their ports are invalid: no clash is claimed on an unknown port.
});
