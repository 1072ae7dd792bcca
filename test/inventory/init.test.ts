/**
 * `inventory init` driven by canned answers: each answer is checked as it is typed (refused
 * answers are asked again), the file written validates, an existing file is kept unless the
 * user says yes, and without a terminal nothing is asked.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { FleetError } from "../../src/errors.js";
import { loadInventory } from "../../src/inventory/load.js";
import type { FormAsker } from "../../src/report/ask.js";
import { formPrompts } from "../../src/report/prompts.js";
import { parseSlaveList } from "../../src/inventory/init/plan.js";
import { planFromFlags, runInit, type InitOptions } from "../../src/inventory/init/run.js";
import { scripted, tempDir, type Answer } from "./helpers.js";

const MASTER = { master: { name: "hq", host: "10.0.0.10" }, port: 8080 };

test("a pasted list: NAME HOST [PORT], NAME=HOST or HOST alone, by line or comma; comments ignored", () => {
  const r = parseSlaveList("# slaves\npune-1 10.0.1.11\npune-2=10.0.1.12, 10.0.1.13\n\nmumbai.example.net\nchennai 10.0.1.14 3128  # other port\n", MASTER);
  assert.deepEqual(r, {
    slaves: [
      { name: "pune-1", host: "10.0.1.11" },
      { name: "pune-2", host: "10.0.1.12" },
      { name: "slave-3", host: "10.0.1.13" },
      { name: "mumbai", host: "mumbai.example.net" },
      { name: "chennai", host: "10.0.1.14", port: 3128 },
    ],
  });
});

test("a pasted list: HOST PORT lines, as a list of proxies is often written", () => {
  const r = parseSlaveList("10.0.1.11 3128\n10.0.1.12 8080\nmumbai.example.net 3128\npune-9 10.0.1.19\n", MASTER);
  assert.deepEqual(r, {
    slaves: [
      { name: "slave-1", host: "10.0.1.11", port: 3128 },
      { name: "slave-2", host: "10.0.1.12" },
      { name: "mumbai", host: "mumbai.example.net", port: 3128 },
      { name: "pune-9", host: "10.0.1.19" },
    ],
  });
});

test("a pasted list: every bad line is reported, each with its line number", () => {
  const r = parseSlaveList("a 10.0.1.1\nb 10.0.1.0/24\nc 10.0.1.3\nA 10.0.1.4\n10.0.1.5 99999\nd 10.0.1.6\n", MASTER);
  assert.deepEqual(r, {
    problems: ['line 2: "10.0.1.0/24" is a network (CIDR), not a host', 'line 4: "A" is already used', "line 5: a port is a whole number from 1 to 65535"],
    error: '3 problems:\nline 2: "10.0.1.0/24" is a network (CIDR), not a host\nline 4: "A" is already used\nline 5: a port is a whole number from 1 to 65535',
  });
});

test("a pasted list: a single problem, with its line, in the loader's words", () => {
  const table: [string, string][] = [
    ["", "no slaves: give at least one, e.g. pune-1 10.0.1.11"],
    ["# only a comment\n", "no slaves: give at least one, e.g. pune-1 10.0.1.11"],
    ["a 10.0.1.1\nb 10.0.1.0/24\n", 'line 2: "10.0.1.0/24" is a network (CIDR), not a host'],
    ["a 10.0.1.1\nA 10.0.1.2\n", 'line 2: "A" is already used'],
    ["hq 10.0.1.1\n", 'line 1: "hq" is already used'],
    ["x 10.0.0.10\n", "line 1: 10.0.0.10:8080 is the master"],
    ["a 10.0.1.1\nb 10.0.1.1 8080\n", "line 2: 10.0.1.1:8080 is already slave a"],
    ["a 10.0.1.1 99999\n", "line 1: a port is a whole number from 1 to 65535"],
    ["a b c d\n", 'line 1: "a b c d" is not NAME HOST [PORT], HOST PORT or HOST'],
    ["-a 10.0.1.1\n", "line 1: a name uses letters, digits, '.', '_' and '-', starting with a letter or digit"],
  ];
  for (const [text, error] of table) assert.deepEqual(parseSlaveList(text, MASTER), { error, problems: [error] }, JSON.stringify(text));
});

function options(dir: string, answers: Answer[], over: Partial<Omit<InitOptions, "prompts">> = {}): InitOptions & { prompts: ReturnType<typeof scripted>; said: string[] } {
  const said: string[] = [];
  const prompts = scripted(answers);
  return { file: "fleet.yaml", path: join(dir, "fleet.yaml"), interactive: true, yes: false, flags: {}, info: (m) => said.push(m), said, ...over, prompts };
}

test("one by one: refused answers are asked again; the file written validates and explains itself", async (t) => {
  const dir = tempDir(t);
  const o = options(dir, [
    { q: /^Master address/, a: "http://10.0.0.10" },
    { q: /^Master address/, a: "10.0.0.10" },
    { q: /^Master proxy port/, a: "80800" },
    { q: /^Master proxy port/ },
    { q: /^Master name/, a: "head office" },
    { q: /^Master name/, a: "hq" },
    { q: /^Do the slaves reach the master at 10\.0\.0\.10, port 8080\?/ },
    { q: /^How do you want to enter the slaves/, a: "each" },
    { q: /^Slave 1 address/, a: "" },
    { q: /^Slave 1 address/, a: "10.0.0.10" },
    { q: /^Slave 1 address/, a: "10.0.1.11" },
    { q: /^Slave 1 name/, a: "pune-1" },
    { q: /^Slave 2 address .*empty to finish/, a: "pune-2.example.net" },
    { q: /^Slave 2 name/ },
    { q: /^Slave 3 address/, a: "" },
    { q: /^Do the nodes ask the tool for a login/, a: true },
    { q: /^User name/ },
    { q: /^Where will the password come from/, a: "env" },
    { q: /^Name of the environment variable/, a: "hunter2!" },
    { q: /^Name of the environment variable/ },
  ]);
  const r = await runInit(o);
  o.prompts.done();
  assert.equal(r.written, true);
  assert.deepEqual(o.prompts.refused.map((x) => x.error), [
    '"http://10.0.0.10" is a URL, not a host',
    "a port is a whole number from 1 to 65535",
    "a name uses letters, digits, '.', '_' and '-', starting with a letter or digit",
    "host is empty",
    "10.0.0.10:8080 is the master",
    "give the NAME of an environment variable (letters, digits and _), not the password itself",
  ]);
  const loaded = await loadInventory(o.path);
  assert.deepEqual(loaded.errors, []);
  const inv = loaded.inventory!;
  assert.deepEqual([inv.master.name, inv.master.host, inv.master.port], ["hq", "10.0.0.10", 8080]);
  assert.deepEqual(inv.slaves.map((s) => [s.name, s.host, s.port]), [["pune-1", "10.0.1.11", 8080], ["pune-2", "pune-2.example.net", 8080]]);
  assert.deepEqual(inv.master.credentials?.password, { kind: "env", name: "SAFESQUID_PASSWORD" });
  const text = readFileSync(o.path, "utf8");
  assert.match(text.split("\n")[0]!, /^# yaml-language-server: \$schema=\S+inventory\.schema\.json$/);
  assert.ok(existsSync(join(dir, text.split("\n")[0]!.split("$schema=")[1]!)) || existsSync(text.split("\n")[0]!.split("$schema=")[1]!), "the schema comment points at the schema");
  assert.match(text, /passwordEnv: SAFESQUID_PASSWORD +# the NAME of the variable/);
  assert.match(text, /# sourceIp:/);
  assert.doesNotMatch(text, /hunter2/);
  assert.deepEqual(o.said, ["wrote fleet.yaml: 1 master, 2 slaves", "next: safesquid-fleet inventory validate -i fleet.yaml"]);
});

test("a pasted list, another MASTER_IP for the slaves, a password file", async (t) => {
  const dir = tempDir(t);
  const o = options(dir, [
    { q: /^Master address/, a: "hq.example.net" },
    { q: /^Master proxy port/, a: "3128" },
    { q: /^Master name/ },
    { q: /^Do the slaves reach the master/, a: false },
    { q: /^MASTER_IP/, a: "hq.example.net" },
    { q: /^MASTER_IP/, a: "192.168.0.10" },
    { q: /^MASTER_PORT/ },
    { q: /^How do you want to enter the slaves/, a: "list" },
    { q: /^Slaves \(your editor opens/, a: "pune-1 10.0.1.11\nx hq.example.net 3128\n" },
    { q: /^Slaves \(your editor opens/, a: "pune-1 10.0.1.11\n10.0.1.12\nchennai 10.0.1.13 8080\n" },
    { q: /^Do the nodes ask the tool for a login/, a: true },
    { q: /^User name/, a: "ad min" },
    { q: /^User name/, a: "admin" },
    { q: /^Where will the password come from/, a: "file" },
    { q: /^Path of the password file/, a: "secrets/fleet.pw" },
  ]);
  await runInit(o);
  o.prompts.done();
  assert.deepEqual(o.prompts.refused.map((x) => x.error), [
    '"hq.example.net" is a host name, not an IP address',
    "line 2: hq.example.net:3128 is the master",
    "a user name has no spaces or colons",
  ]);
  const inv = (await loadInventory(o.path)).inventory!;
  assert.equal(inv.master.name, "hq");
  assert.deepEqual(inv.master.advertise, { ip: "192.168.0.10", port: 3128 });
  assert.deepEqual(inv.slaves.map((s) => [s.name, s.host, s.port]), [["pune-1", "10.0.1.11", 3128], ["slave-2", "10.0.1.12", 3128], ["chennai", "10.0.1.13", 8080]]);
  assert.deepEqual(inv.slaves[0]!.credentials?.password, { kind: "file", path: join(dir, "secrets/fleet.pw") });
});

test("an existing file is kept unless the user says yes", async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, "fleet.yaml"), "keep me\n");
  const no = options(dir, [{ q: /^fleet\.yaml already exists\. Overwrite it\?/ }]);
  assert.deepEqual(await runInit(no), { written: false });
  no.prompts.done();
  assert.equal(readFileSync(join(dir, "fleet.yaml"), "utf8"), "keep me\n");
  assert.deepEqual(no.said, ["left fleet.yaml as it was; nothing written"]);
  const yes = options(dir, [{ q: /Overwrite it\?/, a: true }], { flags: { master: "10.0.0.10", slaves: "10.0.1.11" } });
  assert.equal((await runInit(yes)).written, true);
  assert.equal((await loadInventory(yes.path)).errors.length, 0);
});

test("without a terminal: nothing is asked; it says which file or flags to use instead", async (t) => {
  const dir = tempDir(t);
  const o = options(dir, [], { interactive: false });
  await assert.rejects(runInit(o), (e: unknown) => {
    assert.ok(e instanceof FleetError);
    assert.equal(e.code, "NEEDS_INPUT");
    assert.match(e.hint ?? "", /copy \S+examples\/inventory\.yaml to fleet\.yaml/);
    assert.match(e.hint ?? "", /--master \[NAME=\]HOST --slaves \[NAME=\]HOST/);
    return true;
  });
  assert.equal(existsSync(o.path), false);
  writeFileSync(o.path, "keep me\n");
  const flags = { master: "10.0.0.10", slaves: "10.0.1.11" };
  await assert.rejects(runInit(options(dir, [], { interactive: false, flags })), /fleet\.yaml already exists/);
  assert.equal((await runInit(options(dir, [], { interactive: false, flags, yes: true }))).written, true);
  assert.deepEqual(o.prompts.asked, []);
});

test("from flags: the same checks as the questions", () => {
  const plan = planFromFlags({ master: "hq=10.0.0.10", slaves: "pune-1=10.0.1.11,10.0.1.12", port: 3128, passwordEnv: "PW" });
  assert.deepEqual(plan, {
    master: { name: "hq", host: "10.0.0.10" },
    port: 3128,
    slaves: [{ name: "pune-1", host: "10.0.1.11" }, { name: "slave-2", host: "10.0.1.12" }],
    credentials: { username: "fleet", passwordEnv: "PW" },
  });
  assert.equal(planFromFlags({ master: "10.0.0.10", slaves: "10.0.1.11" }).master.name, "master");
  assert.equal(planFromFlags({ master: "hq.example.net", slaves: "10.0.1.11" }).master.name, "hq");
  const refused: [Parameters<typeof planFromFlags>[0], RegExp][] = [
    [{ master: "10.0.0.10" }, /--master and --slaves go together/],
    [{ master: "10.0.0.0/8", slaves: "10.0.1.11" }, /--master: "10\.0\.0\.0\/8" is a network/],
    [{ master: "a=10.0.0.10,b=10.0.0.11", slaves: "10.0.1.11" }, /--master: give one master/],
    [{ master: "10.0.0.10", slaves: "10.0.0.10" }, /--slaves: 10\.0\.0\.10:8080 is the master/],
    [{ master: "10.0.0.10", slaves: "10.0.1.11", port: 70000 }, /--port: a port is a whole number/],
    [{ master: "10.0.0.10", slaves: "10.0.1.11", passwordEnv: "not a name" }, /give the NAME of an environment variable/],
    [{ master: "10.0.0.10", slaves: "10.0.1.11", passwordEnv: "A", passwordFile: "b" }, /not both/],
    [{ master: "10.0.0.10", slaves: "10.0.1.11", username: "u" }, /--username needs --password-env/],
  ];
  for (const [flags, re] of refused) assert.throws(() => planFromFlags(flags), (e: unknown) => e instanceof FleetError && e.code === "USAGE" && re.test(e.message), JSON.stringify(flags));
});

test("Ctrl-C or a closed stdin at a question is a clean cancel, and nothing is written", async (t) => {
  const dir = tempDir(t);
  const o = options(dir, []);
  const exit = { input: async () => Promise.reject(Object.assign(new Error("User force closed the prompt"), { name: "ExitPromptError" })) } as unknown as FormAsker;
  o.prompts.input = formPrompts({ interactive: true, signal: new AbortController().signal, asker: exit, output: new PassThrough() }).input;
  await assert.rejects(runInit(o), (e: unknown) => e instanceof FleetError && e.code === "INTERRUPTED" && e.message === "cancelled; nothing was written");
  assert.equal(existsSync(o.path), false);
});
