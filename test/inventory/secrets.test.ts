/**
 * Passwords: from the environment or a file, read only when needed; a missing one is a
 * CREDENTIALS error (exit 2) naming the variable or path and never a value; a file others may
 * read gets a warning; on a terminal a missing one may be asked for, never otherwise.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { inspect } from "node:util";
import { join } from "node:path";
import { exitCodeFor, FleetError } from "../../src/errors.js";
import { parseInventory } from "../../src/inventory/parse.js";
import { checkSecrets, PASSWORD_TRIES, resolveCredentials, RunPasswords } from "../../src/inventory/secrets.js";
import type { Inventory, NodeSpec } from "../../src/inventory/types.js";
import { Secret } from "../../src/util/secret.js";
import { tempDir } from "./helpers.js";

function inventory(dir: string, credentials: string): Inventory {
  const text = `version: 1\ndefaults:\n  credentials: ${credentials}\nmaster: {name: hq, host: 10.0.0.10}\nslaves: [{name: pune-1, host: 10.0.1.11}]\n`;
  const r = parseInventory(text, join(dir, "inv.yaml"));
  assert.deepEqual(r.errors, []);
  return r.inventory!;
}

async function credError(p: Promise<unknown>): Promise<FleetError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof FleetError);
    return e;
  }
  assert.fail("no error");
}

test("passwordEnv: read from the environment, kept in a Secret that never prints", async (t) => {
  const inv = inventory(tempDir(t), "{username: fleet, passwordEnv: FLEET_PW}");
  const c = await resolveCredentials(inv.master, { env: { FLEET_PW: "p@ss word" }, interactive: false });
  assert.equal(c?.username, "fleet");
  assert.equal(c?.password.reveal(), "p@ss word");
  assert.equal(c?.password.source, "env FLEET_PW");
  assert.doesNotMatch(`${String(c?.password)} ${JSON.stringify(c)} ${inspect(c)}`, /p@ss word/);
});

test("a node without credentials needs none", async () => {
  const node = { name: "x", role: "slave", host: "h", port: 1, transport: "proxy", timeoutMs: 1 } as NodeSpec;
  assert.equal(await resolveCredentials(node, { env: {}, interactive: false }), undefined);
});

test("a missing or empty variable: CREDENTIALS (exit 2) naming the variable, never a value", async (t) => {
  const inv = inventory(tempDir(t), "{username: fleet, passwordEnv: FLEET_PW}");
  const e = await credError(resolveCredentials(inv.slaves[0]!, { env: { OTHER: "s3cret" }, interactive: false }));
  assert.equal(e.code, "CREDENTIALS");
  assert.equal(exitCodeFor(e.code), 2);
  assert.equal(e.message, "pune-1: environment variable FLEET_PW is not set");
  assert.equal(e.node, "pune-1");
  assert.match(e.hint ?? "", /export FLEET_PW=\.\.\./);
  const empty = await credError(resolveCredentials(inv.slaves[0]!, { env: { FLEET_PW: "" }, interactive: false }));
  assert.equal(empty.message, "pune-1: environment variable FLEET_PW is empty");
});

test("passwordFile: read, trailing newline trimmed, a private file gives no warning", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "pw"), "file-secret\n", { mode: 0o600 });
  chmodSync(join(dir, "pw"), 0o600);
  const inv = inventory(dir, "{username: fleet, passwordFile: pw}");
  const warnings: string[] = [];
  const c = await resolveCredentials(inv.master, { env: {}, interactive: false, warn: (m) => warnings.push(m) });
  assert.equal(c?.password.reveal(), "file-secret");
  assert.equal(c?.password.source, `file ${join(dir, "pw")}`);
  assert.deepEqual(warnings, []);
});

test("a password file others may read: a warning naming the path and chmod 600", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "pw"), "file-secret\r\n");
  chmodSync(join(dir, "pw"), 0o644);
  const inv = inventory(dir, "{username: fleet, passwordFile: pw}");
  const warnings: string[] = [];
  const c = await resolveCredentials(inv.master, { env: {}, interactive: false, warn: (m) => warnings.push(m) });
  assert.equal(c?.password.reveal(), "file-secret");
  assert.deepEqual(warnings, [`password file ${join(dir, "pw")} can be read by other users (mode 0644): run chmod 600 ${join(dir, "pw")}`]);
});

test("a missing or empty password file: CREDENTIALS naming the path, never the content", async (t) => {
  const dir = tempDir(t);
  const inv = inventory(dir, "{username: fleet, passwordFile: missing.pw}");
  const e = await credError(resolveCredentials(inv.master, { env: {}, interactive: false }));
  assert.equal(e.code, "CREDENTIALS");
  assert.equal(e.message, `hq: password file ${join(dir, "missing.pw")} does not exist`);
  writeFileSync(join(dir, "missing.pw"), "\n", { mode: 0o600 });
  const empty = await credError(resolveCredentials(inv.master, { env: {}, interactive: false }));
  assert.equal(empty.message, `hq: password file ${join(dir, "missing.pw")} is empty`);
});

test("on a terminal a missing password is asked for (once per source with a cache); never without one", async (t) => {
  const inv = inventory(tempDir(t), "{username: fleet, passwordEnv: FLEET_PW}");
  const asked: string[] = [];
  const cache = new Map<string, Secret>();
  const ask = async (message: string): Promise<string> => {
    asked.push(message);
    return "typed-secret";
  };
  const a = await resolveCredentials(inv.master, { env: {}, interactive: true, ask, cache });
  const b = await resolveCredentials(inv.slaves[0]!, { env: {}, interactive: true, ask, cache });
  assert.equal(a?.password.reveal(), "typed-secret");
  assert.equal(b?.password, a?.password);
  assert.deepEqual(asked, ["fleet on hq (environment variable FLEET_PW is not set)"]);
  const never = async (): Promise<string> => assert.fail("asked without a terminal");
  await credError(resolveCredentials(inv.master, { env: {}, interactive: false, ask: never }));
  // An empty answer is no password: the original error stands.
  const e = await credError(resolveCredentials(inv.master, { env: {}, interactive: true, ask: async () => "" }));
  assert.equal(e.message, "hq: environment variable FLEET_PW is not set");
});

test("checkSecrets: what is missing (without reading any secret), and loose file modes", async (t) => {
  const dir = tempDir(t);
  const env = inventory(dir, "{username: fleet, passwordEnv: FLEET_PW}");
  const missing = checkSecrets(env, {}, "inv.yaml");
  assert.deepEqual(missing.problems.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`), [
    "inv.yaml:3:47 defaults.credentials.passwordEnv: environment variable FLEET_PW is not set",
  ]);
  assert.deepEqual(checkSecrets(env, { FLEET_PW: "x" }).problems, []);
  writeFileSync(join(dir, "pw"), "x");
  chmodSync(join(dir, "pw"), 0o640);
  const file = inventory(dir, "{username: fleet, passwordFile: pw}");
  const r = checkSecrets(file, {});
  assert.deepEqual(r.problems, []);
  assert.match(r.warnings[0]!.message, /can be read by other users \(mode 0640\): run chmod 600/);
  const gone = checkSecrets(inventory(dir, "{username: fleet, passwordFile: nope}"), {});
  assert.equal(gone.problems[0]!.message, `password file ${join(dir, "nope")} does not exist`);
});

test("a typed password the node refuses is asked again, one question at a time, up to 3 tries in all; one read from the environment never", async (t) => {
  const inv = inventory(tempDir(t), "{username: fleet, passwordEnv: FLEET_PW}");
  const asked: string[] = [];
  const answers = ["first", "second", "third", "fourth"];
  const ask = async (message: string): Promise<string> => (asked.push(message), answers.shift()!);
  const book = new RunPasswords({ env: {}, interactive: true, ask });
  const first = (await book.read(inv.master))!;
  assert.equal(first.password.typed, true);
  // The master and a slave meet the refusal together: one question, both get its answer.
  const [a, b] = await Promise.all([book.again(inv.master, first), book.again(inv.slaves[0]!, first)]);
  assert.equal(a?.password.reveal(), "second");
  assert.equal(b?.password, a?.password);
  const c = await book.again(inv.master, a!);
  assert.equal(c?.password.reveal(), "third");
  assert.equal(await book.again(inv.master, c!), undefined, "three tries in all");
  assert.deepEqual(asked, [
    "fleet on hq (environment variable FLEET_PW is not set)",
    "fleet on hq (not accepted; try 2 of 3)",
    "fleet on hq (not accepted; try 3 of 3)",
  ]);
  assert.equal(PASSWORD_TRIES, 3);

  const never = async (): Promise<string> => assert.fail("a password from the environment is not asked again");
  const fromEnv = new RunPasswords({ env: { FLEET_PW: "stale" }, interactive: true, ask: never });
  const stale = (await fromEnv.read(inv.master))!;
  assert.equal(stale.password.typed, false);
  assert.equal(await fromEnv.again(inv.master, stale), undefined);
});
