/**
 * Shared by the CLI-mode tests (test/cli/): the `-o json` schema check, the "no escape codes"
 * and "one document" assertions, a written inventory that needs no lab, and a tmux pane for
 * the pseudo-terminal paths. Every test here runs the BUILT CLI (`npm run build` first).
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { assertBuilt, BIN, ROOT, type CliOptions, type CliResult } from "../helpers/cli.js";
import type { Fleet } from "../helpers/fleet.js";
import { elements, parseXml } from "../../src/safesquid/xml.js";

// The report's symbols (✓ ✗ …) are Unicode only in a UTF-8 locale off the Linux console
// (src/report/symbols.ts), and tmux draws them only in a UTF-8 locale: these tests expect
// them, so the CLI runs they start get one whatever the machine's default.
{
  const locale = process.env.LC_ALL || process.env.LC_CTYPE || process.env.LANG || "";
  if (locale !== "" && !/utf-?8/i.test(locale)) process.env.LC_ALL = "C.UTF-8";
  if (process.env.TERM === "linux") process.env.TERM = "xterm-256color";
}

const schema = JSON.parse(readFileSync(join(ROOT, "examples/report.schema.json"), "utf8")) as object;
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validateReport = ajv.compile(schema);

// CSI / OSC / any ESC, C1 controls, and the bidi overrides: nothing of the kind may reach a pipe.
// eslint-disable-next-line no-control-regex
export const ESCAPES = /[\u001b\u009b\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Asserts that neither stream carries a single escape code (text that is not a terminal). */
export function assertNoEscapes(r: CliResult, what = ""): void {
  assert.doesNotMatch(r.stdout, ESCAPES, `${what} stdout has escape codes:\n${JSON.stringify(r.stdout)}`);
  assert.doesNotMatch(r.stderr, ESCAPES, `${what} stderr has escape codes:\n${JSON.stringify(r.stderr)}`);
}

/**
 * Asserts that stdout is exactly one JSON document (nothing before or after it, one trailing
 * newline), valid against examples/report.schema.json; returns it.
 */
