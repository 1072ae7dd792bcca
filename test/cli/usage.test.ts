/**
 * The built CLI's usage contract, no lab needed: --help (program and every command, with
 * examples), --version, and every error that must stop a run with exit 2 before any node is
 * contacted (unknown command or flag, bad --concurrency, --detailed-exitcode without
 * --dry-run, a --limit naming no slave, an output format the command has not, inventory
 * errors, a missing secret), in text (message on stderr, nothing on stdout) and in -o json
 * (exactly one error envelope on stdout, valid against examples/report.schema.json).
 * The inventory points at TEST-NET addresses, so a run that contacted a node would fail
 * differently (exit 1) than the exit 2 asserted here.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runCli } from "../helpers/cli.js";
import { assertNoEscapes, envelope, offlineInventory } from "./helpers.js";

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const FLEET = ["join-slave", "allow", "verify", "apply"] as const;
const ALL_COMMANDS = [...FLEET, "inventory", "inventory validate", "inventory init", "lab"];

test("--version and -V print the package version on stdout, exit 0", async () => {
  for (const flag of ["--version", "-V"]) {
    const r = await runCli([flag]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${VERSION}\n`);
    assert.equal(r.stderr, "");
  }
});

test("--help of the program shows the commands, examples and exit codes, on stdout, exit 0", async () => {
  for (const args of [["--help"], ["-h"], ["help"]]) {
    const r = await runCli(args);
    assert.equal(r.code, 0, `${args}: ${r.stderr}`);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^Usage: safesquid-fleet \[options\] \[command\]/);
    for (const c of ["join-slave", "allow", "verify", "apply", "inventory", "lab"]) assert.match(r.stdout, new RegExp(`\\n  ${c} `), c);
    assert.match(r.stdout, /\nExamples:\n {2}\$ safesquid-fleet /);
    assert.match(r.stdout, /Exit codes: 0 .* 1 .* 2 .* 3 .*130 interrupted/s);
    assertNoEscapes(r, args.join(" "));
  }
});

test("--help of every command shows its options and examples, exit 0", async () => {
  for (const c of ALL_COMMANDS) {
    const words = c.split(" ");
    // commander's `help` command takes one name: `inventory help validate` for a subcommand.
    const viaHelp = words.length === 1 ? ["help", c] : [words[0]!, "help", ...words.slice(1)];
    for (const args of [[...words, "--help"], viaHelp]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^Usage: safesquid-fleet ${c} `), args.join(" "));
      assert.match(r.stdout, /\nExamples?:\n {2}(\$ )?safesquid-fleet /, `${args.join(" ")} has examples`);
    }
  }
  const verify = await runCli(["verify", "--help"]);
  for (const o of ["--inventory", "--output", "--limit", "--concurrency", "--timeout", "--wait"]) assert.match(verify.stdout, new RegExp(o));
  // verify declines --yes (it asks no yes/no question): not in its --help (test/cli/options.test.ts refuses it)
  assert.doesNotMatch(verify.stdout, /--yes/);
});

test("no command, or a command group without its subcommand: the help on stderr, exit 2", async () => {
  for (const args of [[], ["inventory"]]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${JSON.stringify(args)}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /Usage: safesquid-fleet/);
  }
});

test("an unknown command or flag: exit 2, the error and '(run with --help for usage)' on stderr, nothing on stdout", async (t) => {
  const { file } = offlineInventory(t);
  const cases: string[][] = [["bogus"], ["--bogus"], ...FLEET.map((c) => [c, "--bogus", "-i", file]), ["inventory", "validate", "--bogus"], ["inventory", "bogus"], ["lab", "--bogus"]];
  for (const args of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "", args.join(" "));
    assert.match(r.stderr, /^error: unknown (command|option) '(bogus|--bogus)'\n/m, args.join(" "));
    assert.match(r.stderr, /\(run with --help for usage\)\n$/, args.join(" "));
    assertNoEscapes(r, args.join(" "));
  }
});

/** Usage errors of the fleet commands that commander or the command itself catches. */
function usageCases(file: string): { args: string[]; code: string; stderr: RegExp }[] {
  const out: { args: string[]; code: string; stderr: RegExp }[] = [];
  for (const c of FLEET) {
    out.push({ args: [c, "-i", file, "--bogus"], code: "USAGE", stderr: /unknown option '--bogus'/ });
    // allow declines --concurrency (one node, the master): refused with its reason, whatever the value
    out.push({ args: [c, "-i", file, "--concurrency", "0"], code: "USAGE", stderr: c === "allow" ? /allow does not take --concurrency/ : /--concurrency must be a whole number of 1 or more, not "0"/ });
    out.push({ args: [c, "-i", file, "--concurrency", "two"], code: "USAGE", stderr: c === "allow" ? /allow does not take --concurrency/ : /--concurrency must be a whole number/ });
    out.push({ args: [c, "-i", file, "--timeout", "soon"], code: "USAGE", stderr: /--timeout must be a duration/ });
    out.push({ args: [c, "-i", file, "--limit", "nope"], code: "USAGE", stderr: /--limit: no slave is named "nope"/ });
    out.push({ args: [c, "-i", file, "-o", "xml"], code: "USAGE", stderr: /--output must be one of/ });
  }
  for (const c of ["join-slave", "allow", "apply"]) {
    out.push({ args: [c, "-i", file, "--detailed-exitcode"], code: "USAGE", stderr: /--detailed-exitcode goes with --dry-run/ });
  }
  out.push({ args: ["verify", "-i", file, "--detailed-exitcode"], code: "USAGE", stderr: /unknown option '--detailed-exitcode'/ });
  out.push({ args: ["verify", "-i", file, "nope"], code: "USAGE", stderr: /no slave is named "nope"/ });
  out.push({ args: ["join-slave", "-i", file, "pune-*", "nope-*"], code: "USAGE", stderr: /nope-\*/ });
  out.push({ args: ["verify", "-i", file, "--wait", "0"], code: "USAGE", stderr: /--wait must be a duration/ });
  return out;
}

