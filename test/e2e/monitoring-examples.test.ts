/**
 * The monitoring examples (examples/monitoring/) are checked by the checker each has, and
 * their command lines run as written against a lab: the Prometheus alert rules by
 * `promtool check rules` and their unit tests by `promtool test rules`; the systemd units by
 * `systemd-analyze verify`, and the service's ExecStart writes metrics that promtool accepts;
 * the Icinga 2 CheckCommand and the Nagios command, built into a command line the way those
 * systems build it, give a plugin status line. Each checker that is missing skips its test
 * with a message saying how to install it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import { registerCommands } from "../../src/commands/index.js";
import { join } from "node:path";
import { tempDir } from "../cli/helpers.js";
import { BIN, ROOT, runCli } from "../helpers/cli.js";
import { startFleet } from "../helpers/fleet.js";
import { checkMetrics, checkRules, needPromtool } from "../helpers/promtool.js";

const DIR = join(ROOT, "examples/monitoring");
const read = (name: string): string => readFileSync(join(DIR, name), "utf8");
const INSTALLED = "/usr/local/bin/safesquid-fleet";
const HAVE_SYSTEMD_ANALYZE = spawnSync("systemd-analyze", ["--version"]).status === 0;
const NAGIOS_LINE = /^SAFESQUID FLEET (OK|WARNING|CRITICAL) - \d+ of \d+ slaves? in sync \(master master\).* \| problems=\d+;[^ ]* .*duration=[\d.]+s;;;0\n$/;

/** The options `verify --help` lists, and the global ones `--help` lists. */
async function verifyOptions(): Promise<Set<string>> {
  const help = (await runCli(["verify", "--help"])).stdout + (await runCli(["--help"])).stdout;
  return new Set([...help.matchAll(/(?:^|[ ,])(--?[a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

test("the alert rules pass promtool check rules and their unit tests", (t) => {
  if (!needPromtool(t)) return;
  const checked = checkRules(join(DIR, "prometheus-alerts.yml"));
  assert.equal(checked.code, 0, checked.output);
  assert.match(checked.output, /SUCCESS: 6 rules found/);
  const tested = spawnSync("promtool", ["test", "rules", "prometheus-alerts.test.yml"], { cwd: DIR, encoding: "utf8" });
  assert.equal(tested.status, 0, tested.stdout + tested.stderr);
  // Every metric the rules read is one verify writes (docs/monitoring.md).
  const used = new Set([...read("prometheus-alerts.yml").matchAll(/safesquid_fleet_[a-z_]+/g)].map((m) => m[0]));
  const written = readFileSync(join(ROOT, "src/report/prometheus.ts"), "utf8");
  for (const name of used) assert.ok(written.includes(`"${name.replace("safesquid_fleet_", "")}"`), `${name} is written by -o prometheus`);
});

test("the systemd units pass systemd-analyze verify, and the service's ExecStart writes metrics promtool accepts", async (t) => {
  const dir = tempDir(t, "ssf-units-");
  const service = read("safesquid-fleet-metrics.service");
  const exec = /^ExecStart=(.*)$/m.exec(service)![1]!.split(" ");
  assert.equal(exec[0], INSTALLED);
  if (HAVE_SYSTEMD_ANALYZE) {
    // As installed, with the tool where this checkout has it.
    writeFileSync(join(dir, "safesquid-fleet-metrics.service"), service.replace(INSTALLED, BIN));
    copyFileSync(join(DIR, "safesquid-fleet-metrics.timer"), join(dir, "safesquid-fleet-metrics.timer"));
    const v = spawnSync("systemd-analyze", ["verify", "safesquid-fleet-metrics.service", "safesquid-fleet-metrics.timer"], { cwd: dir, encoding: "utf8" });
    assert.equal(v.status, 0, v.stderr);
    assert.equal(v.stdout + v.stderr, "", "no remark (an unknown key is only a remark)");
  } else t.diagnostic("systemd-analyze is not installed (it comes with systemd): the units were not verified");

  const f = await startFleet(t, { slaves: 1 });
  const out = join(dir, "textfile");
  mkdirSync(out);
  const args = exec.slice(1).map((a) => (a.startsWith("/var/lib/prometheus/node-exporter/") ? join(out, "safesquid-fleet.prom") : a));
  const env = { SAFESQUID_FLEET_INVENTORY: f.inventory };
  assert.equal(/^Environment=SAFESQUID_FLEET_INVENTORY=/m.test(service), true, "the unit names the inventory by its variable");
  const r = await runCli(args, { cwd: f.dir, env });
  assert.equal(r.code, 1, `not joined yet: exit 1, which the unit counts as success (SuccessExitStatus=1)\n${r.stderr}`);
  assert.match(service, /^SuccessExitStatus=1$/m);
  assert.equal(r.stdout + r.stderr, "", "--quiet, and the data in the file");
  const metrics = readFileSync(join(out, "safesquid-fleet.prom"), "utf8");
  assert.match(metrics, /^safesquid_fleet_slave_joined\{master="master",slave="slave-1"\} 0$/m);
  if (!needPromtool(t)) return;
  assert.equal(checkMetrics(metrics).code, 0, checkMetrics(metrics).output);
});

test("the Icinga 2 CheckCommand and the Nagios command, built as those systems build them, give a plugin status line", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const options = await verifyOptions();

  // Icinga 2: the command array, then each argument whose custom variable is set: the
  // CheckCommand's defaults, overridden by the Service's own vars (as Icinga resolves them).
  const conf = read("icinga2-safesquid-fleet.conf");
  const object = (kind: string): string => new RegExp(`^object ${kind} "[^"]+" \\{\\n([\\s\\S]*?)^\\}`, "m").exec(conf)![1]!;
  const varsOf = (body: string): Record<string, string> => Object.fromEntries([...body.matchAll(/^ {2}vars\.(\w+) = "([^"]*)"$/gm)].map((m) => [m[1]!, m[2]!]));
  const cmd = object("CheckCommand");
  const service = object("Service");
  assert.match(service, /check_command = "safesquid_fleet"/);
  const command = [.../^ {2}command = \[(.*)\]$/m.exec(cmd)![1]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  assert.deepEqual(command, [INSTALLED, "verify", "-o", "nagios"]);
  const vars = { ...varsOf(cmd), ...varsOf(service) };
  assert.deepEqual(vars, { safesquid_fleet_inventory: "/etc/safesquid-fleet/fleet.yaml", safesquid_fleet_warning: "0", safesquid_fleet_critical: "1,1h" });
  const args: string[] = [];
  for (const m of cmd.matchAll(/^ {4}"(--?[a-z-]+)" = \{([\s\S]*?)\n {4}\}/gm)) {
    const [, name, body] = m;
    assert.ok(options.has(name!), `${name} is an option of verify`);
    if (/set_if = true/.test(body!)) args.push(name!);
    const v = /value = "\$(\w+)\$"/.exec(body!)?.[1];
    if (v && vars[v as keyof typeof vars] !== undefined) args.push(name!, v === "safesquid_fleet_inventory" ? f.inventory : vars[v as keyof typeof vars]);
  }
  assert.deepEqual(args.filter((a) => a.startsWith("-")), ["--inventory", "--warning", "--critical", "--quiet"]);
  const icinga = await runCli([...command.slice(1), ...args], { cwd: f.dir });
  assert.match(icinga.stdout, NAGIOS_LINE);
  assert.equal(icinga.code, 2, `2 slaves not joined: above the service's critical (1)\n${icinga.stdout}${icinga.stderr}`);
  assert.match(icinga.stdout, /^SAFESQUID FLEET CRITICAL - 0 of 2 slaves in sync \(master master\); not joined: slave-1, slave-2 \| problems=2;0;1;0;2 .* sync_age=U;;3600;0 /);

  // Nagios: command_line with the $ARGn$ of the service's check_command.
  const cfg = read("nagios-command.cfg");
  const line = /command_line\s+(.*)$/m.exec(cfg)![1]!.trim().split(/\s+/);
  const check = /check_command\s+(\S+)$/m.exec(cfg)![1]!.split("!");
  assert.equal(check[0], "check_safesquid_fleet");
  const argv = line.map((a) => a.replace(/\$ARG(\d)\$/, (_, n: string) => (n === "1" ? f.inventory : check[Number(n)]!)));
  assert.equal(argv[0], INSTALLED);
  for (const a of argv.filter((x) => x.startsWith("-"))) assert.ok(options.has(a), `${a} is an option of verify`);
  const nagios = await runCli(argv.slice(1), { cwd: f.dir });
  assert.match(nagios.stdout, NAGIOS_LINE);
  assert.equal(nagios.code, 1, `2 slaves not joined: above the warning (0), not above the critical (2)\n${nagios.stdout}${nagios.stderr}`);
});

test("the README's Monitoring section shows the examples, and its command lines use real commands and options", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## Monitoring\n"), readme.indexOf("\n## Safety on production gateways\n"));
  assert.ok(section.length > 100, "a Monitoring section");
  for (const file of readdirSync(DIR).filter((f) => !f.endsWith(".test.yml"))) assert.ok(section.includes(`examples/monitoring/${file}`), `${file} is linked`);
  assert.ok(read("prometheus-alerts.yml").includes('expr: safesquid_fleet_slave_state{state="out_of_sync"} == 1\n        for: 10m'), "the alert rule shown is the example's");
  assert.ok(read("icinga2-safesquid-fleet.conf").includes('command = [ "/usr/local/bin/safesquid-fleet", "verify", "-o", "nagios" ]'), "the CheckCommand shown is the example's");
  const program = new Command("safesquid-fleet");
  registerCommands(program);
  const lines = [...section.matchAll(/^safesquid-fleet (.*?)(?:\s+#.*)?$/gm)].map((m) => m[1]!.trim().split(/\s+/));
  assert.ok(lines.length >= 7, "the section's command lines");
  for (const args of lines) {
    let cmd = program;
    for (const w of args) {
      const sub = cmd.commands.find((c) => c.name() === w);
      if (!sub) break;
      cmd = sub;
    }
    assert.notEqual(cmd, program, args.join(" "));
    const known = new Set(cmd.options.flatMap((o) => [o.long, o.short]));
    for (const a of args.filter((x) => x.startsWith("-"))) assert.ok(known.has(a), `${a} is an option of ${cmd.name()} (${args.join(" ")})`);
  }
});
