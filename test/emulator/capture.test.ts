/**
 * Request capture and request strictness over real sockets (docs/emulator.md "Request
 * capture", "Strictness"): each admin request kept as it arrived (method, target, headers in
 * order and case, the raw body, the decoded parameters in order); a raw `+` refused in the
 * body and in the query string, whatever the handler; what the vendor's web interface sends,
 * its text/plain log request included, accepted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { admin, openLog, rawExchange } from "../helpers/admin.js";
import { startTestNode } from "../helpers/lab.js";
import type { CapturedRequest } from "../../src/emulator/capture.js";

const local = { localAddress: "127.0.0.1" };

test("every admin request is kept as it arrived, and onRequest hears it", async (t) => {
  const heard: CapturedRequest[] = [];
  const n = await startTestNode(t, { capture: true, onRequest: (r) => heard.push(r) });
  const body = "F1=a%20b%2Cc&handler=configuration&section=access&subsection=allow&id=99&action=delete";
  await rawExchange(
    n,
    "POST http://safesquid.cfg/?x=1&handler=nope HTTP/1.1\r\n" +
      "Host: safesquid.cfg\r\n" +
      "Content-Type: application/x-www-form-urlencoded; charset=UTF-8\r\n" +
      "X-Requested-With: XMLHttpRequest\r\n" +
      `Content-Length: ${body.length}\r\n` +
      "Connection: close\r\n\r\n" +
      body,
  );
  assert.equal(n.captured.length, 1);
  const r = n.captured[0]!;
  assert.equal(r.method, "POST");
  assert.equal(r.target, "http://safesquid.cfg/?x=1&handler=nope");
  assert.equal(r.query, "x=1&handler=nope");
  assert.equal(r.body, body);
  assert.deepEqual(r.rawHeaders.slice(0, 3), [
    ["Host", "safesquid.cfg"],
    ["Content-Type", "application/x-www-form-urlencoded; charset=UTF-8"],
    ["X-Requested-With", "XMLHttpRequest"],
  ]);
  assert.equal(r.headers["x-requested-with"], "XMLHttpRequest");
  assert.deepEqual(r.params, [
    ["x", "1"],
    ["handler", "nope"],
    ["F1", "a b,c"],
    ["handler", "configuration"],
    ["section", "access"],
    ["subsection", "allow"],
    ["id", "99"],
    ["action", "delete"],
  ]);
  assert.equal(r.remote, "127.0.0.1");
  assert.deepEqual(heard, n.captured);
  await admin(n, "handler=conf_xml", local);
  assert.equal(n.captured.length, 2, "one record per request");
  const quiet = await startTestNode(t);
  await admin(quiet, "handler=conf_xml", local);
  assert.deepEqual(quiet.captured, [], "nothing kept without the capture option");
});

test("a raw + is refused in the body and in the query string; %2B is a plus sign and %20 a space", async (t) => {
  const n = await startTestNode(t);
  const body = await admin(n, "handler=configuration&section=access&subsection=allow&action=add&F0=TRUE&F1=a+b", local);
  assert.equal(body.status, 200);
  assert.match(body.body, /^<error message="the body has a raw &quot;\+&quot;: encode a space as %20 and a plus sign as %2B \(encodeURIComponent\)/);
  const query = await admin(n, "", { ...local, query: "?handler=subscription&refresh=a+b" });
  assert.match(query.body, /^<error message="the query string has a raw &quot;\+&quot;/);
  const before = (await admin(n, "handler=conf_xml", local)).body;
  const ok =
    "F0=TRUE&F1=C%2B%2B%20gateway&F2=FALSE&F3=&F4=&F5=&F6=10.7.7.7&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=&F15=0" +
    "&handler=configuration&section=access&subsection=allow&action=add";
  assert.doesNotMatch((await admin(n, ok, local)).body, /<error/);
  const after = (await admin(n, "handler=conf_xml", local)).body;
  assert.notEqual(after, before);
  assert.match(after, /<comment>C\+\+ gateway<\/comment>/);
});

test("the vendor's log request: POST /?handler=log with its body as text/plain, as its log viewer sends it", async (t) => {
  const n = await startTestNode(t, { capture: true });
  const log = await openLog(n, { ...local, query: "?handler=log", headers: { "Content-Type": "text/plain;charset=UTF-8" } });
  t.after(() => log.close());
  assert.equal(log.status, 200);
  assert.match(String(log.headers["content-type"]), /^text\/plain/);
  await log.waitFor(/listening on/);
  assert.equal(n.captured[0]!.target, "http://safesquid.cfg/?handler=log");
  const json = await admin(n, "handler=conf_xml", { ...local, headers: { "Content-Type": "application/json" } });
  assert.match(json.body, /^<error message="the body must be application\/x-www-form-urlencoded, not application\/json"/);
});
