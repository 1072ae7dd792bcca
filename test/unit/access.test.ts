import { test } from "node:test";
import assert from "node:assert/strict";
import { BlockList } from "node:net";
import {
  canonicalAddress,
  decodeRowForm,
  encodeRowForm,
  evaluateAccess,
  ipItemValid,
  ipMatches,
  plainAddress,
  type AccessRow,
  type AccessSection,
} from "../../src/safesquid/access.js";
import { parsePolicy, readAccess } from "../../src/safesquid/policy.js";
import { vendorFixture } from "../helpers/fixtures.js";

test("golden: the vendor's canonical slave row, form-encoded (docs/protocol.md, The policy document)", () => {
  const form = new URLSearchParams([
    ["handler", "configuration"],
    ["section", "access"],
    ["subsection", "allow"],
    ["action", "add"],
    ...encodeRowForm({
      enabled: "TRUE",
      comment: "Allow slave proxy servers in the cluster to sync policies.\nIP addresses of slave Proxy Instances: 10.0.1.11,10.0.1.12",
      profile_tracing: "FALSE",
      ip: "10.0.1.11,10.0.1.12",
      pamauth: "FALSE",
      access: "CONFIG",
      add_user_groups: "PROXY_SLAVES",
    }),
  ]);
  assert.equal(
    form.toString(),
    "handler=configuration&section=access&subsection=allow&action=add" +
      "&F0=TRUE&F1=Allow+slave+proxy+servers+in+the+cluster+to+sync+policies.%0AIP+addresses+of+slave+Proxy+Instances%3A+10.0.1.11%2C10.0.1.12" +
      "&F2=FALSE&F3=&F4=&F5=&F6=10.0.1.11%2C10.0.1.12&F7=FALSE&F8=&F9=&F10_CONFIG=on&F12=&F13=&F14=PROXY_SLAVES&F15=",
  );
});

test("multi-choice fields: one pair per option, decoded in the vendor's option order", () => {
  const enc = encodeRowForm({ enabled: "TRUE", access: "CONFIG,PROXY", bypass: "DLP,REDIRECT" });
  assert.ok(enc.some(([k, v]) => k === "F10_CONFIG" && v === "on"));
  assert.ok(enc.some(([k]) => k === "F10_PROXY"));
  assert.ok(enc.some(([k]) => k === "F11_DLP"));
  const params = new Map(new URLSearchParams("F0=TRUE&F1=&F2=FALSE&F3=&F4=&F5=&F6=&F7=FALSE&F8=&F9=&F10_PROXY=on&F10_CONFIG=on&F11_DLP=on&F11_REDIRECT=on&F12=&F13=&F14="));
  const { values, problems } = decodeRowForm(params);
  assert.deepEqual(problems, []);
  assert.equal(values.access, "CONFIG,PROXY");
  assert.equal(values.bypass, "REDIRECT,DLP");
  assert.equal(values.max_concurrency, undefined, "F15 is optional (older builds)");
});

test("decoding reports missing fields and unknown options instead of guessing", () => {
  const { problems } = decodeRowForm(new Map([["F0", "maybe"], ["F10_ROOT", "on"]]));
  assert.ok(problems.some((p) => /F1 \(comment\) is missing/.test(p)));
  assert.ok(problems.some((p) => /no option "ROOT"/.test(p)));
  assert.ok(problems.some((p) => /enabled must be TRUE or FALSE/.test(p)));
});

const IP_CASES: [string | undefined, string, boolean][] = [
  [undefined, "10.0.0.1", true],
  ["", "10.0.0.1", true],
  ["10.0.0.1", "10.0.0.1", true],
  ["10.0.0.1", "10.0.0.2", false],
  ["10.0.0.1, 10.0.0.2", "10.0.0.2", true],
  ["10.0.0.1-10.0.0.9", "10.0.0.5", true],
  ["10.0.0.1-10.0.0.9", "10.0.0.10", false],
  ["10.0.0.250-10.0.1.5", "10.0.1.1", true],
  ["10.0.0.0/24", "10.0.0.5", false], // no CIDR in SafeSquid
  ["127.0.0.1", "::ffff:127.0.0.1", true],
  ["::1", "::1", true],
  // IPv6 compares by value, not by text
  ["::1", "0:0:0:0:0:0:0:1", true],
  ["0:0:0:0:0:0:0:1", "::1", true],
  ["::1", "::0001", true],
  ["::1", "::2", false],
  ["2001:DB8::A", "2001:db8:0:0:0:0:0:a", true],
  ["2001:db8::a", "2001:0DB8::000A", true],
  ["2001:db8::1:0:0:1", "2001:db8:0:0:1::1", true],
  ["2001:db8::1", "2001:db8::1:0", false],
  ["fe80::1, 2001:db8::2", "2001:DB8:0::2", true],
  // IPv4-mapped IPv6 forms are their IPv4 address, on either side
  ["10.0.0.1", "::FFFF:10.0.0.1", true],
  ["10.0.0.1", "::ffff:a00:1", true],
  ["10.0.0.1", "0:0:0:0:0:ffff:0a00:0001", true],
  ["::ffff:10.0.0.1", "10.0.0.1", true],
  ["::FFFF:A00:1", "10.0.0.1", true],
  ["::ffff:10.0.0.1", "10.0.0.2", false],
  ["10.0.0.1-10.0.0.9", "::ffff:10.0.0.5", true],
  ["10.0.0.1-10.0.0.9", "::ffff:a00:5", true],
  ["10.0.0.1", "::10.0.0.1", false], // IPv4-compatible (::a.b.c.d) is an IPv6 address, not the IPv4 one
  ["10.0.0.1", "::ffff:0:10.0.0.1", false], // IPv4-translated, likewise
  // ranges are IPv4 ranges: an IPv6 range covers nothing
  ["2001:db8::1-2001:db8::ff", "2001:db8::5", false],
  ["::ffff:10.0.0.1-::ffff:10.0.0.9", "10.0.0.5", false],
  ["10.0.0.1-2001:db8::ff", "10.0.0.5", false],
  // an item that is no address matches only its own text
  ["proxy.example.com", "PROXY.example.com", true],
  ["fe80::1%eth0", "fe80::1", false],
];
for (const [field, addr, want] of IP_CASES) {
  test(`ip "${field}" ${want ? "covers" : "does not cover"} ${addr}`, () => assert.equal(ipMatches(field, addr), want));
}

