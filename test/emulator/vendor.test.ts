/**
 * The vendor's own files (test/helpers/fixtures.ts finds them; skipped with a message where absent): the
 * vendor startup.ini as a node's defaults file, and each of the three vendor policy documents
 * as a master's document and as a slave's (demo-setup has duplicate ids: renumbered at load).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin, allowAddresses } from "../helpers/admin.js";
import { paramsWriteForm, readParams } from "../helpers/replies.js";
import { VENDOR_DOCUMENTS, vendorFixture } from "../helpers/fixtures.js";
import { startTestLab, startTestNode, until } from "../helpers/lab.js";
import { ids, sectionTexts } from "../helpers/sections.js";

const local = { localAddress: "127.0.0.1" };

test("the vendor startup.ini as a defaults file: every key in its order, values with their quotes", async (t) => {
  const ini = vendorFixture(t, "safesquid-2023.1011/startup.ini");
  if (ini === undefined) return;
  const n = await startTestNode(t, { files: { defaults: ini } });
  const read = await admin(n, "handler=safesquid_params", local);
  const params = [...read.body.matchAll(/<param name="([^"]*)" value="([^"]*)" desc="([^"]*)"\/>/g)];
  const keys = [...ini.matchAll(/^([A-Z_0-9]+)=/gm)].map((m) => m[1]);
  assert.deepEqual(params.map((m) => m[1]), keys);
  const get = (k: string) => params.find((m) => m[1] === k)!;
  assert.equal(get("LISTEN_PORT")[2], "&quot;8080&quot;");
  assert.equal(get("NEVER_SYNC")[2], "&quot;cache&quot;");
  assert.equal(get("SYNCTIME")[2], "&quot;99&quot;");
  assert.equal(get("UPDATE_INTVL")[2], "&quot;1 hour&quot;");
  assert.match(get("MAX_MAIL_THRESHOLD")[3]!, /^Max mail threshold/, "a # without a space still describes the key");
  // The whole list sent back as the vendor's interface sends it (every " removed) is accepted.
  const form = paramsWriteForm(readParams(read.body));
  assert.equal((await admin(n, form, local)).body, '<startup_params result="saved"/>');
  assert.equal((await admin(n, "handler=safesquid_params", local)).body, read.body, "a write of what was read changes nothing");
});

// Each document serves once as a master's and once as a slave's, against a different partner.
const PAIRS = VENDOR_DOCUMENTS.map((m, i) => [m, VENDOR_DOCUMENTS[(i + 1) % VENDOR_DOCUMENTS.length]!] as const);

for (const [masterDoc, slaveDoc] of PAIRS) {
  test(`vendor documents: master ${masterDoc}, slave ${slaveDoc}`, async (t) => {
    const masterText = vendorFixture(t, masterDoc);
    const slaveText = vendorFixture(t, slaveDoc);
    if (masterText === undefined || slaveText === undefined) return;
    const lab = await startTestLab(t, { slaves: 1, joinSlaves: true, masterConfig: masterText, slaveConfig: slaveText });
    const slave = lab.slaves[0]!;
    const before = (await admin(slave, "handler=conf_xml", local)).body;
    const masterBody = (await admin(lab.master, "handler=conf_xml", local)).body;
    assert.equal(new Set(ids(masterBody)).size, ids(masterBody).length, "the master's ids are unique");
    await allowAddresses(lab.master, [slave.host]);
    const master = sectionTexts((await admin(lab.master, "handler=conf_xml", local)).body);
    // (the vendor's config.xml lets every address in: the slave may have synced before the row)
    await until(async () => sectionTexts((await admin(slave, "handler=conf_xml", local)).body).get("access") === master.get("access"), "the slave has the master's access section", 30_000);
    await slave.waitForLog(/synchronized section: access$/);
    const after = (await admin(slave, "handler=conf_xml", local)).body;
    const got = sectionTexts(after);
    const own = sectionTexts(before);
    for (const [name, text] of master) {
      if (name === "cache") continue;
      assert.equal(got.get(name), text, `section ${name} synchronized`);
    }
    if (own.has("cache")) assert.equal(got.get("cache"), own.get("cache"), "cache (NEVER_SYNC) kept");
    for (const [name, text] of own) if (!master.has(name)) assert.equal(got.get(name), text, `slave-only section ${name} kept`);
    assert.equal(new Set(ids(after)).size, ids(after).length, "the slave's ids are unique");
  });
}
