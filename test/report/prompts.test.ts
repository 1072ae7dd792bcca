import { test } from "node:test";
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { exitCodeFor, FleetError } from "../../src/errors.js";
import { inquirerAsker, type Asker } from "../../src/report/ask.js";
import { askBackupToCloud, askPassword, confirmMove, confirmRestart, type PromptContext } from "../../src/report/prompts.js";
import type { Progress } from "../../src/report/spinner.js";

/** An Asker with canned answers that records what it was asked. */
function canned(answers: { confirm?: boolean[]; password?: string[] }): Asker & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async confirm(message) {
      asked.push(message);
      return answers.confirm!.shift()!;
    },
    async password(message) {
      asked.push(message);
      return answers.password!.shift()!;
    },
  };
}

const never: Asker = {
  confirm: (_m, o) => new Promise((_, reject) => o.signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortPromptError" })))),
  password: (_m, o) => new Promise((_, reject) => o.signal.addEventListener("abort", () => reject(Object.assign(new Error("aborted"), { name: "AbortPromptError" })))),
};

function ctx(over: Partial<PromptContext> = {}): PromptContext & { written: () => string } {
  const out = new PassThrough();
  let buf = "";
  out.on("data", (d: Buffer) => (buf += d.toString()));
  return { interactive: true, signal: new AbortController().signal, env: {}, output: out, written: () => buf, ...over };
}

async function rejectsWith(p: Promise<unknown>, code: string, pattern?: RegExp): Promise<FleetError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof FleetError, String(e));
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(`${e.message} | ${e.hint ?? ""}`, pattern);
    return e;
  }
  assert.fail("expected a rejection");
}

test("without a terminal every question fails fast with NEEDS_INPUT (exit 2) naming the flag", async () => {
  const c = ctx({ interactive: false, asker: canned({}) });
  const restart = await rejectsWith(confirmRestart(["pune-1", "pune-2"], c), "NEEDS_INPUT", /restart 2 slaves \(pune-1, pune-2\)/);
  assert.match(restart.hint!, /--yes/);
  assert.match(restart.hint!, /--no-restart/);
  const backup = await rejectsWith(askBackupToCloud(c), "NEEDS_INPUT", /back up/);
  assert.match(backup.hint!, /--backup-to-cloud or --no-backup-to-cloud/);
  const pw = await rejectsWith(askPassword("fleet@hq", c, { env: "HQ_PASSWORD" }), "NEEDS_INPUT", /password for fleet@hq/);
  assert.match(pw.hint!, /HQ_PASSWORD/);
  assert.match(pw.hint!, /passwordEnv/);
  assert.equal(exitCodeFor(pw.code), 2);
  assert.equal(c.written(), "", "nothing written when nothing is asked");
});

test("the message says why nothing is asked: CI set, or no terminal", async () => {
  await rejectsWith(askBackupToCloud(ctx({ interactive: false, env: { CI: "true" } })), "NEEDS_INPUT", /CI is set/);
  await rejectsWith(askBackupToCloud(ctx({ interactive: false, env: {} })), "NEEDS_INPUT", /no terminal/);
});

test("--yes answers yes without asking, but never to the cloud backup: without a terminal, no backup; no slave to restart asks nothing", async () => {
  const a = canned({});
  assert.equal(await confirmRestart(["pune-1"], ctx({ interactive: false, yes: true, asker: a })), true);
  assert.equal(await askBackupToCloud(ctx({ interactive: false, yes: true, asker: a })), false);
  // At a terminal it is asked even with --yes.
  const asked = canned({ confirm: [true] });
  assert.equal(await askBackupToCloud(ctx({ interactive: true, yes: true, asker: asked })), true);
  assert.match(asked.asked[0]!, /Backup current configuration to cloud\?/);
  assert.equal(await confirmRestart([], ctx({ interactive: false, asker: a })), true);
  assert.deepEqual(a.asked, []);
});

test("on a terminal the questions are asked (stderr), with canned answers", async () => {
  const a = canned({ confirm: [true, false, false], password: ["s3cret"] });
  const c = ctx({ asker: a });
  assert.equal(await confirmRestart(["pune-1", "pune-2"], c), true);
  assert.match(c.written(), /These slaves will restart[^\n]*\n {2}pune-1, pune-2\n/);
  assert.equal(await confirmRestart(["pune-3"], c), false);
  assert.equal(await askBackupToCloud(c), false);
  const pw = await askPassword("fleet@hq", c);
  assert.equal(pw.reveal(), "s3cret");
  assert.equal(String(pw), "[redacted]");
  assert.equal(JSON.stringify({ pw }), '{"pw":"[redacted]"}');
  assert.deepEqual(a.asked, ["Restart 2 slaves now?", "Restart 1 slave now?", "Backup current configuration to cloud?", "Password for fleet@hq:"]);
  assert.ok(!c.written().includes("s3cret"));
});

