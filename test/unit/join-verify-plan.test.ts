/** Planning join-slave and judging sync and verify (pure functions), table-tested. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { planJoin, restoreParams } from "../../src/fleet/join-plan.js";
import { compareSections, nodeStatus, syncInfo, syncTimeOf, type MasterView } from "../../src/fleet/verify-compare.js";
import { judgeAfterRestart, masterRefusal, type Refusal } from "../../src/fleet/sync-judge.js";
import { parseLogLine, syncBlocks, type SyncBlock } from "../../src/safesquid/log.js";
import { encodeParamsWrite, type StartupParam } from "../../src/safesquid/params.js";
import type { AccessSection } from "../../src/safesquid/access.js";

const PARAMS: StartupParam[] = [
  { name: "LISTEN_PORT", value: "8080", desc: "port" },
  { name: "MASTER_IP", value: "", desc: "master ip" },
  { name: "MASTER_PORT", value: "", desc: "master port" },
  { name: "SYNCTIME", value: "5", desc: "sync" },
  { name: "X_UNKNOWN", value: "odd value", desc: "" },
];
const T = { ip: "10.0.0.10", port: "8080" };
const TARGET = "10.0.0.10:8080";

test("a stand-alone slave gets MASTER_IP / MASTER_PORT written; every other key stays as read, without quotes", () => {
  const p = planJoin(PARAMS, T, false);
  assert.equal(p.write, true);
  assert.deepEqual(p.current, { MASTER_IP: "", MASTER_PORT: "" });
  assert.deepEqual(p.planned, { MASTER_IP: "10.0.0.10", MASTER_PORT: "8080" });
  assert.deepEqual(
    p.params.map((x) => x.value),
    ["8080", "10.0.0.10", "8080", "5", "odd value"],
  );
  assert.ok(encodeParamsWrite(p.params).every(([, v]) => !v.includes('"')), "no value is written with a double quote");
});

test("a slave already pointing at the master and syncing with it is unchanged; not syncing: a restart is pending", () => {
  const named = planJoin(PARAMS, T, false).params;
  assert.deepEqual([planJoin(named, T, true).write, planJoin(named, T, true).restartPending], [false, false]);
  assert.deepEqual([planJoin(named, T, false).write, planJoin(named, T, false).restartPending], [false, true]);
});

test("rollback restores the previous values; SYNCTIME is read (vendor default 99)", () => {
  const joined = planJoin(PARAMS, T, false).params;
  assert.deepEqual(restoreParams(joined, { MASTER_IP: "", MASTER_PORT: "" }), PARAMS);
  assert.equal(syncTimeOf(new Map([["SYNCTIME", "5"]])), 5);
  assert.equal(syncTimeOf(new Map()), 99);
});

const lines = (text: string) => text.trim().split("\n").map((l) => parseLogLine(l.trim())!);
const blocksOf = (text: string): SyncBlock[] => syncBlocks(lines(text));
const refused: Refusal = { kind: "login-required", reason: "row 2 asks for a login" };

test("after a restart: the vendor's own lines decide; hint lines may hasten, never be needed", () => {
  const attempt = `2026 11 26 10:00:05.000 [1] sync: config_sync:80 synchronizing with ${TARGET}`;
  const section = "2026 11 26 10:00:05.010 [1] sync: config_sync:104 synchronized section: access";
  const second = `2026 11 26 10:00:10.000 [1] sync: config_sync:80 synchronizing with ${TARGET}`;
  const j = (log: string, over: Partial<Parameters<typeof judgeAfterRestart>[0]> = {}) => judgeAfterRestart({ blocks: blocksOf(log), target: TARGET, refusal: undefined, ...over })?.kind;
  assert.equal(j(`${attempt}\n${section}`), "synced");
  assert.equal(j(attempt), undefined, "one attempt and nothing else yet: keep waiting");
  assert.equal(j(attempt, { refusal: refused }), undefined, "the attempt has not ended yet");
  assert.equal(j(`${attempt}\n${second}`, { refusal: refused }), "refused", "the master's own rows refuse the slave and an attempt ended without sections: no failure line needed");
  assert.equal(j(`${attempt}\n${second}`), "stalled", "two attempts, neither took anything");
  assert.equal(j(`${attempt}\n${second}`, { documentsEqual: true }), "synced", "nothing to take: the documents are equal");
  assert.equal(j(`2026 11 26 10:00:05.000 [1] sync: config_sync:80 synchronizing with 10.9.9.9:8080`), undefined, "another master does not count");
  // The emulator's hint lines, when a node writes them:
  const denied = `2026 11 26 10:00:05.010 [1] sync: config_sync:90 failed to synchronize with ${TARGET}: 407 Proxy Authentication Required`;
  assert.equal(j(`${attempt}\n${denied}`, { refusal: refused }), "refused", "the rows refuse it; the hint ends the attempt sooner");
  assert.deepEqual(judgeAfterRestart({ blocks: blocksOf(`${attempt}\n${denied}`), target: TARGET, refusal: refused }), { kind: "refused", reason: "407 Proxy Authentication Required", fromLog: true });
  // A 407/403 hint against rows that allow the slave (or could not be read) decides nothing: a
  // node that writes no such line would be judged on its attempts, and so is this one.
  assert.equal(j(`${attempt}\n${denied}`), undefined, "the rows allow it: one attempt, keep waiting");
  assert.deepEqual(judgeAfterRestart({ blocks: blocksOf(`${attempt}\n${denied}\n${second}`), target: TARGET, refusal: undefined }), { kind: "stalled", attempts: 2, lastFailure: "407 Proxy Authentication Required" });
  assert.equal(j(`${attempt}\n2026 11 26 10:00:05.010 [1] sync: config_sync:90 failed to synchronize with ${TARGET}: connection refused`), "unreachable");
  assert.equal(j(`${attempt}\n2026 11 26 10:00:05.010 [1] sync: config_sync:96 no changes from ${TARGET}`), "synced");
});

test("the master's refusal is computed from its own rows, first match", () => {
  const access: AccessSection = {
    policy: "DENY",
    allow: [
      { id: "1", subsection: "allow", values: { enabled: "TRUE", ip: "127.0.0.1", access: "CONFIG" } },
      { id: "2", subsection: "allow", values: { enabled: "TRUE", ip: "10.0.1.11", access: "CONFIG" } },
      { id: "3", subsection: "allow", values: { enabled: "TRUE", pamauth: "TRUE", access: "CONFIG,PROXY" } },
    ],
    deny: [{ id: "9", subsection: "deny", values: { enabled: "TRUE", ip: "10.0.1.13" } }],
  };
  assert.equal(masterRefusal(access, "10.0.1.11", "10.0.0.10:8080"), undefined);
  assert.equal(masterRefusal(access, "10.0.1.12", "10.0.0.10:8080")?.kind, "login-required");
  assert.equal(masterRefusal(access, "10.0.1.13", "10.0.0.10:8080")?.kind, "login-required", "the login row matches first");
  assert.equal(masterRefusal({ ...access, allow: access.allow.slice(0, 2) }, "10.0.1.13", "10.0.0.10:8080")?.kind, "forbidden");
});

const master: MasterView = { digests: new Map([["access", "a1"], ["profiles", "p1"], ["cache", "c1"], ["network", "n1"]]), changedAt: 0 };
const slaveParams = new Map([["NEVER_SYNC", "cache"], ["ALWAYS_SYNC", ""], ["SYNCTIME", "5"]]);
const DAY = 86_400_000;

test("sections: in sync, excluded by NEVER_SYNC, out of sync when the difference is old", () => {
  const r = compareSections(master, { params: slaveParams, digests: new Map([["access", "a1"], ["profiles", "OLD"], ["cache", "x"]]), blocks: [] }, { target: TARGET, now: DAY, joined: true });
  assert.deepEqual(r.map((s) => `${s.name}:${s.status}`), ["access:in_sync", "profiles:out_of_sync", "cache:excluded", "network:out_of_sync"]);
  assert.match(r[3]!.detail!, /missing on the slave/);
  assert.equal(nodeStatus(true, r), "out_of_sync");
  assert.equal(nodeStatus(false, r), "not_joined");
});

test("sections: pending only while the slave has not completed a sync since the master's last change", () => {
  // Log stamps are in the slave's clock; this slave runs 1 h ahead of this machine.
  const skew = 3_600_000;
  const stamp = (ms: number) => new Date(ms + skew).toISOString().replace(/^(\d+)-(\d+)-(\d+)T(\d+:\d+:\d+\.\d+)Z$/, "$1 $2 $3 $4");
  const synced = (at: number) => blocksOf(`${stamp(at)} [1] sync: config_sync:80 synchronizing with ${TARGET}\n${stamp(at + 10)} [1] sync: config_sync:104 synchronized section: profiles`);
  const changed = Date.UTC(2026, 10, 26, 10, 0, 0);
  const m: MasterView = { ...master, changedAt: changed };
  const slave = (blocks: SyncBlock[]) => ({ params: slaveParams, digests: new Map([["access", "a1"], ["profiles", "OLD"], ["network", "n1"]]), blocks, clockOffsetMs: skew });
  const profiles = (blocks: SyncBlock[], now: number, over = {}) => compareSections(m, slave(blocks), { target: TARGET, now, joined: true, ...over }).find((s) => s.name === "profiles")!;
  assert.equal(profiles(synced(changed - 60_000), changed + 2000).status, "pending", "the last sync was before the change: one is due");
  assert.equal(profiles(synced(changed + 1000), changed + 2000).status, "out_of_sync", "synced after the change and still differs: changed on the slave");
  assert.match(profiles(synced(changed + 1000), changed + 2000).detail!, /after the master's last change/);
  assert.equal(profiles(synced(changed - 60_000), changed + 60_000).status, "out_of_sync", "no sync for longer than the interval and grace");
  assert.equal(profiles(synced(changed - 60_000), changed + 2000, { refusal: refused }).status, "out_of_sync", "the master refuses it: nothing is on its way");
  assert.equal(profiles(synced(changed - 60_000), changed + 2000, { joined: false }).status, "out_of_sync");
  const unknown = compareSections({ digests: master.digests }, slave(synced(changed)), { target: TARGET, now: changed, joined: true });
  assert.equal(unknown.find((s) => s.name === "profiles")!.status, "out_of_sync", "without the master's change time nothing can be called due");
});

test("ALWAYS_SYNC overrides NEVER_SYNC; sync.sections narrows and names unknown sections", () => {
  const params = new Map([["NEVER_SYNC", "cache"], ["ALWAYS_SYNC", "cache"], ["SYNCTIME", "5"]]);
  const r = compareSections(master, { params, digests: new Map([["cache", "c1"]]), blocks: [] }, { target: "t", now: 0, sections: ["cache", "nosuch"], joined: true });
  assert.deepEqual(r.map((s) => `${s.name}:${s.status}`), ["cache:in_sync", "nosuch:unknown"]);
});

test("sync info: the last attempt and the sections of the last full sync", () => {
  const log = `
    2026 11 26 10:00:00.000 [1] sync: config_sync:80 synchronizing with ${TARGET}
    2026 11 26 10:00:00.010 [1] sync: config_sync:104 synchronized section: access
    2026 11 26 10:00:05.000 [1] sync: config_sync:80 synchronizing with ${TARGET}`;
  assert.deepEqual(syncInfo(blocksOf(log)), { target: TARGET, at: "2026-11-26T10:00:05.000Z", stamp: "2026 11 26 10:00:05.000", outcome: "attempted", sections: ["access"] });
  assert.equal(syncInfo(blocksOf(`${log}\n2026 11 26 10:00:05.010 [1] sync: config_sync:96 no changes from ${TARGET}`))!.outcome, "no_changes");
});