export function oneReport(r: CliResult, what = ""): any {
  let doc: any;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    assert.fail(`${what}: stdout is not one JSON document:\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  }
  assert.ok(r.stdout.startsWith("{") && r.stdout.endsWith("}\n") && !r.stdout.endsWith("\n\n"), `${what}: stdout holds more than the document`);
  const valid: boolean = validateReport(doc);
  assert.ok(valid, `${what}: not valid against examples/report.schema.json: ${ajv.errorsText(validateReport.errors)}\n${r.stdout}`);
  assert.equal(doc.exitCode, r.code, `${what}: the document's exitCode is the process's`);
  return doc;
}

/** Asserts an error envelope with this code and exit code; returns it. */
export function envelope(r: CliResult, code: string, exit: number, what = ""): any {
  assert.equal(r.code, exit, `${what}: exit code\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`);
  const doc = oneReport(r, what);
  assert.equal(doc.ok, false, what);
  assert.deepEqual(doc.nodes, [], what);
  assert.equal(doc.error?.code, code, `${what}: ${JSON.stringify(doc.error)}`);
  return doc;
}

/** A temporary folder, removed after the test. */
export function tempDir(t: TestContext, prefix = "ssf-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * An inventory of addresses where nothing answers (TEST-NET), for the errors that must stop a
 * run before any node is contacted. `extra` is appended as YAML.
 */
export function offlineInventory(t: TestContext, extra = ""): { dir: string; file: string } {
  const dir = tempDir(t);
  const file = join(dir, "fleet.yaml");
  writeFileSync(
    file,
    `version: 1\ndefaults:\n  timeout: 500ms\nmaster:\n  name: hq\n  host: 192.0.2.10\nslaves:\n  - name: pune-1\n    host: 192.0.2.11\n  - name: pune-2\n    host: 192.0.2.12\n${extra}`,
  );
  return { dir, file };
}

/** The run records a run left in `dir` (.safesquid-fleet/runs), parsed line by line. */
export function runRecords(dir: string): { file: string; text: string; entries: any[] }[] {
  const runs = join(dir, ".safesquid-fleet", "runs");
  let names: string[] = [];
  try {
    names = readdirSync(runs).sort();
  } catch {
    return [];
  }
  return names.map((n) => {
    const text = readFileSync(join(runs, n), "utf8");
    return { file: n, text, entries: text.trim().split("\n").map((l) => JSON.parse(l)) };
  });
}

export const HAVE_TMUX = spawnSync("tmux", ["-V"]).status === 0;

/**
 * Before a test that drives the built CLI in a tmux pane: skips it (saying why) where tmux is
 * not installed, and stops it where the build is older than src/. False: the test is skipped.
 */
export function paneReady(t: TestContext): boolean {
  if (!HAVE_TMUX) {
    t.skip("tmux is not installed: the pseudo-terminal tests need it");
    return false;
  }
  assertBuilt();
  return true;
}

export interface Pane {
  keys(...k: string[]): void;
  /** The visible screen, as text (with `escapes`, tmux's rendering of colours too). */
  screen(escapes?: boolean): string;
  /** Polls the screen until `re` matches (a deadline that stops a hung test, not a timing assertion). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Everything printed (scrollback too), with the lines the terminal wrapped joined again: a line wider than the pane is one the terminal broke. */
  printed(): string;
  /** Is the cursor visible (tmux's cursor_flag)? */
  cursorVisible(): boolean;
  /** The exit code the wrapper printed (EXIT=n), once the command has ended. */
  exitCode(timeoutMs?: number): Promise<number>;
  /** After the command ended: are the terminal's modes (stty) as they were before it? */
  terminalRestored(): boolean;
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `safesquid-fleet ARGS` in a tmux pane of its own (its own server socket), as an
 * administrator at a terminal would: stdin and stderr are the pty, CI unset, colour as `env`
 * says. The wrapper shell survives Ctrl-C itself (a no-op trap: the tool gets the signal with
 * its default disposition), then prints TTY=restored|changed (the terminal's stty modes against
 * those before the run) and EXIT=<code>.
 */
export function pane(t: TestContext, args: string[], o: { cwd: string; env?: Record<string, string>; cols?: number; rows?: number; before?: string; stdoutTo?: string }): Pane {
  // A server of its own on a socket in a folder of its own (kill-server leaves the socket file).
  const sockDir = mkdtempSync(join(tmpdir(), "ssf-tmux-"));
  const socket = join(sockDir, "s");
  const tmux = (...a: string[]): string => execFileSync("tmux", ["-S", socket, ...a], { encoding: "utf8" });
  const script = join(sockDir, "run.sh");
  const env = Object.entries({ NO_COLOR: "1", ...o.env })
    .filter(([, v]) => v !== "")
    .map(([k, v]) => `${k}=${q(v)}`)
    .join(" ");
  writeFileSync(
    script,
    [
      "#!/bin/bash",
      "trap ':' INT", // the tool gets the Ctrl-C; this shell stays to print its exit code
      `cd ${q(o.cwd)}`,
      o.before ?? "",
      'tty_before="$(stty -g)"',
      `env -u CI -u FORCE_COLOR -u NO_COLOR ${env} ${q(process.execPath)} ${q(BIN)} ${args.map(q).join(" ")}${o.stdoutTo ? ` > ${q(o.stdoutTo)}` : ""}`,
      "code=$?",
      // The terminal's modes as the tool found them (echo, canonical input...): left clean?
      '[ "$(stty -g)" = "$tty_before" ] && echo "TTY=restored" || echo "TTY=changed"',
      'echo "EXIT=$code"',
      "sleep 600",
      "",
    ].join("\n"),
  );
  chmodSync(script, 0o755);
  tmux("new-session", "-d", "-s", "t", "-x", String(o.cols ?? 120), "-y", String(o.rows ?? 40), script);
  t.after(() => {
    spawnSync("tmux", ["-S", socket, "kill-server"]);
    rmSync(sockDir, { recursive: true, force: true });
  });
  const screen = (escapes = false): string => tmux("capture-pane", "-p", ...(escapes ? ["-e"] : []), "-t", "t");
  const waitFor = async (re: RegExp, timeoutMs = 60_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = screen();
      if (re.test(s)) return s;
      if (Date.now() > deadline) assert.fail(`${re} never appeared; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    keys: (...k) => void tmux("send-keys", "-t", "t", ...k),
    screen,
    printed: () => tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "t"),
    waitFor,
    cursorVisible: () => tmux("display-message", "-p", "-t", "t", "#{cursor_flag}").trim() === "1",
    exitCode: async (timeoutMs) => Number(/EXIT=(\d+)/.exec(await waitFor(/EXIT=\d+/, timeoutMs))![1]),
    terminalRestored: () => /^TTY=restored$/m.test(screen()),
  };
}

