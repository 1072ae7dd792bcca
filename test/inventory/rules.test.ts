/**
 * Table tests for the rules and their messages: hosts, addresses, names, the inline password,
 * unknown fields ("did you mean"), type mistakes YAML invites, clashes, path formatting.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { endpointKey, hostProblem, ipProblem, nameValid } from "../../src/inventory/hosts.js";
import { formatIssue } from "../../src/inventory/load.js";
import { parseInventory } from "../../src/inventory/parse.js";
import { formatPath, pointerToPath } from "../../src/inventory/positions.js";
import { distance } from "../../src/inventory/schema-check.js";
import { minimal } from "./helpers.js";

test("hosts: IP literals and host names pass", () => {
  for (const h of ["10.0.0.10", "fd00::10", "::1", "fe80::1%eth0", "localhost", "proxy1.example.com", "proxy1.example.com.", "a-b.c-d.example", "x".repeat(63) + ".example"]) {
    assert.equal(hostProblem(h), undefined, h);
  }
});

test("hosts: what is refused, and the reason given", () => {
  const table: [string, string][] = [
    ["", "host is empty"],
    ["  ", "host is empty"],
    ["pune 2", '"pune 2" contains spaces'],
    ["http://10.0.0.10/", '"http://10.0.0.10/" is a URL, not a host'],
    ["https://proxy.example.com", '"https://proxy.example.com" is a URL, not a host'],
    ["10.0.0.0/24", '"10.0.0.0/24" is a network (CIDR), not a host'],
    ["fd00::/64", '"fd00::/64" is a network (CIDR), not a host'],
    ["proxy/admin", '"proxy/admin" contains a slash'],
    ["[::1]", '"[::1]": write an IPv6 address without brackets (and the port under port)'],
    ["[::1]:8080", '"[::1]:8080": write an IPv6 address without brackets (and the port under port)'],
    ["10.0.0.10:8080", '"10.0.0.10:8080" carries a port: write the port under port'],
    ["proxy.example.com:3128", '"proxy.example.com:3128" carries a port: write the port under port'],
    ["fd00::zz", '"fd00::zz" is not a valid IPv6 address'],
    ["10.0.0.256", '"10.0.0.256" is not a valid IPv4 address'],
    ["10.0.1", '"10.0.1" is not a valid IPv4 address'],
    ["010.0.0.1", '"010.0.0.1" is not a valid IPv4 address'],
    ["pune_1.example.net", '"pune_1.example.net" is not a valid host name (underscores are not allowed)'],
    ["-pune.example.net", '"-pune.example.net" is not a valid host name'],
    ["pune-.example.net", '"pune-.example.net" is not a valid host name'],
    ["a..b", '"a..b" is not a valid host name'],
    ["x".repeat(64) + ".example", `"${"x".repeat(64)}.example" is not a valid host name`],
    ["proxy!.example", '"proxy!.example" is not a valid host name'],
  ];
  for (const [h, why] of table) assert.equal(hostProblem(h), why, JSON.stringify(h));
});

test("addresses (sourceIp, advertise.ip): only IP literals", () => {
  assert.equal(ipProblem("10.0.1.99"), undefined);
  assert.equal(ipProblem("fd00::99"), undefined);
  assert.equal(ipProblem("pune.example.net"), '"pune.example.net" is a host name, not an IP address');
  assert.equal(ipProblem("10.0.1.0/24"), '"10.0.1.0/24" is a network (CIDR), not an address');
  assert.equal(ipProblem("10.0.1.999"), '"10.0.1.999" is not an IP address');
});

test("names: the pattern the README gives", () => {
  for (const n of ["hq", "pune-1", "a", "1", "dc1.rack_2-x"]) assert.ok(nameValid(n), n);
  for (const n of ["", "-a", ".a", "_a", "a b", "a/b", "pune:1", "é"]) assert.ok(!nameValid(n), n);
});

test("clash key: host case and a trailing dot do not make two nodes different", () => {
  assert.equal(endpointKey("Proxy.Example.net.", 8080), endpointKey("proxy.example.net", 8080));
  assert.notEqual(endpointKey("proxy.example.net", 8080), endpointKey("proxy.example.net", 8081));
});

/** The one error a small inventory change gives, formatted. */
function only(extra: string, replace?: [string, string]): string {
  const text = replace ? minimal(extra).replace(replace[0], replace[1]) : minimal(extra);
  const r = parseInventory(text, "t.yaml");
  assert.equal(r.errors.length, 1, r.errors.map(formatIssue).join("\n"));
  return formatIssue(r.errors[0]!);
}