test("single-address items agree with node's net.BlockList, IPv4-mapped forms included", () => {
  const addresses = ["10.0.0.1", "10.0.0.2", "::ffff:10.0.0.1", "::FFFF:a00:2", "::1", "0:0:0:0:0:0:0:1", "::2", "2001:db8::a", "2001:DB8:0:0:0:0:0:A", "2001:db8::1:0:0:1"];
  const family = (a: string) => (a.includes(":") ? "ipv6" : "ipv4");
  for (const item of addresses) {
    const list = new BlockList();
    list.addAddress(item, family(item));
    for (const addr of addresses) {
      // BlockList finds an IPv4 rule from an IPv4-mapped address, not the reverse; the tool matches both ways.
      const bl = list.check(addr, family(addr)) || (family(addr) === "ipv4" && canonicalAddress(item) === addr);
      assert.equal(ipMatches(item, addr), bl, `${item} vs ${addr}`);
    }
  }
});

const CANONICAL: [string, string | undefined][] = [
  ["10.0.0.1", "10.0.0.1"],
  [" 10.0.0.1 ", "10.0.0.1"],
  ["::FFFF:10.0.0.1", "10.0.0.1"],
  ["::ffff:a00:1", "10.0.0.1"],
  ["0:0:0:0:0:0:0:1", "::1"],
  ["2001:0DB8:0000:0000:0000:0000:0002:0001", "2001:db8::2:1"],
  ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"], // the first of two equal zero runs
  ["1:0:1:0:1:0:1:0", "1:0:1:0:1:0:1:0"], // a single zero group is not shortened
  ["::", "::"],
  ["fe80::1%eth0", undefined],
  ["1::2::3", undefined],
  ["::ffff:1.2.3.04", undefined],
  ["010.0.0.1", undefined],
  ["proxy.example.com", undefined],
];
for (const [text, want] of CANONICAL) {
  test(`canonicalAddress(${JSON.stringify(text)}) is ${want}`, () => assert.equal(canonicalAddress(text), want));
}

test("plainAddress: what a socket reports, as access matching sees it", () => {
  assert.equal(plainAddress("::ffff:127.0.0.1"), "127.0.0.1");
  assert.equal(plainAddress("::1"), "::1");
  assert.equal(plainAddress("127.0.0.1"), "127.0.0.1");
  assert.equal(plainAddress(""), "");
});

test("ip items: addresses and IPv4 ranges are valid; CIDR, names and IPv6 ranges are not", () => {
  assert.ok(ipItemValid("10.0.0.1"));
  assert.ok(ipItemValid("10.0.0.1-10.0.0.3"));
  assert.ok(!ipItemValid("10.0.0.3-10.0.0.1"));
  assert.ok(!ipItemValid("10.0.0.0/24"));
  assert.ok(!ipItemValid("proxy.example.com"));
  assert.ok(!ipItemValid("010.0.0.1"));
  for (const v6 of ["::1", "0:0:0:0:0:0:0:1", "2001:DB8::1", "::ffff:10.0.0.1", "::ffff:a00:1"]) assert.ok(ipItemValid(v6), v6);
  for (const bad of ["2001:db8::/32", "2001:db8::1-2001:db8::ff", "fe80::1%eth0", "1::2::3", ":::1", "12345::1"]) assert.ok(!ipItemValid(bad), bad);
});

