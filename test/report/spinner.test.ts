import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { Printer } from "../../src/report/printer.js";
import { createProgress, type Progress } from "../../src/report/spinner.js";

function sink(tty = false): PassThrough & { text: () => string; isTTY?: boolean; columns?: number } {
  const s = new PassThrough() as PassThrough & { text: () => string; isTTY?: boolean; columns?: number; cursorTo?: unknown; moveCursor?: unknown; clearLine?: unknown };
  let buf = "";
  s.on("data", (d: Buffer) => (buf += d.toString()));
  s.text = () => buf;
  if (tty) {
    s.isTTY = true;
    s.columns = 80;
    s.cursorTo = (x: number) => s.write(`<to ${x}>`);
    s.moveCursor = (_x: number, y: number) => s.write(`<up ${-y}>`);
    s.clearLine = () => s.write("<clear>");
  }
  return s;
}

function exercise(p: Progress): void {
  p.phase("join-slave: 3 slaves");
  p.update(1, 3, "pune-1 restarting");
  p.note("pune-1: restarting");
  p.succeed("join-slave: 3 joined");
  p.stop();
}

test("silent in -o json, -o junit and with --quiet", () => {
  for (const o of [{ format: "json", quiet: false }, { format: "junit", quiet: false }, { format: "text", quiet: true }] as const) {
    const s = sink(true);
    const p = createProgress({ ...o, stream: s, animate: true });
    assert.equal(p.mode, "silent");
    exercise(p);
    assert.equal(s.text(), "");
  }
  const printerErr = sink(true);
  const p = createProgress({ printer: new Printer({ format: "json", quiet: false, verbose: false }, { stdout: sink(), stderr: printerErr }) });
  assert.equal(p.mode, "silent");
});

test("not a terminal (or CI set): plain lines, no animation, no escape code", () => {
  let now = 0;
  const s = sink();
  const p = createProgress({ format: "text", quiet: false, stream: s, env: { CI: "true" }, now: () => now, intervalMs: 15_000, unicode: true });
  assert.equal(p.mode, "lines");
  p.phase("verify: 5 slaves");
  p.update(1, 5, "pune-1");
  now = 20_000;
  p.update(2, 5, "pune-2");
  p.update(3, 5, "pune-3");
  p.note("pune-2: sections pending");
  p.fail("verify: 1 out of sync");
  p.stop();
  assert.equal(s.text(), "verify: 5 slaves\nverify: 5 slaves  2/5  pune-2\n  pune-2: sections pending\n✗ verify: 1 out of sync\n");
  assert.ok(!s.text().includes("\u001b"));
});

test("plain lines make hostile text safe", () => {
  const s = sink();
  const p = createProgress({ format: "text", quiet: false, stream: s, animate: false });
  p.phase("restarting evil\u001b]0;x\u0007");
  assert.equal(s.text(), "restarting evil\\x1b]0;x\\x07\n");
});

test("pause() runs the question and hands back its answer, in every mode", async () => {
  for (const o of [{ format: "json", quiet: false }, { format: "text", quiet: false }] as const) {
    const p = createProgress({ ...o, stream: sink(), animate: false });
    assert.equal(await p.pause(async () => 42), 42);
  }
});

test("on a terminal: an ora spinner that stops for a question and clears itself on Ctrl-C", async () => {
  const s = sink(true);
  const ac = new AbortController();
  const p = createProgress({ format: "text", quiet: false, stream: s, animate: true, signal: ac.signal, unicode: true });
  assert.equal(p.mode, "animated");
  p.phase("allow: reading hq");
  await (p as unknown as { ready(): Promise<void> }).ready();
  assert.match(s.text(), /allow: reading hq/);
  assert.match(s.text(), /\u001b\[\?25l/, "cursor hidden while spinning");
  const before = s.text().length;
  const answer = await p.pause(async () => {
    assert.match(s.text().slice(before), /<clear>/, "cleared before the question");
    assert.match(s.text(), /\u001b\[\?25h/, "cursor shown for the question");
    return "yes";
  });
  assert.equal(answer, "yes");
  ac.abort();
  const atAbort = s.text();
  assert.match(atAbort.slice(atAbort.lastIndexOf("allow: reading hq")), /<clear>[\s\S]*\u001b\[\?25h/, "cleared and cursor shown on Ctrl-C");
  p.phase("join-slave");
  p.update(1, 2);
  p.succeed("done");
  assert.equal(s.text(), atAbort, "nothing drawn after the interrupt");
});
