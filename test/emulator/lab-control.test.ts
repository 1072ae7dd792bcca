/**
 * Faults by name in a lab: the spec syntax (NODE=FAULT[:ARG]) and what each does to the
 * nodes; the control endpoint kept to this machine's user (127.0.0.1 only, its own Host, the
 * control file's token, the file 0600, not reachable through an emulated node); and the CLI:
 * `lab --fault slave-2=refuse` from the start, `lab control` to list, set and clear faults while
 * the lab runs. The CLI runs from the sources through tsx (no build needed).
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { startLabControl, type ControlInfo } from "../../src/emulator/lab-control.js";
import { LabFaults, parseFaultSpec } from "../../src/emulator/lab-faults.js";
import { admin } from "../helpers/admin.js";
import { randomBase, startTestLab, until } from "../helpers/lab.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// tsx by its own location: the CLI runs in the test's folder, where no node_modules is.
const TSX = import.meta.resolve("tsx");

function tmp(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-control-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test("fault specs: NODE=FAULT[:ARG], each checked with a message that lists what is accepted", () => {
  assert.deepEqual(parseFaultSpec("slave-2=refuse"), { node: "slave-2", fault: "refuse" });
  assert.deepEqual(parseFaultSpec("slave-1=delay:2s"), { node: "slave-1", fault: "delay", arg: "2s" });
  assert.deepEqual(parseFaultSpec("master=skew:-30s"), { node: "master", fault: "skew", arg: "-30s" });
  assert.deepEqual(parseFaultSpec("slave-3=error"), { node: "slave-3", fault: "error" });
  assert.throws(() => parseFaultSpec("slave-2"), /is not NODE=FAULT .*faults: refuse, never-return, deny-sync/);
  assert.throws(() => parseFaultSpec("slave-2=explode"), /"explode" is not a fault/);
  assert.throws(() => parseFaultSpec("slave-2=refuse:1"), /refuse takes no argument/);
  assert.throws(() => parseFaultSpec("slave-2=delay"), /delay needs DURATION/);
  assert.throws(() => parseFaultSpec("slave-2=error:404"), /500\.\.599/);
});

test("each fault does what it says on the node, and clear undoes it; the list shows what is in force", async (t) => {
  const lab = await startTestLab(t, { slaves: 2 });
  const f = new LabFaults(lab);
  const [s1, s2] = lab.slaves as [(typeof lab.slaves)[0], (typeof lab.slaves)[0]];
  await f.apply(parseFaultSpec("slave-1=refuse"));
  await assert.rejects(admin(s1, "handler=safesquid_params", { timeoutMs: 2000 }), /ECONNREFUSED/);
  await f.apply(parseFaultSpec("slave-2=deny-sync"));
  await f.apply(parseFaultSpec("slave-1=deny-sync"));
  assert.ok(lab.master.faults.isDenied(s2.host) && lab.master.faults.isDenied(s1.host), "both slaves denied at once");
  await f.apply(parseFaultSpec("slave-2=never-return"));
  assert.equal(s2.faults.neverReturn, true);
  await f.apply(parseFaultSpec("slave-2=error:502"));
  assert.equal((await admin(s2, "handler=safesquid_params")).status, 502);
  assert.deepEqual(f.list(), { "slave-1": ["refuse", "deny-sync"], "slave-2": ["deny-sync", "never-return", "error:502"] });
  await f.apply(parseFaultSpec("slave-1=clear"));
  assert.equal((await admin(s1, "handler=safesquid_params")).status, 200);
  assert.ok(!lab.master.faults.isDenied(s1.host) && lab.master.faults.isDenied(s2.host), "clearing slave-1 keeps slave-2 denied");
  // Clearing the master's own faults leaves the slaves' deny-sync in force: it is theirs.
  await f.apply(parseFaultSpec("master=delay:10ms"));
  await f.apply(parseFaultSpec("master=clear"));
  assert.ok(lab.master.faults.isDenied(s2.host));
  assert.deepEqual(f.list(), { "slave-2": ["deny-sync", "never-return", "error:502"] });
  assert.throws(() => f.check(parseFaultSpec("slave-9=refuse")), /the lab has no node "slave-9" \(nodes: master, slave-1, slave-2\)/);
  assert.throws(() => f.check(parseFaultSpec("master=deny-sync")), /a fault of a slave/);
});

function raw(info: ControlInfo, o: { method?: string; body?: string; host?: string; token?: string | null; path?: string; localAddress?: string }): Promise<{ status: number; body: string }> {
  const url = new URL(info.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: url.port,
        method: o.method ?? "GET",
        path: o.path ?? "/faults",
        agent: false,
        headers: { Host: o.host ?? url.host, ...(o.token === null ? {} : { Authorization: `Bearer ${o.token ?? info.token}` }) },
        ...(o.localAddress ? { localAddress: o.localAddress } : {}),
      },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on("error", reject);
    req.end(o.body);
  });
}

test("the control endpoint: 127.0.0.1 only, its own Host, the token; a bad spec sets nothing; the file is 0600 and goes away", async (t) => {
  const lab = await startTestLab(t, { slaves: 1 });
  const control = await startLabControl(new LabFaults(lab));
  t.after(() => control.close());
  const dir = tmp(t);
  const file = join(dir, "lab.control.json");
  control.writeFile(file);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const info = JSON.parse(readFileSync(file, "utf8")) as ControlInfo;
  assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+\/faults$/);

  assert.equal((await raw(info, {})).status, 200);
  assert.equal((await raw(info, { token: null })).status, 401, "no token");
  assert.equal((await raw(info, { token: "guess" })).status, 401, "a wrong token");
  assert.equal((await raw(info, { host: "evil.example" })).status, 404, "another name pointed at it (DNS rebinding)");
  assert.equal((await raw(info, { path: `http://127.0.0.1:${new URL(info.url).port}/faults` })).status, 404, "a proxy-form request");
  assert.equal((await raw(info, { localAddress: lab.slaves[0]!.host })).status, 403, "from a node's address");
  // Through an emulated node (as if it were a proxy that could forward): it answers for itself, never for the endpoint.
  const via = await admin(lab.slaves[0]!, "", { headers: { Host: new URL(info.url).host, Authorization: `Bearer ${info.token}` }, method: "GET" });
  assert.doesNotMatch(via.body, /"faults"/);

  const bad = await raw(info, { method: "POST", body: JSON.stringify({ faults: ["slave-1=refuse", "slave-7=refuse"] }) });
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).error, /no node "slave-7"/);
  assert.equal(lab.slaves[0]!.faults.refused, false, "nothing set when one spec is wrong");
  const ok = await raw(info, { method: "POST", body: JSON.stringify({ faults: ["slave-1=delay:5ms"] }) });
  assert.deepEqual(JSON.parse(ok.body), { faults: { "slave-1": ["delay:5ms"] } });
  await control.close();
  assert.ok(!existsSync(file), "the control file is removed when the lab stops");
});

function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ["--import", TSX, join(ROOT, "src/cli.ts"), ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    c.stdout.on("data", (d) => (stdout += d));
    c.stderr.on("data", (d) => (stderr += d));
    c.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

test("lab --fault slave-2=refuse from the start; lab control lists, sets and clears faults while it runs", async (t) => {
  const dir = tmp(t);
  const inv = join(dir, "lab.yaml");
  const child = spawn(process.execPath, ["--import", TSX, join(ROOT, "src/cli.ts"), "lab", "--slaves", "2", "--port", "0", "--base-address", randomBase(), "--write-inventory", inv, "--fault", "slave-2=refuse", "--fault", "slave-1=deny-sync"], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  t.after(() => void child.kill("SIGKILL"));
  await until(() => stderr.includes("Ctrl-C"), "the lab's summary", 30_000);
  assert.match(stderr, /faults: slave-1 deny-sync; slave-2 refuse/);
  assert.match(stderr, /faults at run time: safesquid-fleet lab control -i \S*lab\.yaml slave-1=refuse \(then slave-1=clear\)/);
  const doc = parse(readFileSync(inv, "utf8"));
  const slave2 = { host: doc.slaves[1].host, port: doc.defaults.port };
  await assert.rejects(admin(slave2, "handler=safesquid_params", { timeoutMs: 2000 }), /ECONNREFUSED/);

  const listed = await runCli(["lab", "control", "-i", "lab.yaml"], dir);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout, "slave-1: deny-sync\nslave-2: refuse\n");
  const cleared = await runCli(["lab", "control", "-i", "lab.yaml", "slave-2=clear", "-o", "json"], dir);
  assert.deepEqual(JSON.parse(cleared.stdout), { faults: { "slave-1": ["deny-sync"] } });
  assert.equal((await admin(slave2, "handler=safesquid_params")).status, 200, "slave-2 answers again");
  const typo = await runCli(["lab", "control", "-i", "lab.yaml", "slave-2=explode"], dir);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /"explode" is not a fault/);
  const none = await runCli(["lab", "control", "-i", "elsewhere.yaml"], dir);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no running lab found: \S*elsewhere\.control\.json does not exist/);

  child.kill("SIGTERM");
  assert.equal(await exit, 0, stderr);
  assert.ok(!existsSync(join(dir, "lab.control.json")), "the control file goes with the lab");
  const gone = await runCli(["lab", "control", "-i", "lab.yaml"], dir);
  assert.equal(gone.code, 2);
});