function row(id: string, values: AccessRow["values"], subsection: "allow" | "deny" = "allow"): AccessRow {
  return { id, subsection, values: { enabled: "TRUE", ...values } };
}
const LAB: AccessSection = {
  policy: "DENY",
  allow: [
    row("1", { ip: "127.0.0.1", pamauth: "FALSE", access: "CONFIG,PROXY" }),
    row("3", { pamauth: "TRUE", access: "CONFIG,PROXY", add_user_groups: "SAFESQUID_ADMIN" }),
  ],
  deny: [],
};
const users = (u: string, p: string) => u === "fleet" && p === "s3cret";

test("first match wins: the tunnel row lets 127.0.0.1 in without a login", () => {
  const d = evaluateAccess(LAB, { ip: "127.0.0.1" }, users);
  assert.equal(d.kind, "allow");
});
test("first match by address value: an IPv6 or IPv4-mapped request finds its row in any written form", () => {
  const s: AccessSection = { policy: "DENY", allow: [row("1", { ip: "0:0:0:0:0:0:0:1, 10.0.0.5", access: "CONFIG" })], deny: [] };
  assert.equal(evaluateAccess(s, { ip: "::1" }, users).kind, "allow");
  assert.equal(evaluateAccess(s, { ip: "::ffff:10.0.0.5" }, users).kind, "allow");
  assert.equal(evaluateAccess(s, { ip: "::2" }, users).kind, "deny");
});
test("a login row challenges without credentials, and with wrong ones", () => {
  assert.equal(evaluateAccess(LAB, { ip: "127.0.0.2" }, users).kind, "challenge");
  assert.equal(evaluateAccess(LAB, { ip: "127.0.0.2", username: "fleet", password: "x" }, users).kind, "challenge");
  assert.equal(evaluateAccess(LAB, { ip: "127.0.0.2", username: "fleet", password: "s3cret" }, users).kind, "allow");
});
test("a matched row without CONFIG denies; no match falls to the policy", () => {
  const s: AccessSection = { policy: "DENY", allow: [row("1", { ip: "10.0.0.5", access: "PROXY" })], deny: [] };
  assert.deepEqual(evaluateAccess(s, { ip: "10.0.0.5" }, users), { kind: "deny", row: s.allow[0], reason: "no-config" });
  assert.deepEqual(evaluateAccess(s, { ip: "10.0.0.6" }, users), { kind: "deny", reason: "no-match" });
  assert.equal(evaluateAccess({ ...s, policy: "ALLOW" }, { ip: "10.0.0.6" }, users).kind, "allow");
});
test("disabled rows and profile-gated rows never match admin requests", () => {
  const s: AccessSection = {
    policy: "DENY",
    allow: [row("1", { enabled: "FALSE", access: "CONFIG" }), row("2", { profiles: "BYPASS AUTHENTICATION", access: "CONFIG" }), row("3", { pamauth: "TRUE", access: "CONFIG" })],
    deny: [],
  };
  assert.equal(evaluateAccess(s, { ip: "10.0.0.1" }, users).kind, "challenge");
});
test("a username row challenges and accepts only that user", () => {
  const s: AccessSection = { policy: "DENY", allow: [row("1", { username: "admin", access: "CONFIG" })], deny: [] };
  assert.equal(evaluateAccess(s, { ip: "10.0.0.1", username: "fleet", password: "s3cret" }, users).kind, "challenge");
  assert.equal(evaluateAccess(s, { ip: "10.0.0.1", username: "admin", password: "s3cret" }, () => true).kind, "allow");
});
test("a matching deny row revokes an allow; interface rows match only their listen address", () => {
  const s: AccessSection = {
    policy: "DENY",
    allow: [row("1", { interface: "10.0.0.10:8080", access: "CONFIG" }), row("2", { access: "CONFIG" })],
    deny: [row("9", { ip: "10.0.0.66" }, "deny")],
  };
  assert.equal(evaluateAccess(s, { ip: "10.0.0.5", local: "10.0.0.10:8080" }, users).kind, "allow");
  assert.equal((evaluateAccess(s, { ip: "10.0.0.5", local: "10.0.0.11:8080" }, users) as { row: AccessRow }).row.id, "2");
  assert.deepEqual(evaluateAccess(s, { ip: "10.0.0.66" }, users), { kind: "deny", row: s.deny[0], reason: "deny-row" });
});

test("the vendor's default access section: slaves .116/.117 sync, anyone reaches CONFIG without login", (t) => {
  const text = vendorFixture(t, "safesquid-2023.1011/config.xml");
  if (text === undefined) return;
  const access = readAccess(parsePolicy(text));
  assert.equal(access.policy, "DENY");
  assert.deepEqual(access.allow.map((r) => r.id), ["1", "3", "5", "7", "9"]);
  assert.deepEqual(access.deny, []);
  const slave = evaluateAccess(access, { ip: "192.168.2.116" }, users);
  assert.equal(slave.kind === "allow" && slave.row?.id, "5");
  const other = evaluateAccess(access, { ip: "10.9.9.9" }, users);
  assert.equal(other.kind === "allow" && other.row?.id, "7");
  assert.equal(access.allow[2]!.values.comment, "Allow slave proxy servers in the cluster to sync policies.\nIP addresses of slave Proxy Instances: 192.168.2.116,192.168.2.117");
});
