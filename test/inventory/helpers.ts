/** Shared by the inventory tests: temporary folders, a small valid inventory, scripted prompts. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { Prompts, Validate } from "../../src/inventory/prompts.js";

/** A fresh folder removed after the test. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "ssf-inventory-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The smallest valid inventory, with optional extra lines appended. */
export function minimal(extra = ""): string {
  return `version: 1\nmaster:\n  name: hq\n  host: 10.0.0.10\nslaves:\n  - name: pune-1\n    host: 10.0.1.11\n${extra}`;
}

/** One canned answer: the question it is for, and what the user types (undefined: Enter, the default). */
export interface Answer {
  q: RegExp;
  a?: string | boolean;
}

export interface Scripted extends Prompts {
  /** Every question asked, in order. */
  asked: string[];
  /** Answers a question's validator refused (as the terminal would show), with its message. */
  refused: { question: string; answer: string; error: string }[];
  /** Fails the test if answers are left over. */
  done(): void;
}

/** Prompts that answer from a script; an answer the validator refuses is recorded and the next one is tried. */
export function scripted(answers: Answer[]): Scripted {
  const queue = [...answers];
  const asked: string[] = [];
  const refused: Scripted["refused"] = [];
  const next = (message: string): Answer => {
    asked.push(message);
    const a = queue.shift();
    assert.ok(a, `no answer left for the question "${message}"`);
    assert.match(message, a.q, `the next answer was for ${a.q}, but the question is "${message}"`);
    return a;
  };
  const text = (q: { message: string; default?: string; validate?: Validate }): string => {
    for (;;) {
      const a = next(q.message);
      const value = a.a === undefined ? (q.default ?? "") : String(a.a);
      const ok = q.validate ? q.validate(value) : true;
      if (ok === true) return value;
      refused.push({ question: q.message, answer: value, error: ok });
    }
  };
  return {
    asked,
    refused,
    done: () => assert.deepEqual(queue, [], "answers left over"),
    input: async (q) => text(q),
    editor: async (q) => text(q),
    confirm: async (q) => {
      const a = next(q.message);
      return a.a === undefined ? (q.default ?? false) : a.a === true || a.a === "y";
    },
    select: async <T extends string>(q: { message: string; choices: { name: string; value: T }[]; default?: T }): Promise<T> => {
      const a = next(q.message);
      const v = (a.a === undefined ? q.default : a.a) as T;
      assert.ok(q.choices.some((c) => c.value === v), `"${String(v)}" is not a choice of "${q.message}"`);
      return v;
    },
  };
}