test("the inline password is refused with exactly this message, wherever it is written", () => {
  const accepted = "use passwordEnv (the name of an environment variable holding the password) or passwordFile (a file holding it)";
  assert.equal(only("    credentials: {username: u, password: pw}\n"), `t.yaml:8:32: an inline password is not allowed (slaves[0].credentials.password): ${accepted}`);
  assert.equal(only("    credentials: {username: u, passwordEnv: PW, password: pw}\n"), `t.yaml:8:49: an inline password is not allowed (slaves[0].credentials.password): ${accepted}`);
  assert.equal(only("    password: pw\n"), `t.yaml:8:5: an inline password is not allowed (slaves[0].password): put it under credentials and ${accepted}`);
});

test("type mistakes YAML invites get a hint on how to write the value", () => {
  assert.equal(only("", ["name: pune-1", "name: 1"]), "t.yaml:6:11: expected text, found a whole number (slaves[0].name): letters, digits, '.', '_' and '-', starting with a letter or digit (e.g. pune-1) (write it in quotes)");
  assert.equal(only("    port: '3128'\n"), "t.yaml:8:11: expected a whole number, found text (slaves[0].port): a whole number from 1 to 65535 (write it without quotes)");
  assert.equal(only("    transport: true\n"), 't.yaml:8:16: unknown transport true (slaves[0].transport): proxy, direct or https');
  assert.equal(only("    timeout: 10\n"), "t.yaml:8:14: expected text, found a whole number (slaves[0].timeout): a duration such as 500ms, 10s, 2m or 1m30s");
  assert.equal(only("    sourceIp:\n"), "t.yaml:8:5: sourceIp is empty (slaves[0].sourceIp): an IPv4 or IPv6 address (e.g. 10.0.1.99), not a host name or a network");
});

test("unknown fields: did you mean, and the fields accepted there", () => {
  assert.equal(only("    sourceIP: 10.0.1.99\n"), 't.yaml:8:5: unknown field "sourceIP" (slaves[0].sourceIP): did you mean "sourceIp"? fields here: name, host, port, transport, timeout, credentials, caFile, sourceIp');
  assert.equal(only("    prot: 8080\n"), 't.yaml:8:5: unknown field "prot" (slaves[0].prot): did you mean "port"? fields here: name, host, port, transport, timeout, credentials, caFile, sourceIp');
  assert.equal(only("    role: slave\n"), 't.yaml:8:5: unknown field "role" (slaves[0].role): fields here: name, host, port, transport, timeout, credentials, caFile, sourceIp');
  assert.equal(only("verison: 1\n"), 't.yaml:8:1: unknown field "verison" (verison): did you mean "version"? fields here: version, defaults, master, slaves, allowList, sync');
});

test("a secret typed in the wrong field is never echoed", () => {
  const msg = only("    credentials: {username: u, passwordEnv: 'Pa ss!word'}\n");
  assert.doesNotMatch(msg, /Pa ss!word/);
  assert.match(msg, /invalid passwordEnv \(slaves\[0\]\.credentials\.passwordEnv\): an environment variable name/);
});

test("field paths: ajv pointers become readable paths", () => {
  const data = { slaves: [{ host: "x" }], "a/b": { "c~d": 1 } };
  assert.deepEqual(pointerToPath("/slaves/0/host", data), ["slaves", 0, "host"]);
  assert.deepEqual(pointerToPath("/a~1b/c~0d", data), ["a/b", "c~d"]);
  assert.equal(formatPath(["slaves", 0, "host"]), "slaves[0].host");
  assert.equal(formatPath(["a/b", "c~d"]), '["a/b"]["c~d"]');
  assert.equal(formatPath([]), "");
});

test("did-you-mean distance counts a swap as one edit", () => {
  assert.equal(distance("hots", "host"), 1);
  assert.equal(distance("timout", "timeout"), 1);
  assert.equal(distance("abc", "abc"), 0);
  assert.equal(distance("", "ab"), 2);
});