test("at a terminal --yes does not answer the cloud-backup question: it is asked", async () => {
  const a = canned({ confirm: [false] });
  assert.equal(await askBackupToCloud(ctx({ yes: true, asker: a })), false);
  assert.deepEqual(a.asked, ["Backup current configuration to cloud?"]);
});

test("a long list of slaves is shortened; hostile names are made safe", async () => {
  const names = Array.from({ length: 25 }, (_, i) => `s${i}`);
  const c = ctx({ asker: canned({ confirm: [true, true] }) });
  await confirmRestart(names, c);
  assert.match(c.written(), /s19 and 5 more\n/);
  await confirmRestart(["bad\u001b[2Jname"], c);
  assert.ok(!c.written().includes("\u001b"));
});

test("the spinner is paused while a question is on screen", async () => {
  const calls: string[] = [];
  const progress = { pause: async <T>(fn: () => Promise<T>) => (calls.push("pause"), fn().finally(() => calls.push("resume"))) } as unknown as Progress;
  await confirmRestart(["pune-1"], ctx({ progress, asker: canned({ confirm: [true] }) }));
  assert.deepEqual(calls, ["pause", "resume"]);
});

test("Ctrl-C at a prompt (ExitPromptError) is INTERRUPTED: exit 130", async () => {
  const exit: Asker = { confirm: async () => Promise.reject(Object.assign(new Error("User force closed the prompt with SIGINT"), { name: "ExitPromptError" })), password: async () => "" };
  const e = await rejectsWith(confirmRestart(["pune-1"], ctx({ asker: exit })), "INTERRUPTED");
  assert.equal(exitCodeFor(e.code), 130);
});

test("the run's interrupt during a question is INTERRUPTED, with the run's own reason", async () => {
  const ac = new AbortController();
  const p = askBackupToCloud(ctx({ signal: ac.signal, asker: never }));
  const reason = new FleetError("INTERRUPTED", "interrupted (SIGINT)");
  ac.abort(reason);
  assert.equal(await rejectsWith(p, "INTERRUPTED"), reason);
});

test("no answer before the deadline is NEEDS_INPUT naming the flags", async () => {
  // AbortSignal.timeout does not keep the process alive (a real prompt holds stdin): this does.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    await rejectsWith(askBackupToCloud(ctx({ asker: never, timeoutMs: 5 })), "NEEDS_INPUT", /no answer[\s\S]*--backup-to-cloud or --no-backup-to-cloud/);
  } finally {
    clearInterval(keepAlive);
  }
});

test("@inquirer/prompts: answers from the input, hidden password, an input that ends or stays silent", async () => {
  const input = new PassThrough();
  const c = ctx({ asker: inquirerAsker(input) });
  const answer = confirmRestart(["pune-1"], c);
  input.write("y\n");
  assert.equal(await answer, true);

  const pwIn = new PassThrough();
  const pc = ctx({ asker: inquirerAsker(pwIn) });
  const pw = askPassword("fleet@hq", pc);
  pwIn.write("hunter2\n");
  assert.equal((await pw).reveal(), "hunter2");
  assert.ok(!pc.written().includes("hunter2"), "the password is not echoed");

  const closed = new PassThrough();
  const cl = askBackupToCloud(ctx({ asker: inquirerAsker(closed) }));
  closed.end();
  await rejectsWith(cl, "INTERRUPTED", /input closed|Ctrl-C/);

  const silent = new PassThrough(); // an open pipe that never sends anything
  const ac = new AbortController();
  const s = askBackupToCloud(ctx({ signal: ac.signal, asker: inquirerAsker(silent) }));
  ac.abort(new FleetError("INTERRUPTED", "interrupted (SIGTERM)"));
  await rejectsWith(s, "INTERRUPTED", /SIGTERM/);
});

test("moving slaves from another master: asked at a terminal naming both masters; --yes does not answer it; no terminal means no", async () => {
  const moves = [{ name: "pune-7", from: "10.0.0.5:8080", to: "10.0.0.10:8080" }];
  const yes = canned({ confirm: [true] });
  const c = ctx({ asker: yes });
  assert.equal(await confirmMove(moves, c), true);
  assert.match(yes.asked[0]!, /Move 1 slave from master 10\.0\.0\.5:8080 to master 10\.0\.0\.10:8080\?/);
  assert.match(c.written(), /pune-7: master 10\.0\.0\.5:8080 -> 10\.0\.0\.10:8080/);
  assert.equal(await confirmMove(moves, ctx({ interactive: false, yes: true, asker: canned({}) })), false, "--yes alone never moves a slave");
  assert.equal(await confirmMove(moves, ctx({ asker: canned({ confirm: [false] }) })), false);
  assert.equal(await confirmMove([], ctx({ interactive: false })), true, "nothing to move, nothing asked");
});
