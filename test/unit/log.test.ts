import { test } from "node:test";
import assert from "node:assert/strict";
import { failureKind, parseLogLine, syncBlocks } from "../../src/safesquid/log.js";

const LOG = `2026 11 26 10:00:00.001 [12] main: starting
2026 11 26 10:00:01.000 [31] sync: config_sync:80 synchronizing with 10.0.0.10:8080
2026 11 26 10:00:01.020 [31] sync: config_sync:90 failed to synchronize with 10.0.0.10:8080: 407 Proxy Authentication Required
2026 11 26 10:00:03.000 [31] sync: config_sync:80 synchronizing with 10.0.0.10:8080
2026 11 26 10:00:03.050 [31] sync: config_sync:104 synchronized section: access
2026 11 26 10:00:03.051 [31] sync: config_sync:104 synchronized section: profiles
not a log line
2026 11 26 10:00:05.000 [31] sync: config_sync:80 synchronizing with 10.0.0.10:8080`;

test("parses the vendor's native log line format", () => {
  const l = parseLogLine("2026 11 26 10:00:03.050 [31] sync: config_sync:104 synchronized section: access")!;
  assert.equal(l.family, "sync");
  assert.equal(l.thread, "31");
  assert.equal(l.message, "config_sync:104 synchronized section: access");
  assert.equal(l.ms, Date.UTC(2026, 10, 26, 10, 0, 3, 50));
  assert.equal(parseLogLine("garbage"), undefined);
});

test("groups sync lines into attempts: failure, success with sections, unchanged", () => {
  const blocks = syncBlocks(LOG.split("\n").map(parseLogLine).filter((l) => l !== undefined));
  assert.equal(blocks.length, 3);
  assert.equal(blocks[0]!.failure?.kind, "login-required");
  assert.deepEqual(blocks[1]!.sections, ["access", "profiles"]);
  assert.equal(blocks[1]!.failure, undefined);
  assert.deepEqual(blocks[2]!.sections, []);
  assert.equal(blocks[2]!.target, "10.0.0.10:8080");
});

test("a failure line without its 'synchronizing with' line still counts", () => {
  const l = parseLogLine("2026 11 26 10:00:01.020 [31] sync: config_sync:90 failed to synchronize with 10.0.0.10:8080: connection refused")!;
  const [b] = syncBlocks([l]);
  assert.equal(b!.failure?.kind, "unreachable");
});

test("failure reasons: login, forbidden, unreachable, other", () => {
  assert.equal(failureKind("407 Proxy Authentication Required"), "login-required");
  assert.equal(failureKind("403 Forbidden"), "forbidden");
  assert.equal(failureKind("connection refused"), "unreachable");
  assert.equal(failureKind("timed out"), "unreachable");
  assert.equal(failureKind("connection reset"), "unreachable");
  assert.equal(failureKind("500 Internal Server Error"), "other");
});
