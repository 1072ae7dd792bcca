/**
 * Every reply is bounded (src/safesquid/transport.ts REPLY_LIMITS), against an emulated node
 * answering huge replies (its hugeReply fault): a chunked reply is cut at the bound, a
 * Content-Length past it is refused before the body, both as REPLY_TOO_LARGE naming the node,
 * the handler and --max-reply-size; a raised bound reads the same document whole; a read past
 * its bound is not retried; the log stream stops at its byte bound and keeps what it read.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FleetError } from "../../src/errors.js";
import type { NodeSpec } from "../../src/inventory/types.js";
import { SafeSquidClient } from "../../src/safesquid/client.js";
import { DEFAULT_REPLY_LIMIT, REPLY_LIMITS, type CallEvent } from "../../src/safesquid/transport.js";
import { startTestNode } from "../helpers/lab.js";
import type { EmulatedNode } from "../../src/emulator/node.js";

const MiB = 1024 * 1024;

function spec(n: EmulatedNode): NodeSpec {
  return { name: n.name, role: "slave", host: n.host, port: n.port, transport: "proxy", timeoutMs: 10_000 };
}

function tooLarge(pattern: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof FleetError, String(e));
    assert.equal(e.code, "REPLY_TOO_LARGE");
    assert.match(e.message, pattern);
    assert.match(e.hint ?? "", /--max-reply-size \d+MiB/);
    return true;
  };
}

test("the documented bounds: policy document 16 MiB, log 64 MiB, every other reply 1 MiB", () => {
  assert.equal(REPLY_LIMITS.conf_xml, 16 * MiB);
  assert.equal(REPLY_LIMITS.log, 64 * MiB);
  assert.equal(DEFAULT_REPLY_LIMIT, 1 * MiB);
});

test("a 20 MiB policy document, chunked: reading stops at 16 MiB (REPLY_TOO_LARGE, not retried); --max-reply-size reads it whole", async (t) => {
  const node = await startTestNode(t, { name: "pune-1" });
  node.faults.hugeReply(20 * MiB, { handlers: ["conf_xml"] });
  const calls: CallEvent[] = [];
  const c = new SafeSquidClient(spec(node), { retries: 2, onCall: (e) => calls.push(e) });
  t.after(() => c.close());
  await assert.rejects(c.fetchDocument(), tooLarge(/^pune-1 \(\S+\) sent more than 16 MiB in reply to handler=conf_xml: reading stopped there$/));
  assert.equal(calls.filter((x) => x.handler === "conf_xml").length, 1, "a reply past its bound is not read again");

  const raised = new SafeSquidClient(spec(node), { retries: 0, maxReplyBytes: 32 * MiB });
  t.after(() => raised.close());
  const doc = await raised.fetchDocument();
  assert.ok(doc !== "not-modified");
  assert.ok(doc.bytes > 20 * MiB, "read whole");
  assert.equal(doc.root.name, "safesquid", "the padding is an XML comment: the document stays well formed");
});

test("a Content-Length past the bound is refused before the body; startup parameters are bounded at 1 MiB", async (t) => {
  const node = await startTestNode(t, { name: "pune-2" });
  node.faults.hugeReply(20 * MiB, { handlers: ["conf_xml"], contentLength: true });
  node.faults.hugeReply(2 * MiB, { handlers: ["safesquid_params"] });
  const c = new SafeSquidClient(spec(node), { retries: 0 });
  t.after(() => c.close());
  await assert.rejects(c.fetchDocument(), tooLarge(/announced a reply of 20\.0 MiB to handler=conf_xml, past the bound of 16 MiB: not read/));
  await assert.rejects(c.readParams(), tooLarge(/sent more than 1 MiB in reply to handler=safesquid_params/));
});

test("the log stream stops reading at its byte bound and keeps the sync lines it read", async (t) => {
  const node = await startTestNode(t, { name: "pune-3", logBacklogLines: 20_000 });
  for (let i = 0; i < 20_000; i++) node.log.write("1003", "sync", i % 2 ? `config_sync:80 synchronizing with 10.0.0.10:8080` : "padding line of the backlog, not a sync line at all");
  const c = new SafeSquidClient(spec(node), { retries: 0 });
  t.after(() => c.close());
  const read = await c.readLog({ maxMs: 10_000, idleMs: 2000, maxBytes: 256 * 1024 });
  assert.ok(read.lines.length > 0, "it kept what it read");
  assert.ok(read.lines.length < 10_000, "it stopped before the end of the backlog");
});
