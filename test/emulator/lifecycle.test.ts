/**
 * Restart, save, backup, licence, and the state folder (docs/protocol.md "Restart, save, backup" and "Licence"): a restart
 * replies, refuses connections for its downtime, and comes back with the files re-read (new
 * parameters, the SAVED document; unsaved edits lost); save keeps a timestamped copy.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { admin, tryConnect } from "../helpers/admin.js";
import { restarted, startTestNode, until } from "../helpers/lab.js";

const local = { localAddress: "127.0.0.1" };
const ADD_ROW =
  "handler=configuration&section=access&subsection=allow&action=add&F0=TRUE&F1=unsaved%20row&F2=FALSE&F3=&F4=&F5=&F6=10.5.5.5&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=";

test("restart: the reply, connections refused during the downtime, then back", async (t) => {
  const n = await startTestNode(t, { restartDowntimeMs: 2500 });
  const r = await admin(n, "handler=safesquid_restart", local);
  assert.equal(r.body, '<restart_info status="SafeSquid service restarted"/>');
  await until(async () => (await tryConnect(n)) === "ECONNREFUSED", "connections refused during the downtime");
  await until(async () => (await tryConnect(n)) === "connected", "the node listening again");
  assert.equal((await admin(n, "handler=cloud_backup", local)).status, 200);
  assert.equal(n.restarts, 1);
});

test("restart: unsaved edits are lost, saved ones kept; new parameters in effect", async (t) => {
  const n = await startTestNode(t);
  assert.match((await admin(n, ADD_ROW.replace("unsaved%20row", "saved%20row"), local)).body, /result="ok"/);
  assert.equal((await admin(n, "handler=save&filename=config.xml", local)).body, '<save_settings><results result="File saved"/></save_settings>');
  assert.match((await admin(n, ADD_ROW, local)).body, /result="ok"/);
  assert.match((await admin(n, "handler=conf_xml", local)).body, /unsaved row/);
  writeFileSync(n.folder.startupIni, readFileSync(n.folder.startupIni, "utf8") + '# Host name.\nHOSTNAME="after-restart"\n');
  await admin(n, "handler=safesquid_restart", local);
  await restarted(n);
  const doc = await admin(n, "handler=conf_xml", local);
  assert.match(doc.body, /saved row/);
  assert.doesNotMatch(doc.body, /unsaved row/);
  assert.equal(doc.headers["x-safesquid-instance"], "after-restart");
});

test("save keeps a timestamped copy of the previous config.xml", async (t) => {
  const n = await startTestNode(t);
  const original = readFileSync(n.folder.configFile, "utf8");
  assert.equal(n.folder.backups().length, 0);
  await admin(n, ADD_ROW, local);
  await admin(n, "handler=save&filename=config.xml", local);
  await admin(n, ADD_ROW.replace("unsaved%20row", "second%20row"), local);
  await admin(n, "handler=save&filename=config.xml", local);
  const backups = n.folder.backups();
  assert.equal(backups.length, 2);
  for (const b of backups) assert.match(b, /backups\/config\.xml\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z(\.\d+)?$/);
  assert.equal(readFileSync(backups[0]!, "utf8"), original);
  assert.match(readFileSync(backups[1]!, "utf8"), /unsaved row/);
  assert.doesNotMatch(readFileSync(backups[1]!, "utf8"), /second row/);
  assert.match(readFileSync(n.folder.configFile, "utf8"), /second row/);
  const other = await admin(n, "handler=save&filename=../etc/passwd", local);
  assert.match(other.body, /^<error message=/);
});

test("the state folder is re-read at restart: config.xml and startup.ini edited on disk", async (t) => {
  const n = await startTestNode(t);
  const doc = readFileSync(n.folder.configFile, "utf8").replace("</safesquid>", "    <custom_section>\n        <marker>from disk</marker>\n    </custom_section>\n</safesquid>");
  writeFileSync(n.folder.configFile, doc);
  assert.doesNotMatch((await admin(n, "handler=conf_xml", local)).body, /from disk/, "not before a restart");
  await admin(n, "handler=safesquid_restart", local);
  await restarted(n);
  assert.match((await admin(n, "handler=conf_xml", local)).body, /<marker>from disk<\/marker>/);
  assert.match(readFileSync(join(n.folder.dir, "native.log"), "utf8"), /startup: .*starting/);
});

test("subscription details are configurable per node; cloud_backup answers", async (t) => {
  const n = await startTestNode(t, { subscription: { activationKeyName: "KEY-A", serviceId: "SID-9", version: "2021.0801.1" }, edition: "enterprise" });
  const s = await admin(n, "handler=subscription&refresh=false", local);
  assert.equal(s.body, '<subscription_details><information Activation_Key_Name="KEY-A" Service_ID="SID-9" Status="active" Version="2021.0801.1"/></subscription_details>');
  assert.equal(s.headers["x-powered-by"], "safesquid-2023.1011.1421.3-swg-enterprise");
  const c = await admin(n, "handler=cloud_backup", local);
  assert.equal(c.body, '<cloud_backup><results result="Configuration backed up to cloud"/></cloud_backup>');
});

test("duplicate ids are renumbered at load; renumberIdsOnLoad gives every entry a new id at each start", async (t) => {
  const dup = `<?xml version="1.0" ?>
<safesquid>
    <access>
        <policy>DENY</policy>
        <allow id="7">
            <enabled>TRUE</enabled>
            <ip>127.0.0.1</ip>
            <access>CONFIG</access>
        </allow>
    </access>
    <network>
        <server id="7">
            <name>a</name>
        </server>
    </network>
</safesquid>
`;
  const n = await startTestNode(t, { files: { config: dup } });
  const ids = [...(await admin(n, "handler=conf_xml", local)).body.matchAll(/id="(\d+)"/g)].map((m) => m[1]);
  assert.deepEqual(ids, ["7", "8"]);
  const r = await startTestNode(t, { files: { config: dup }, renumberIdsOnLoad: true });
  const first = [...(await admin(r, "handler=conf_xml", local)).body.matchAll(/id="(\d+)"/g)].map((m) => m[1]);
  await admin(r, "handler=safesquid_restart", local);
  await restarted(r);
  const second = [...(await admin(r, "handler=conf_xml", local)).body.matchAll(/id="(\d+)"/g)].map((m) => m[1]);
  assert.equal(new Set(second).size, 2);
  assert.notDeepEqual(first, second, "ids are not stable across restarts");
});