test("usage errors of every fleet command in text: exit 2, the reason on stderr, stdout empty, nothing contacted", async (t) => {
  const { file } = offlineInventory(t);
  for (const c of [...usageCases(file), { args: ["join-slave", "-i", file, "-o", "junit"], code: "USAGE", stderr: /--output must be one of text, json, not "junit"/ }, { args: ["allow", "-i", file, "-o", "junit"], code: "USAGE", stderr: /--output must be one of text, json/ }]) {
    const r = await runCli(c.args);
    const what = c.args.join(" ");
    assert.equal(r.code, 2, `${what}: ${r.stderr}`);
    assert.equal(r.stdout, "", what);
    assert.match(r.stderr, c.stderr, what);
    assert.match(r.stderr, /^error: /m, what);
    assertNoEscapes(r, what);
  }
});

test("usage errors with -o json: exactly one error envelope on stdout (schema-valid), exit 2, wherever -o json is written", async (t) => {
  const { file } = offlineInventory(t);
  const forms = [["-o", "json"], ["--output=json"], ["-ojson"]];
  for (const [i, c] of usageCases(file).filter((x) => !x.args.includes("-o")).entries()) {
    {
      const json = forms[i % forms.length]!;
      const args = [...c.args.slice(0, 1), ...json, ...c.args.slice(1)];
      const r = await runCli(args);
      const doc = envelope(r, c.code, 2, args.join(" "));
      assert.equal(doc.command, c.args[0], args.join(" "));
      assert.match(doc.error.message + " " + (doc.error.hint ?? ""), c.stderr, args.join(" "));
    }
  }
  // -o json after the bad flag, and before the command (a global position it does not have).
  const after = await runCli(["verify", "-i", file, "--bogus", "-o", "json"]);
  assert.equal(envelope(after, "USAGE", 2).command, "verify");
  const before = await runCli(["-o", "json", "verify", "-i", file]);
  const doc = envelope(before, "USAGE", 2);
  assert.ok(doc.command === "" || doc.command === "verify", `the envelope names no made-up command: ${doc.command}`);
  const sub = await runCli(["inventory", "validate", "--bogus", "-o", "json"]);
  assert.equal(envelope(sub, "USAGE", 2).command, "inventory validate");
});

