/**
 * `-o json` times a program can read: a slave's last sync attempt is `sync.at` in ISO 8601
 * with its offset, and `sync.stamp` keeps the log's own stamp (the node's clock, no zone); the
 * two name the same instant. Valid against examples/report.schema.json (format date-time).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { startFleet } from "../helpers/fleet.js";
import { oneReport } from "../cli/helpers.js";

test("verify -o json: sync.at is ISO 8601 with offset, sync.stamp the vendor's stamp, the same instant", async (t) => {
  const f = await startFleet(t, { slaves: 1 });
  const apply = await f.run(["apply", "--yes", "--no-backup-to-cloud", "--wait", "2m"]);
  assert.equal(apply.code, 0, apply.stdout + apply.stderr);
  const doc = oneReport(await f.run(["verify", "-o", "json"]), "verify -o json");
  const sync = doc.nodes[0].sync;
  assert.match(sync.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/);
  assert.match(sync.stamp, /^\d{4} \d\d \d\d \d\d:\d\d:\d\d\.\d{3}$/);
  const [d, time] = [sync.stamp.slice(0, 10).replace(/ /g, "-"), sync.stamp.slice(11)];
  assert.equal(Date.parse(sync.at), Date.parse(`${d}T${time}Z`), "the same instant, the log read as UTC");
  assert.ok(Math.abs(Date.parse(sync.at) - Date.parse(doc.startedAt)) < 10 * 60_000, "near the run (same machine's clock)");
});
