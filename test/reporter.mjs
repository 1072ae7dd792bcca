// The compact test reporter `node test/run.mjs` uses when its output is not a terminal (a CI
// log, a pipe): a dot per passing test file's test, an F per failure and an s per skip, then
// every failure in full (file, test, the error with its stack), every skipped test with
// its reason, and node's own summary lines (`# tests N`, `# pass N`, `# fail N`, ...), the
// same as the TAP reporter ends with. `npm test -- --tap` gives the TAP stream instead.
import { inspect } from "node:util";
import { relative } from "node:path";

const WIDTH = 80;

/** The test file, relative to the working folder (no line: under tsx node reports the transpiled one; the stack has the real one). */
function where(data) {
  return data.file ? relative(process.cwd(), data.file) : "?";
}

/** The failure's error, as node:test's spec reporter shows it: the cause of ERR_TEST_FAILURE. */
function errorText(error) {
  const e = error?.code === "ERR_TEST_FAILURE" && error.cause !== undefined ? error.cause : error;
  const kind = error?.failureType && error.failureType !== "testCodeFailure" ? `(${error.failureType}) ` : "";
  return kind + (e instanceof Error ? inspect(e, { depth: 6, colors: false }) : inspect(e, { depth: 6, colors: false }));
}

function indent(text, by) {
  return text
    .split("\n")
    .map((l) => (l === "" ? l : by + l))
    .join("\n");
}

export default async function* compact(source) {
  let column = 0;
  const failures = [];
  const skipped = [];
  const summary = [];
  // Names of the enclosing tests, per file and nesting level, to print "parent > child".
  const open = new Map();
  const mark = function* (ch) {
    if (column >= WIDTH) {
      yield "\n";
      column = 0;
    }
    column++;
    yield ch;
  };
  for await (const { type, data } of source) {
    if (type === "test:start") {
      const path = open.get(data.file) ?? [];
      path[data.nesting] = data.name;
      path.length = data.nesting + 1;
      open.set(data.file, path);
    } else if (type === "test:pass" || type === "test:fail") {
      const path = (open.get(data.file) ?? []).slice(0, data.nesting).concat(data.name);
      const skip = data.skip !== undefined || data.todo !== undefined;
      if (type === "test:fail" && !data.todo) {
        // A failing subtest also fails its parent: the parent's line only says "subtests failed".
        const onlySubtests = data.details?.error?.failureType === "subtestsFailed";
        if (!onlySubtests) failures.push({ at: where(data), name: path.join(" > "), error: errorText(data.details?.error) });
        if (data.nesting === 0) yield* mark("F");
      } else if (skip) {
        const why = typeof data.skip === "string" ? data.skip : typeof data.todo === "string" ? `todo: ${data.todo}` : data.todo !== undefined ? "todo" : "";
        skipped.push(`${where(data)} ${path.join(" > ")}${why ? ` (${why})` : ""}`);
        if (data.nesting === 0) yield* mark("s");
      } else if (data.nesting === 0) {
        yield* mark(".");
      }
    } else if (type === "test:diagnostic" && data.nesting === 0 && /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(data.message)) {
      summary.push(`# ${data.message}`);
    } else if (type === "test:diagnostic" && data.nesting === 0) {
      // Anything else node says at the top level (e.g. a file that could not be loaded).
      failures.push({ at: where(data), name: "diagnostic", error: data.message, diagnostic: true });
    }
  }
  if (column > 0) yield "\n";
  const real = failures.filter((f) => !f.diagnostic);
  for (const f of failures) yield `\n${f.diagnostic ? "note" : "FAIL"} ${f.at} ${f.name}\n${indent(f.error, "  ")}\n`;
  if (skipped.length) yield `\nskipped (${skipped.length}):\n${skipped.map((s) => `  ${s}\n`).join("")}`;
  if (real.length) yield `\n${real.length} failed:\n${real.map((f) => `  ${f.at} ${f.name}\n`).join("")}`;
  yield `\n${summary.join("\n")}\n`;
}