test("inventory errors stop every fleet command with exit 2 (text and json), every error listed", async (t) => {
  const { dir, file } = offlineInventory(t, "typo: 1\n");
  writeFileSync(join(dir, "dup.yaml"), readFileSync(file, "utf8").replace("typo: 1\n", "").replace("pune-2", "pune-1"));
  for (const c of FLEET) {
    const missing = await runCli([c, "-i", join(dir, "nope.yaml")]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.equal(missing.stdout, "");
    assert.match(missing.stderr, /^error: no inventory: .*nope\.yaml does not exist/m);

    const bad = await runCli([c, "-i", file]);
    assert.equal(bad.code, 2, bad.stderr);
    assert.equal(bad.stdout, "");
    assert.match(bad.stderr, /fleet\.yaml:\d+:\d+: .*typo/);

    const env = await runCli([c, "-o", "json"], { cwd: dir, env: { SAFESQUID_FLEET_INVENTORY: "dup.yaml" } });
    const doc = envelope(env, "INVENTORY", 2, `${c} dup`);
    assert.equal(doc.command, c);
    assert.match(JSON.stringify(doc.error), /pune-1/);

    const none = await runCli([c, "-o", "json"], { cwd: dir, env: { SAFESQUID_FLEET_INVENTORY: undefined } });
    assert.match(envelope(none, "INVENTORY", 2, `${c} default`).error.message, /safesquid-fleet\.yaml does not exist/);
  }
});

test("a missing secret stops every fleet command with exit 2 before any node is contacted; the envelope names the variable", async (t) => {
  const { file } = offlineInventory(t, "");
  const withCreds = readFileSync(file, "utf8").replace("  timeout: 500ms\n", "  timeout: 500ms\n  credentials:\n    username: fleet\n    passwordEnv: SSF_TEST_MISSING_PW\n");
  writeFileSync(file, withCreds);
  for (const c of FLEET) {
    const yes = c === "verify" ? [] : ["--yes"]; // verify declines --yes
    const r = await runCli([c, "-i", file, ...yes], { env: { SSF_TEST_MISSING_PW: undefined } });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /SSF_TEST_MISSING_PW is not set/);
    const j = await runCli([c, "-i", file, ...yes, "-o", "json"], { env: { SSF_TEST_MISSING_PW: "" } });
    const doc = envelope(j, "CREDENTIALS", 2, c);
    assert.match(doc.error.message, /SSF_TEST_MISSING_PW is empty/);
  }
});

test("inventory validate: text on a pipe (no escape codes), json, and exit 2 for an invalid file", async (t) => {
  const { file } = offlineInventory(t);
  const ok = await runCli(["inventory", "validate", "-i", file], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^inventory .*fleet\.yaml: valid, 1 master, 2 slaves\n/);
  assert.equal(ok.stderr, "");
  assertNoEscapes(ok);
  const json = await runCli(["inventory", "validate", "-i", file, "-o", "json"]);
  assert.equal(json.code, 0);
  const doc = JSON.parse(json.stdout);
  assert.equal(doc.ok, true);
  assert.equal(json.stderr, "");

  const { file: bad } = offlineInventory(t, "typo: 1\n");
  const r = await runCli(["inventory", "validate", "-i", bad]);
  assert.equal(r.code, 2);
  assert.match(r.stdout + r.stderr, /typo/);
  const j = await runCli(["inventory", "validate", "-i", bad, "-o", "json"]);
  assert.equal(j.code, 2);
  assert.equal(JSON.parse(j.stdout).ok, false, "one JSON document, also for an invalid inventory");
});

test("lab: bad options are usage errors (exit 2) that say what would be accepted", async () => {
  for (const [args, re] of [
    [["lab", "--slaves", "0"], /--slaves must be a whole number of 1 or more/],
    [["lab", "--port", "70000"], /--port must be 0\.\.65535/],
    [["lab", "--sync-interval", "10ms"], /--sync-interval must be a duration of 100ms or more/],
    [["lab", "--bogus"], /unknown option '--bogus'/],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, re);
  }
});
