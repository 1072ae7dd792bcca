/**
 * `safesquid-fleet lab` as a process (docs/lab.md): it writes the inventory once every node
 * answers, answers curl-style admin requests, stops cleanly on SIGTERM and SIGINT (exit 0),
 * never prints the password, and refuses a port in use with a clear message (exit 2).
 * Run from the sources through tsx, so the test does not depend on a build in dist/.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { admin } from "../helpers/admin.js";
import { randomBase, until } from "../helpers/lab.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function runLab(t: TestContext, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "lab", ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", SAFESQUID_LAB_PASSWORD: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d) => (out.stdout += d));
  child.stderr.on("data", (d) => (out.stderr += d));
  const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  t.after(() => void child.kill("SIGKILL"));
  return { child, out, exit };
}

function tmp(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  test(`lab --write-inventory, answers, stops cleanly on ${signal}`, async (t) => {
    const dir = tmp(t);
    const inv = join(dir, "lab.yaml");
    const { child, out, exit } = runLab(t, ["--slaves", "2", "--port", "0", "--base-address", randomBase(), "--write-inventory", inv, "--require-login"]);
    await until(() => existsSync(inv) && out.stderr.includes("Ctrl-C"), "the inventory and the summary", 30_000);
    const doc = parse(readFileSync(inv, "utf8"));
    assert.equal(doc.slaves.length, 2);
    const password = readFileSync(doc.defaults.credentials.passwordFile, "utf8").trim();
    const r = await admin({ host: doc.master.host, port: doc.master.port }, "handler=safesquid_params", { localAddress: "127.0.0.1", auth: { username: "fleet", password } });
    assert.equal(r.status, 200);
    assert.match(r.body, /^<startup><param name="LISTEN_IP" value="&quot;[\d.]+&quot;"/);
    assert.match(out.stderr, /master\s+127\.[\d.]+:\d+\s+master/);
    assert.match(out.stderr, /slave-2\s+127\.[\d.]+:\d+\s+slave/);
    child.kill(signal);
    assert.equal(await exit, 0, out.stderr);
    assert.match(out.stderr, /lab stopped/);
    assert.ok(!out.stderr.includes(password) && !out.stdout.includes(password), "the password is never printed");
    assert.equal(out.stdout, "");
  });
}

test("lab --dialect alt: every node makes the other choice (here: a wrapped, lower-case licence reply), and says so", async (t) => {
  const inv = join(tmp(t), "lab.yaml");
  const { child, out, exit } = runLab(t, ["--slaves", "1", "--port", "0", "--base-address", randomBase(), "--write-inventory", inv, "--dialect", "alt"]);
  await until(() => existsSync(inv) && out.stderr.includes("Ctrl-C"), "the inventory and the summary", 30_000);
  const doc = parse(readFileSync(inv, "utf8"));
  const r = await admin({ host: doc.slaves[0].host, port: doc.master.port }, "handler=subscription&refresh=false", { localAddress: "127.0.0.1" });
  assert.match(r.body, /^<response><subscription_details><information activation_key_name="SAFESQUID-FLEET-LAB"/);
  assert.match(out.stderr, /lab: 1 master and 1 slave \(dialect alt, state in /);
  child.kill("SIGTERM");
  assert.equal(await exit, 0, out.stderr);
});

test("a port in use is refused with a clear message and exit code 2", async (t) => {
  const base = randomBase();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, base, r));
  t.after(() => new Promise<void>((r) => blocker.close(() => r())));
  const port = (blocker.address() as net.AddressInfo).port;
  const { out, exit } = runLab(t, ["--slaves", "1", "--port", String(port), "--base-address", base]);
  assert.equal(await exit, 2);
  assert.match(out.stderr, new RegExp(`${base.replace(/\./g, "\\.")}:${port} is already in use`));
  assert.match(out.stderr, /--port/);
});

test("an address that is not this machine's is refused with a clear message and exit code 2", async (t) => {
  const { out, exit } = runLab(t, ["--slaves", "1", "--port", "0", "--base-address", "192.0.2.1"]);
  assert.equal(await exit, 2);
  assert.match(out.stderr, /192\.0\.2\.1 is not an address of this machine/);
});

test("bad flags are usage errors (exit 2)", async (t) => {
  for (const args of [["--slaves", "0"], ["--port", "70000"], ["--sync-interval", "soon"], ["--master-config", "/nonexistent/config.xml"], ["--dialect", "other"]]) {
    const { out, exit } = runLab(t, ["--base-address", randomBase(), "--port", "0", ...args]);
    assert.equal(await exit, 2, `${args.join(" ")}: ${out.stderr}`);
  }
});

test("a lab past its /24 skips .0 and .255 and says where its slaves are; a base ending in .0 or .255 is refused", async (t) => {
  const dir = tmp(t);
  const inv = join(dir, "lab.yaml");
  // 60 slaves from .200: 54 fit before .255, the rest go on in the next /24 from .1.
  const block = `127.${2 + Math.floor(Math.random() * 240)}.${Math.floor(Math.random() * 250)}`;
  const { child, out, exit } = runLab(t, ["--slaves", "60", "--port", "0", "--base-address", `${block}.200`, "--write-inventory", inv]);
  await until(() => out.stderr.includes("press Ctrl-C"), "the lab's summary", 60_000);
  const hosts = (parse(readFileSync(inv, "utf8")) as { slaves: { host: string }[] }).slaves.map((s) => s.host);
  assert.equal(hosts.length, 60);
  assert.ok(hosts.every((h) => !/\.(0|255)$/.test(h)), hosts.join(" "));
  const next = block.replace(/\d+$/, (n) => String(Number(n) + 1));
  assert.equal(hosts.at(-1), `${next}.6`);
  assert.ok(out.stderr.includes(`slaves on ${block}.201 to ${next}.6, past ${block}.0/24: addresses ending in .0 and .255 skipped\n`), out.stderr);
  child.kill("SIGTERM");
  assert.equal(await exit, 0);
  for (const base of [`${block}.255`, `${block}.0`]) {
    const bad = runLab(t, ["--slaves", "1", "--port", "0", "--base-address", base]);
    assert.equal(await bad.exit, 2, base);
    assert.match(bad.out.stderr, /ends in \.(0|255): a lab address ends in 1 to 254/);
  }
});

test("lab --help shows durations as they are typed (2s, 1s), not milliseconds", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "lab", "--help"], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
  let text = "";
  child.stdout.on("data", (d) => (text += d));
  await new Promise((r) => child.on("close", r));
  const flat = text.replace(/\s+/g, " ");
  assert.match(flat, /--sync-interval <duration> how often slaves pull from their master \(SYNCTIME\) \(default: 2s\)/);
  assert.match(flat, /--restart-downtime <duration> how long a restart keeps a node down \(0 allowed\) \(default: 1s\)/);
  assert.doesNotMatch(text, /default: (1000|2000)\)/);
});
