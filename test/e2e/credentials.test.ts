/**
 * A master (and slaves) that make the tool itself log in: credentials from passwordEnv or
 * passwordFile work; a missing secret, or a password the master refuses, stops the run before
 * anything is touched (exit 2);
 * the password appears nowhere: not on stdout, stderr, in the JSON, or in the run record.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startFleet, writeMarks } from "../helpers/fleet.js";

const SECRET = "correct-horse-battery-staple";

test("the tool logs in with passwordEnv where the master requires it; without the variable nothing is touched", async (t) => {
  const f = await startFleet(t, { slaves: 1, requireLogin: true, password: SECRET }, (inv) => {
    inv.defaults.credentials = { username: "fleet", passwordEnv: "FLEET_TEST_PASSWORD" };
  });
  const before = await writeMarks(f.lab);
  const missing = await f.run(["apply", "--yes", "--no-backup-to-cloud"], { env: { FLEET_TEST_PASSWORD: undefined } });
  assert.equal(missing.code, 2, missing.stderr);
  assert.match(missing.stderr, /FLEET_TEST_PASSWORD is not set/);
  assert.equal(await writeMarks(f.lab), before, "nothing touched");

  const wrong = await f.json(["verify"], { env: { FLEET_TEST_PASSWORD: "not-it" } });
  assert.equal(wrong.r.code, 2, "the master refuses the login before anything is written: the run stops with exit 2");
  assert.equal(wrong.report.exitCode, 2);
  assert.equal(wrong.report.ok, false);
  assert.equal(wrong.report.error.code, "BAD_CREDENTIALS");
  assert.match(wrong.report.error.hint, /password itself is never shown/);

  const env = { FLEET_TEST_PASSWORD: SECRET };
  const r = await f.json(["apply", "--yes", "--no-backup-to-cloud", "--verbose"], { env });
  assert.equal(r.r.code, 0, r.r.stdout + r.r.stderr);
  assert.equal(r.report.nodes[0].status, "updated");
  assert.equal(r.report.nodes[1].status, "in_sync");
  const record = readdirSync(join(f.dir, ".safesquid-fleet", "runs"));
  assert.equal(record.length >= 1, true);
  const all = r.r.stdout + r.r.stderr + missing.stderr + record.map((x) => readFileSync(join(f.dir, ".safesquid-fleet", "runs", x), "utf8")).join("");
  assert.ok(!all.includes(SECRET), "the password is never printed or written");
  assert.ok(!all.includes(Buffer.from(`fleet:${SECRET}`).toString("base64")), "nor its Basic encoding");
});

test("a node that asks for a login when the inventory has no credentials fails with what to do", async (t) => {
  const f = await startFleet(t, { slaves: 1, requireLogin: true, password: SECRET }, (inv) => {
    delete inv.defaults.credentials;
  });
  const r = await f.json(["allow"]);
  assert.equal(r.r.code, 1);
  assert.equal(r.report.nodes[0].error.code, "NEEDS_CREDENTIALS");
  assert.match(r.report.nodes[0].error.hint, /passwordEnv or passwordFile/);
});

test("passwordFile works too (the lab's own inventory)", async (t) => {
  const f = await startFleet(t, { slaves: 1, requireLogin: true, password: SECRET });
  const r = await f.json(["apply", "--yes", "--no-backup-to-cloud"]);
  assert.equal(r.r.code, 0, r.r.stdout + r.r.stderr);
});