/**
 * Checks a JUnit document the way CI readers need it: well-formed XML (the project's strict
 * reader), a <testsuites> root whose counts, and every <testsuite>'s, equal its testcases;
 * returns the totals and the cases.
 */
export function junit(xml: string): { tests: number; failures: number; skipped: number; cases: { suite: string; classname: string; name: string; failure?: string; skipped?: string }[] } {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'), "an XML declaration first");
  assert.ok(xml.endsWith("</testsuites>\n"), "nothing after the document");
  const root = parseXml(xml);
  assert.equal(root.name, "testsuites");
  const cases: ReturnType<typeof junit>["cases"] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const suite of elements(root)) {
    assert.equal(suite.name, "testsuite");
    const mine = elements(suite).filter((c) => c.name === "testcase");
    const f = mine.filter((c) => elements(c).some((x) => x.name === "failure")).length;
    const s = mine.filter((c) => elements(c).some((x) => x.name === "skipped")).length;
    assert.equal(Number(suite.attrs.tests), mine.length, `${suite.attrs.name}: tests`);
    assert.equal(Number(suite.attrs.failures), f, `${suite.attrs.name}: failures`);
    assert.equal(Number(suite.attrs.skipped), s, `${suite.attrs.name}: skipped`);
    assert.equal(suite.attrs.errors, "0");
    tests += mine.length;
    failures += f;
    skipped += s;
    for (const c of mine) {
      const failure = elements(c).find((x) => x.name === "failure");
      const skip = elements(c).find((x) => x.name === "skipped");
      cases.push({
        suite: suite.attrs.name!,
        classname: c.attrs.classname!,
        name: c.attrs.name!,
        ...(failure ? { failure: failure.attrs.message! } : {}),
        ...(skip ? { skipped: skip.attrs.message! } : {}),
      });
    }
  }
  assert.equal(Number(root.attrs.tests), tests, "total tests");
  assert.equal(Number(root.attrs.failures), failures, "total failures");
  assert.equal(Number(root.attrs.skipped), skipped, "total skipped");
  return { tests, failures, skipped, cases };
}

/** A pipe as CI or `| less` gives it: no NO_COLOR, no FORCE_COLOR, CI unset. */
export const PIPE: CliOptions = { env: { NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined } };
export const JOIN = ["--yes", "--no-backup-to-cloud"];

/** Runs a command in text, json (and junit where it has it) on a pipe; asserts what every mode must hold. */
export async function allModes(f: Fleet, args: string[], code: number, o: { junit?: boolean } = {}): Promise<{ text: CliResult; report: any; xml?: ReturnType<typeof junit> }> {
  const what = args.join(" ");
  const text = await f.run(args, PIPE);
  assert.equal(text.code, code, `${what} (text): exit code\n${text.stdout}\n${text.stderr}`);
  assertNoEscapes(text, what);
  assert.ok(text.stdout.length > 0, `${what}: a report on stdout`);
  // Data on stdout only: the recap line ("✓ 2 joined  ·  1.2s") is in the report, never on stderr.
  const recap = text.stdout.split("\n").find((l) => /^[✓✗] .*  ·  \d/.test(l));
  assert.ok(recap, `${what}: a recap line on stdout\n${text.stdout}`);
  assert.ok(!text.stderr.includes(recap), `${what}: the report is not on stderr`);
  assert.ok(text.stdout.endsWith("\n") && !text.stdout.endsWith("\n\n\n"));

  const json = await f.run([...args, "-o", "json"], PIPE);
  assert.equal(json.code, code, `${what} (json): exit code\n${json.stderr}`);
  const report = oneReport(json, `${what} -o json`);
  assert.equal(json.stderr, "", `${what} -o json: nothing on stderr (no progress, no warnings: they are in the document)`);
  assert.equal(report.command, args[0]);

  let xml: ReturnType<typeof junit> | undefined;
  if (o.junit) {
    const j = await f.run([...args, "-o", "junit"], PIPE);
    assert.equal(j.code, code, `${what} (junit): exit code\n${j.stderr}`);
    assert.equal(j.stderr, "", `${what} -o junit: nothing on stderr`);
    xml = junit(j.stdout);
  }
  return { text, report, ...(xml ? { xml } : {}) };
}
