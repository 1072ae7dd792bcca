/**
 * The lab (docs/lab.md, docs/emulator.md), and the key scenario: a
 * two-slave lab in which a joined slave's sync is denied (407 in its log) until an allow row
 * for its address is placed ABOVE the login row, with raw `configuration` add + shift
 * requests; then it succeeds and logs each section.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { labAddresses, ListenError } from "../../src/emulator/addresses.js";
import { startLab } from "../../src/emulator/lab.js";
import { admin, openLog } from "../helpers/admin.js";
import { randomBase, restarted, startTestLab, TEST_PASSWORD } from "../helpers/lab.js";
import { paramsWriteForm } from "../helpers/replies.js";
import { sectionTexts } from "../helpers/sections.js";

const local = { localAddress: "127.0.0.1" };
const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

test("key scenario: a joined slave is denied (407) until an allow row sits above the login row", async (t) => {
  const lab = await startTestLab(t, { slaves: 2 });
  const [slave, other] = lab.slaves as [typeof lab.master, typeof lab.master];
  const m = lab.master;

  // Join slave-1 the vendor's way: read params, write the whole list with MASTER_IP/PORT, save, restart.
  const read = (await admin(slave, "handler=safesquid_params", local)).body;
  const params = [...read.matchAll(/<param name="([^"]*)" value="([^"]*)" desc="([^"]*)"\/>/g)].map((x) => ({ name: x[1]!, value: unescape(x[2]!), desc: unescape(x[3]!) }));
  const form = paramsWriteForm(params, { MASTER_IP: m.host, MASTER_PORT: String(m.port) });
  assert.equal((await admin(slave, form, local)).body, '<startup_params result="saved"/>');
  assert.equal((await admin(slave, "handler=save&filename=config.xml", local)).body, '<save_settings><results result="File saved"/></save_settings>');
  assert.equal((await admin(slave, "handler=safesquid_restart", local)).body, '<restart_info status="SafeSquid service restarted"/>');
  await restarted(slave);

  const log = await openLog(slave, local);
  t.after(() => log.close());
  const target = m.address.replace(/\./g, "\\.");
  await log.waitFor(new RegExp(`sync: config_sync:80 synchronizing with ${target}$`));
  await log.waitFor(new RegExp(`sync: config_sync:90 failed to synchronize with ${target}: 407 Proxy Authentication Required$`));

  // An allow row added at the bottom (below the catch-all login row) changes nothing: first match.
  const add =
    "handler=configuration&section=access&subsection=allow&action=add" +
    `&F0=TRUE&F1=Allow%20slave%20proxy%20servers%20in%20the%20cluster%20to%20sync%20policies.&F2=FALSE&F3=&F4=&F5=&F6=${slave.host}` +
    "&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=PROXY_SLAVES&F15=";
  const added = /^<configuration result="ok" id="(\d+)"\/>$/.exec((await admin(m, add, local)).body);
  assert.ok(added, "row added");
  const mark = log.lines.length;
  const failedAfter = async (n: number) => {
    for (let i = 0; i < n; i++) await log.waitFor(/failed to synchronize .*: 407 Proxy Authentication Required$/, { after: log.lines.length });
  };
  await failedAfter(2);
  assert.ok(!log.lines.slice(mark).some((l) => /synchronized section/.test(l)));

  // Shifted to the top, above the login row: the next sync succeeds and logs each section.
  assert.equal((await admin(m, `handler=configuration&section=access&subsection=allow&action=shift&id=${added[1]}&direction=top`, local)).body, `<configuration result="ok" id="${added[1]}"/>`);
  const masterDoc = (await admin(m, "handler=conf_xml", local)).body;
  assert.ok(masterDoc.indexOf(`<ip>${slave.host}</ip>`) < masterDoc.indexOf("<add_user_groups>GENERAL_USERS"), "the slave row is above the login row");
  const sections = [...sectionTexts(masterDoc).keys()].filter((s) => s !== "cache");
  assert.ok(sections.length >= 10, `${sections.length} sections sync`);
  for (const s of sections) await log.waitFor(new RegExp(`sync: config_sync:104 synchronized section: ${s}$`));
  assert.ok(!log.lines.some((l) => /synchronized section: cache$/.test(l)), "cache is in NEVER_SYNC");
  const got = sectionTexts((await admin(slave, "handler=conf_xml", local)).body);
  const want = sectionTexts(masterDoc);
  for (const s of sections) assert.equal(got.get(s), want.get(s), s);
  assert.notEqual(got.get("cache"), want.get("cache"), "the slave keeps its own cache section");

  // The other slave was never joined: stand-alone, no sync lines.
  assert.equal(other.slaveOf, undefined);
  assert.ok(!other.log.lines().some((l) => /synchroniz/.test(l)));
});

test("layout, default documents and inventory", async (t) => {
  const lab = await startTestLab(t, { slaves: 3 });
  const base = lab.master.host.split(".").map(Number);
  lab.slaves.forEach((s, i) => {
    assert.equal(s.host, [base[0], base[1], base[2], base[3]! + i + 1].join("."));
    assert.equal(s.port, lab.master.port);
    assert.equal(s.name, `slave-${i + 1}`);
  });
  const master = sectionTexts((await admin(lab.master, "handler=conf_xml", local)).body);
  const slave = sectionTexts((await admin(lab.slaves[0]!, "handler=conf_xml", local)).body);
  assert.ok(master.size >= 10, `${master.size} sections`);
  const differ = [...master.keys()].filter((k) => master.get(k) !== slave.get(k));
  assert.ok(differ.filter((k) => k !== "cache").length >= 3, `sections that differ: ${differ}`);
  // Only 127.0.0.1 gets in without a login.
  assert.equal((await admin(lab.master, "handler=conf_xml", { localAddress: lab.slaves[0]!.host })).status, 407);
  const creds = { username: "fleet", password: TEST_PASSWORD };
  assert.equal((await admin(lab.master, "handler=conf_xml", { localAddress: lab.slaves[0]!.host, auth: creds })).status, 403, "the login row grants no CONFIG");
  assert.equal((await admin(lab.master, "handler=subscription", local)).body.includes('Activation_Key_Name="SAFESQUID-FLEET-LAB"'), true);
  assert.deepEqual(lab.inventory(), {
    version: 1,
    defaults: { port: lab.port, timeout: "10s" },
    master: { name: "master", host: lab.master.host, port: lab.port },
    slaves: lab.slaves.map((s) => ({ name: s.name, host: s.host })),
  });
  const dir = mkdtempSync(join(tmpdir(), "lab-inv-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const written = await lab.writeInventory(join(dir, "lab.yaml"));
  const text = readFileSync(written.file, "utf8");
  assert.match(text, /^# An emulated SafeSquid fleet/);
  assert.deepEqual(parse(text), lab.inventory());
  assert.equal(written.passwordFile, undefined);
  assert.ok(!text.includes(TEST_PASSWORD));
});

test("require-login: the tool must log in; the password goes to a 0600 file, or stays in the environment", async (t) => {
  const lab = await startTestLab(t, { slaves: 1, requireLogin: true });
  assert.equal((await admin(lab.master, "handler=conf_xml", local)).status, 407);
  assert.equal((await admin(lab.master, "handler=conf_xml", { ...local, auth: { username: "fleet", password: TEST_PASSWORD } })).status, 200);
  const dir = mkdtempSync(join(tmpdir(), "lab-inv-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const written = await lab.writeInventory(join(dir, "fleet.yaml"));
  assert.equal(written.passwordFile, join(dir, "fleet.password"));
  assert.equal(readFileSync(written.passwordFile!, "utf8").trim(), TEST_PASSWORD);
  assert.equal(statSync(written.passwordFile!).mode & 0o777, 0o600);
  const inv = parse(readFileSync(written.file, "utf8"));
  assert.deepEqual(inv.defaults.credentials, { username: "fleet", passwordFile: written.passwordFile });
  assert.ok(!readFileSync(written.file, "utf8").includes(TEST_PASSWORD));

  const envLab = await startTestLab(t, { slaves: 1, requireLogin: true, password: undefined, env: { SAFESQUID_LAB_PASSWORD: "from-env" } });
  assert.equal((await admin(envLab.master, "handler=conf_xml", { ...local, auth: { username: "fleet", password: "from-env" } })).status, 200);
  const w2 = await envLab.writeInventory(join(dir, "env.yaml"));
  assert.equal(w2.passwordFile, undefined);
  assert.deepEqual(parse(readFileSync(w2.file, "utf8")).defaults.credentials, { username: "fleet", passwordEnv: "SAFESQUID_LAB_PASSWORD" });
  assert.ok(!existsSync(join(dir, "env.password")));
});

test("per-node overrides, joined slaves, zero downtime, and the state folder", async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), "lab-state-"));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const lab = await startTestLab(t, { slaves: 2, joinSlaves: true, restartDowntimeMs: 0, stateDir, nodes: { "slave-2": { activationKeyName: "OTHER-KEY", startupParams: { NEVER_SYNC: "" } } } });
  assert.match((await admin(lab.slaves[1]!, "handler=subscription", local)).body, /Activation_Key_Name="OTHER-KEY"/);
  assert.equal(lab.slaves[0]!.slaveOf?.masterIp, lab.master.host);
  assert.equal(lab.slaves[1]!.effectiveParams().get("NEVER_SYNC"), "");
  assert.match(readFileSync(join(stateDir, "slave-1", "startup.ini"), "utf8"), /^SYNCTIME="0\.3"$/m);
  await admin(lab.master, "handler=safesquid_restart", local);
  await restarted(lab.master);
  await lab.stop();
  assert.ok(existsSync(join(stateDir, "master", "config.xml")), "a given state folder is kept");
});

test("a lab's temporary state folder goes away on stop; used ports and bad address ranges are refused", async (t) => {
  const lab = await startTestLab(t, { slaves: 1 });
  assert.ok(existsSync(lab.stateDir));
  await assert.rejects(startLab({ slaves: 1, baseAddress: lab.master.host, port: lab.port, env: {} }), (e: unknown) => e instanceof ListenError && e.code === "EADDRINUSE" && e.address === lab.master.host);
  await lab.stop();
  assert.ok(!existsSync(lab.stateDir));
  await assert.rejects(startLab({ slaves: 3, baseAddress: "127.255.255.253", env: {} }), RangeError);
  await assert.rejects(startLab({ slaves: 0, baseAddress: randomBase(), env: {} }), RangeError);
});

test("addresses count on as 32-bit numbers, skipping .0 and .255: a 500-slave lab crosses octets", async (t) => {
  assert.deepEqual(labAddresses("127.1.0.253", 4), ["127.1.0.253", "127.1.0.254", "127.1.1.1", "127.1.1.2"]);
  assert.deepEqual(labAddresses("127.1.255.254", 2), ["127.1.255.254", "127.2.0.1"]);
  assert.throws(() => labAddresses("127.1.0.255", 2), /127\.1\.0\.255 ends in \.255: a lab address ends in 1 to 254/);
  assert.throws(() => labAddresses("127.1.1.0", 2), RangeError);
  assert.throws(() => labAddresses("127.255.255.253", 3), /do not fit in 127\.0\.0\.0\/8/);
  const base = `127.${2 + Math.floor(Math.random() * 240)}.${Math.floor(Math.random() * 250)}.1`;
  const lab = await startTestLab(t, { slaves: 500, baseAddress: base });
  const last = lab.slaves[499]!;
  assert.equal(last.name, "slave-500");
  assert.equal(last.host, labAddresses(base, 501)[500]);
  const answers = await lab.waitUntilAnswering();
  assert.equal(answers.size, 501);
  assert.ok([...answers.values()].every((r) => r.status === 200));
});
