#!/usr/bin/env node
// Runs every test file with node:test through tsx. The files are listed explicitly: on
// Node 20 a glob is not expanded and a run with no files passes with zero tests, so an
// empty list is an error here. `npm test -- test/unit/xml.test.ts` (or `node test/run.mjs FILE...`) runs only the files given.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const given = process.argv.slice(2);
const files = given.length ? given : find("test");
if (files.length === 0) {
  console.error("run-tests: no test files found under test/ (expected *.test.ts)");
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? "3";
const args = ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-timeout=180000", ...files];
console.error(`run-tests: ${files.length} test files, concurrency ${concurrency}`);
const child = spawn(process.execPath, args, { stdio: "inherit" });
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
