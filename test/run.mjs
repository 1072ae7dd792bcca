#!/usr/bin/env node
// Runs every test file with node:test through tsx. The files are listed explicitly: on
// Node 20 a glob is not expanded and a run with no files passes with zero tests, so an
// empty list is an error here. `npm test -- test/unit/xml.test.ts` (or `node test/run.mjs FILE...`) runs only the files given.
//
// Output: on a terminal, node's spec reporter. Elsewhere (a CI log, a pipe) the compact
// reporter, test/reporter.mjs: a mark per test, every failure in full, the skipped tests with
// their reasons, and node's summary lines (`# tests N`, `# pass N`, `# fail N`). The exit code
// says pass or fail. The TAP stream is there on request:
//   npm test -- --tap              TAP on stdout instead of the compact report
//   npm test -- --tap=results.tap  the compact report, and TAP in results.tap (the vendor run)
//                                  and results.alt.tap (each other dialect's run)
//
// Dialects (docs/emulator.md "Test runs"): the files run once with the emulated nodes in the
// vendor dialect; then the end-to-end files among them (those that run the CLI against a lab
// through startFleet) run again for each other dialect in SAFESQUID_TEST_DIALECTS
// (comma-separated, default "vendor,alt"). Each run says which dialect it is, and so does the end.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const KNOWN = ["vendor", "alt"];
const dialects = (process.env.SAFESQUID_TEST_DIALECTS || "vendor,alt").split(",").map((d) => d.trim()).filter(Boolean);
const unknown = dialects.filter((d) => !KNOWN.includes(d));
if (unknown.length) {
  console.error(`run-tests: SAFESQUID_TEST_DIALECTS names ${unknown.join(", ")}; known: ${KNOWN.join(", ")}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const tapArg = args.find((a) => a === "--tap" || a.startsWith("--tap="));
const unknownFlag = args.find((a) => a.startsWith("-") && a !== tapArg);
if (unknownFlag) {
  console.error(`run-tests: unknown option ${unknownFlag}; known: --tap, --tap=FILE`);
  process.exit(2);
}
const given = args.filter((a) => !a.startsWith("-"));
const files = given.length ? given : find("test");
if (files.length === 0) {
  console.error("run-tests: no test files found under test/ (expected *.test.ts)");
  process.exit(1);
}
const endToEnd = files.filter((f) => /\bstartFleet\(/.test(readFileSync(f, "utf8")));
const concurrency = process.env.TEST_CONCURRENCY ?? "3";
const COMPACT = fileURLToPath(new URL("./reporter.mjs", import.meta.url));

/** The reporter flags for one run: spec on a terminal, compact elsewhere; TAP when asked. */
function reporters(dialect) {
  if (tapArg === "--tap") return ["--test-reporter=tap"];
  const main = process.stdout.isTTY ? ["--test-reporter=spec", "--test-reporter-destination=stdout"] : [`--test-reporter=${pathToFileURL(COMPACT).href}`, "--test-reporter-destination=stdout"];
  if (!tapArg) return main;
  const file = tapArg.slice("--tap=".length);
  const out = dialect === "vendor" ? file : file.replace(/(\.[^./]*)?$/, (ext) => `.${dialect}${ext}`);
  return [...main, "--test-reporter=tap", `--test-reporter-destination=${out}`];
}

// A hang guard, not a speed check: node --test applies it to a whole file in its own process
// too, and the longest end-to-end files need several minutes on a busy 2-core machine.
// SAFESQUID_TEST_TIMEOUT_MS changes it.
const timeoutMs = process.env.SAFESQUID_TEST_TIMEOUT_MS ?? "900000";

/** One node --test run with the nodes in this dialect; resolves with its exit code. */
function run(dialect, list) {
  const args = ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, `--test-timeout=${timeoutMs}`, ...reporters(dialect), ...list];
  console.error(`run-tests: dialect ${dialect}: ${list.length} test files, concurrency ${concurrency}`);
  const child = spawn(process.execPath, args, { stdio: "inherit", env: { ...process.env, SAFESQUID_TEST_DIALECT: dialect } });
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const results = [["vendor", await run("vendor", files)]];
for (const d of dialects.filter((x) => x !== "vendor")) {
  if (endToEnd.length === 0) continue;
  results.push([d, await run(d, endToEnd)]);
}
for (const [d, code] of results) console.error(`run-tests: dialect ${d}: ${code === 0 ? "passed" : `FAILED (exit ${code})`}`);
process.exit(results.find(([, code]) => code !== 0)?.[1] ?? 0);
