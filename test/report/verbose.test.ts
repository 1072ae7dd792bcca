import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { Printer } from "../../src/report/printer.js";
import { callLogger, formatCall } from "../../src/report/verbose.js";

test("one line per admin call: node, handler, status, time; retries marked", () => {
  assert.equal(formatCall({ node: "hq", handler: "conf_xml", status: 200, ms: 12.4, attempt: 1 }), "hq  conf_xml           200  12ms");
  assert.equal(formatCall({ node: "hq", handler: "conf_xml", status: 200, ms: 12.4, attempt: 1 }, 8), "hq        conf_xml           200  12ms");
  assert.equal(formatCall({ node: "pune-1", handler: "safesquid_params", status: "timeout", ms: 10_000, attempt: 3 }), "pune-1  safesquid_params   timeout  10s  (retry 2)");
});

test("never a parameter value; hostile node names made safe", () => {
  const line = formatCall({ node: "x\u001b[2J", handler: "configuration&password=hunter2", status: 407, ms: 1, attempt: 1 });
  assert.ok(!line.includes("hunter2") && !line.includes("\u001b"), line);
  assert.match(line, /^x\\x1b\[2J {2}\? /);
});

test("callLogger prints through the printer only with --verbose", () => {
  for (const verbose of [false, true]) {
    const stderr = new PassThrough();
    let buf = "";
    stderr.on("data", (d: Buffer) => (buf += d.toString()));
    const log = callLogger(new Printer({ format: "text", quiet: false, verbose }, { stdout: new PassThrough(), stderr }), ["hq", "pune-10"]);
    log({ node: "hq", handler: "log", status: 200, ms: 3, attempt: 1 });
    assert.equal(buf.replace(/\u001b\[[0-9;]*m/g, ""), verbose ? "hq       log                200  3ms\n" : "");
  }
});
