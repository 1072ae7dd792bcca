/**
 * Moving slaves, end to end: join-slave on a slave joined to ANOTHER master says so in its dry
 * run ("currently joined to X"), refuses it without --move (exit 1, nothing written to it), and
 * moves it with --move. The other master here is slave-1 of the same lab (a stand-alone node is
 * a master to whoever names it).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { pointerOf, startFleet } from "../helpers/fleet.js";
import { restartNode, setParams } from "../helpers/node-state.js";

const JOIN = ["join-slave", "slave-2", "--yes", "--no-backup-to-cloud"];

test("join-slave refuses a slave joined to another master without --move (nothing written), and moves it with --move", async (t) => {
  const f = await startFleet(t, { slaves: 2 });
  const { lab } = f;
  const [other, slave] = lab.slaves;
  const elsewhere = `${other!.host}:${lab.port}`;
  await setParams(lab, slave!, { MASTER_IP: other!.host, MASTER_PORT: String(lab.port) });
  await restartNode(lab, slave!);
  assert.equal((await f.run(["allow"])).code, 0);

  const dry = await f.json(["join-slave", "slave-2", "--dry-run"]);
  assert.equal(dry.r.code, 0);
  const planned = dry.report.nodes[0];
  assert.equal(planned.status, "planned");
  assert.equal(planned.joinedTo, elsewhere);
  assert.match(planned.warnings.join(" "), new RegExp(`currently joined to ${elsewhere.replace(/\./g, "\\.")}.*--move`));
  const text = await f.run(["join-slave", "slave-2", "--dry-run"]);
  assert.match(text.stdout, /currently joined to/);

  const before = { restarts: slave!.restarts, params: JSON.stringify(slave!.fileParams()), saves: slave!.folder.backups().length };
  const refused = await f.json(JOIN);
  assert.equal(refused.r.code, 1, refused.r.stdout);
  assert.equal(refused.report.nodes[0].status, "failed");
  assert.equal(refused.report.nodes[0].error.code, "JOINED_ELSEWHERE");
  assert.match(refused.report.nodes[0].error.hint, /--move/);
  assert.deepEqual({ restarts: slave!.restarts, params: JSON.stringify(slave!.fileParams()), saves: slave!.folder.backups().length }, before, "nothing written to it");
  assert.equal(await pointerOf(lab, slave!), elsewhere);

  const moved = await f.json([...JOIN, "--move"]);
  assert.equal(moved.r.code, 0, moved.r.stdout + moved.r.stderr);
  assert.equal(moved.report.nodes[0].status, "joined");
  assert.equal(await pointerOf(lab, slave!), `${lab.master.host}:${lab.port}`);
  assert.equal(slave!.effectiveParams().get("MASTER_IP"), lab.master.host);
  const v = await f.json(["verify", "slave-2", "--wait", "30s"]);
  assert.equal(v.r.code, 0, v.r.stdout);
});
