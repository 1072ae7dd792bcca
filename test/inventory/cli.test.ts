/**
 * `safesquid-fleet inventory validate` and `inventory init`, spawned from the built CLI
 * (`npm run build` first; `npm test` does it): stdout, stderr and exit code, text and json.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assertBuilt } from "../helpers/cli.js";
import { tempDir } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/safesquid-fleet.js");
const EXAMPLE = join(ROOT, "examples/inventory.yaml");
const CORPUS = join(ROOT, "test/inventory/corpus");

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): { code: number | null; stdout: string; stderr: string } {
  assertBuilt();
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", NO_COLOR: "1", CI: "1", ...opts.env };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("validate (text): the normalised fleet on stdout, warnings on stderr, exit 0", () => {
  const r = cli(["inventory", "validate", "-i", "examples/inventory.yaml"], { env: { SAFESQUID_PASSWORD: "topsecret-xyz" } });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.equal(lines[0], "inventory examples/inventory.yaml: valid, 1 master, 3 slaves");
  assert.match(lines[2]!, /^NAME +ROLE +HOST:PORT +TRANSPORT +TIMEOUT +ADDRESS +CREDENTIALS +MASTER_IP:MASTER_PORT$/);
  assert.match(lines[3]!, /^hq +master +10\.0\.0\.10:8080 +proxy +15s +10\.0\.0\.10 +fleet \(env SAFESQUID_PASSWORD\) +advertises 10\.0\.0\.10:8080$/);
  assert.match(lines[5]!, /^pune-2 +slave +10\.0\.1\.12:8080 +proxy +10s +10\.0\.1\.12 +fleet \(env SAFESQUID_PASSWORD\) +10\.0\.0\.10:8080$/);
  assert.match(lines[6]!, /^mumbai-1 +slave +mumbai-1\.example\.net:3128 +https +30s +will be resolved +fleet-mumbai \(file \S+secrets\/mumbai\.pw\) +10\.0\.0\.10:8080$/);
  assert.ok(r.stdout.includes("slaves get MASTER_IP=10.0.0.10 MASTER_PORT=8080\n"));
  assert.ok(r.stdout.includes("allow row on hq: user group PROXY_SLAVES, addresses 10.0.1.11, 10.0.1.99, mumbai-1 (will be resolved)\n"));
  assert.equal(r.stderr, `warning: examples/inventory.yaml:43:21: password file ${join(ROOT, "examples/secrets/mumbai.pw")} does not exist (slaves[2].credentials.passwordFile): a file holding the password, chmod 600\n`);
  assert.doesNotMatch(r.stdout + r.stderr, /topsecret-xyz/);
});

test("validate -o json: one document, secrets never included", () => {
  const r = cli(["inventory", "validate", "-i", "examples/inventory.yaml", "-o", "json"], { env: { SAFESQUID_PASSWORD: "topsecret-xyz" } });
  assert.equal(r.code, 0);
  assert.equal(r.stderr, "");
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.command, "inventory validate");
  assert.equal(doc.ok, true);
  assert.equal(doc.inventory.master.name, "hq");
  assert.deepEqual(doc.inventory.master.advertise, { ip: "10.0.0.10", port: 8080 });
  assert.deepEqual(doc.nodes.map((n: { name: string; role: string; status: string; address: string | null }) => [n.name, n.role, n.status, n.address]), [
    ["hq", "master", "valid", "10.0.0.10"],
    ["pune-1", "slave", "valid", "10.0.1.11"],
    ["pune-2", "slave", "valid", "10.0.1.12"],
    ["mumbai-1", "slave", "valid", null],
  ]);
  assert.equal(doc.nodes[2].allowAs, "10.0.1.99");
  assert.equal(doc.nodes[1].masterIp, "10.0.0.10");
  assert.deepEqual(doc.errors, []);
  assert.equal(doc.warnings.length, 1);
  assert.doesNotMatch(r.stdout, /topsecret-xyz/);
});

test("validate (text) of a broken inventory: every error as FILE:LINE:COL on stderr, nothing on stdout, exit 2", () => {
  const r = cli(["inventory", "validate", "-i", join(CORPUS, "32-host-invalid.yaml")]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  const f = join(CORPUS, "32-host-invalid.yaml");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines[0], `error: ${f}: 4 errors in the inventory; nothing was touched`);
  assert.match(lines[1]!, new RegExp(`^  ${f.replace(/[.]/g, "\\.")}:4:9: "10\\.0\\.0\\.300" is not a valid IPv4 address \\(master\\.host\\): an IP address`));
  assert.match(lines[4]!, /:11:11: host is empty \(slaves\[2\]\.host\)/);
  assert.equal(lines[5], `  fix them, then check with: safesquid-fleet inventory validate -i ${f}`);
});

test("validate -o json of a broken inventory: the errors in the document, exit 2", () => {
  const r = cli(["inventory", "validate", "-i", join(CORPUS, "16-inline-password.yaml"), "-o", "json"]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "");
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.ok, false);
  assert.equal(doc.inventory, null);
  assert.deepEqual(doc.nodes, []);
  assert.deepEqual(doc.errors.map((e: { line: number; column: number; path: string; message: string }) => [e.line, e.column, e.path, e.message]), [
    [5, 5, "defaults.credentials.password", "an inline password is not allowed"],
  ]);
  assert.match(doc.errors[0].text, /:5:5: an inline password is not allowed \(defaults\.credentials\.password\): use passwordEnv/);
  assert.doesNotMatch(r.stdout, /s3cret-value/);
});

test("lookup order: --inventory, else $SAFESQUID_FLEET_INVENTORY, else ./safesquid-fleet.yaml", (t) => {
  const dir = tempDir(t);
  const none = cli(["inventory", "validate"], { cwd: dir });
  assert.equal(none.code, 2);
  assert.equal(none.stderr, [
    "error: no inventory: safesquid-fleet.yaml does not exist (the default: no --inventory, no SAFESQUID_FLEET_INVENTORY)",
    "  pass --inventory FILE, set SAFESQUID_FLEET_INVENTORY, or create safesquid-fleet.yaml (safesquid-fleet inventory init, or copy examples/inventory.yaml)",
    "",
  ].join("\n"));
  // Given with -i (or the variable), the file is the one to check or create: no "pass --inventory FILE".
  const flag = cli(["verify", "-i", "missing.yaml"], { cwd: dir });
  assert.equal(flag.code, 2);
  assert.equal(flag.stderr, [
    "error: no inventory: missing.yaml does not exist (from --inventory)",
    "  check the path (relative paths start from the current folder), or create it: safesquid-fleet inventory init -i missing.yaml (or copy examples/inventory.yaml)",
    "",
  ].join("\n"));
  const env = cli(["inventory", "validate"], { cwd: dir, env: { SAFESQUID_FLEET_INVENTORY: "my fleet.yaml" } });
  assert.equal(env.code, 2);
  assert.match(env.stderr, /^error: no inventory: my fleet\.yaml does not exist \(from SAFESQUID_FLEET_INVENTORY\)\n  check SAFESQUID_FLEET_INVENTORY \(it names my fleet\.yaml\), pass --inventory FILE, or create it: safesquid-fleet inventory init -i 'my fleet\.yaml'/);
  copyFileSync(EXAMPLE, join(dir, "safesquid-fleet.yaml"));
  assert.match(cli(["inventory", "validate"], { cwd: dir }).stdout, /^inventory safesquid-fleet\.yaml: valid/);
  writeFileSync(join(dir, "env.yaml"), readFileSync(EXAMPLE, "utf8").replace("name: hq", "name: from-env"));
  const viaEnv = cli(["inventory", "validate", "-o", "json"], { cwd: dir, env: { SAFESQUID_FLEET_INVENTORY: "env.yaml" } });
  assert.equal(JSON.parse(viaEnv.stdout).inventory.master.name, "from-env");
  const viaFlag = cli(["inventory", "validate", "-o", "json", "-i", "safesquid-fleet.yaml"], { cwd: dir, env: { SAFESQUID_FLEET_INVENTORY: "env.yaml" } });
  assert.equal(JSON.parse(viaFlag.stdout).inventory.master.name, "hq");
});

test("--check-secrets: a missing password variable is an error (exit 2), not a warning", (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "inv.yaml"), "version: 1\ndefaults:\n  credentials: {username: fleet, passwordEnv: FLEET_PW}\nmaster: {name: hq, host: 10.0.0.10}\nslaves: [{name: a, host: 10.0.1.1}]\n");
  const warn = cli(["inventory", "validate", "-i", "inv.yaml"], { cwd: dir });
  assert.equal(warn.code, 0);
  assert.equal(warn.stderr, "warning: inv.yaml:3:47: environment variable FLEET_PW is not set (defaults.credentials.passwordEnv): set it where the fleet commands run\n");
  const strict = cli(["inventory", "validate", "-i", "inv.yaml", "--check-secrets"], { cwd: dir });
  assert.equal(strict.code, 2);
  assert.match(strict.stderr, /^error: inv\.yaml: 1 error in the inventory; nothing was touched\n  inv\.yaml:3:47: environment variable FLEET_PW is not set/);
  assert.equal(cli(["inventory", "validate", "-i", "inv.yaml", "--check-secrets"], { cwd: dir, env: { FLEET_PW: "x" } }).code, 0);
});

test("--resolve: host names are looked up now", (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "inv.yaml"), "version: 1\nmaster: {name: hq, host: 10.0.0.10}\nslaves: [{name: a, host: localhost}]\n");
  const r = cli(["inventory", "validate", "-i", "inv.yaml", "--resolve", "-o", "json"], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(JSON.parse(r.stdout).nodes[1].address, /^(127\.\d+\.\d+\.\d+|::1)$/);
});

test("--resolve with a name that does not resolve: the first line does not say 'valid', exit 1", (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "inv.yaml"), "version: 1\nmaster: {name: hq, host: 10.0.0.10}\nslaves: [{name: a, host: nowhere.invalid}, {name: b, host: 10.0.1.2}]\n");
  const r = cli(["inventory", "validate", "-i", "inv.yaml", "--resolve"], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  const first = r.stdout.split("\n")[0]!;
  assert.equal(first, "inventory inv.yaml: the file is valid (1 master, 2 slaves), but 1 host name does not resolve");
  assert.match(r.stdout, /^a +slave +nowhere\.invalid:8080 .* does not resolve /m);
  assert.match(r.stdout, /addresses a \(does not resolve\), 10\.0\.1\.2\n/);
  assert.equal(r.stderr, "error: a: host name nowhere.invalid does not resolve\n");
  // Without --resolve the name is not looked up: valid, exit 0.
  const plain = cli(["inventory", "validate", "-i", "inv.yaml"], { cwd: dir });
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^inventory inv\.yaml: valid, 1 master, 2 slaves\n/);
});

test("init without a terminal: no question, exit 2, which file or flags to use instead", (t) => {
  const dir = tempDir(t);
  const r = cli(["inventory", "init"], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^error: inventory init asks questions, and there is no terminal to ask them on \(or CI is set\)\n  copy \S+examples\/inventory\.yaml to safesquid-fleet\.yaml and edit it, or pass --master/);
  assert.equal(existsSync(join(dir, "safesquid-fleet.yaml")), false);
});

test("init from flags writes a file that validates; an existing file needs --yes", (t) => {
  const dir = tempDir(t);
  const args = ["inventory", "init", "-i", "fleet.yaml", "--master", "hq=10.0.0.10", "--slaves", "pune-1=10.0.1.11,10.0.1.12", "--password-env", "FLEET_PW"];
  const r = cli(args, { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "wrote fleet.yaml: 1 master, 2 slaves\nnext: safesquid-fleet inventory validate -i fleet.yaml\n");
  const v = cli(["inventory", "validate", "-i", "fleet.yaml", "-o", "json"], { cwd: dir, env: { FLEET_PW: "x" } });
  assert.deepEqual(JSON.parse(v.stdout).nodes.map((n: { name: string }) => n.name), ["hq", "pune-1", "slave-2"]);
  const again = cli(args, { cwd: dir });
  assert.equal(again.code, 2);
  assert.equal(again.stderr, "error: fleet.yaml already exists\n  pass --yes to overwrite it, or -i OTHER_FILE\n");
  assert.equal(cli([...args, "--yes"], { cwd: dir }).code, 0);
});
