// What bench/raw-client.mjs and bench/got-client.mjs share: verify's reads, in verify's order,
// each client bringing only how it sends a request (plain node:http, or got as the tool does).
//
//   the master: its policy document (conf_xml) and its parameters (safesquid_params), once;
//   each slave, `concurrency` at a time: its parameters then its document, one after the other on
//   one kept-alive connection, while its log (POST /?handler=log, a stream that never ends) is
//   read on a second connection; the log read stops as soon as the data that has arrived is all
//   there is for now (one turn of the event loop without more), waiting for nothing else.
//
// Every request goes the way the tool sends it: a proxy-form POST for http://safesquid.cfg/ to
// the node's host:port, with the vendor's headers. NODES.json is
// {"master": {"host", "port"}, "slaves": [{"host", "port"}, ...]}; the client prints one JSON
// line: the slaves, the concurrency, `ms` (its requests alone, from after its imports), the
// requests made, the bytes read and how many requests did not answer 200.
import http from "node:http";
import { readFileSync } from "node:fs";

export const HEADERS = {
  "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
  referer: "http://safesquid.cfg/",
  "x-requested-with": "XMLHttpRequest",
};

/** Counts a reply's bytes until it ends, or, with `quiet`, until a turn of the event loop brings no more. */
export function countBytes(stream, quiet = false) {
  return new Promise((resolve) => {
    let bytes = 0;
    let last = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(bytes);
    };
    const check = (seen) => setImmediate(() => (last === seen ? finish() : check(last)));
    stream.on("data", (d) => {
      bytes += d.length;
      if (quiet && last++ === 0) check(last);
    });
    stream.on("end", finish);
    stream.on("error", finish);
  });
}

/**
 * Makes verify's reads with `client`: `post(node, agent, body)` and `log(node, agent)` each
 * resolve with `{ status, bytes }`. Prints the JSON line.
 */
export async function runReads(client) {
  const [file, concurrencyArg] = process.argv.slice(2);
  const nodes = JSON.parse(readFileSync(file, "utf8"));
  const concurrency = Number(concurrencyArg ?? 16);
  const totals = { requests: 0, bytes: 0, logBytes: 0, failed: 0 };
  const count = (r, key) => {
    totals.requests++;
    totals[key] += r.bytes;
    if (r.status !== 200) totals.failed++;
  };
  const post = async (node, agent, body) => count(await client.post(node, agent, body), "bytes");
  const agentFor = () => new http.Agent({ keepAlive: true, maxSockets: 4 });
  const t0 = performance.now();
  const masterAgent = agentFor();
  await post(nodes.master, masterAgent, "handler=conf_xml");
  await post(nodes.master, masterAgent, "handler=safesquid_params");
  let next = 0;
  const worker = async () => {
    while (next < nodes.slaves.length) {
      const slave = nodes.slaves[next++];
      const agent = agentFor();
      await Promise.all([
        (async () => {
          await post(slave, agent, "handler=safesquid_params");
          await post(slave, agent, "handler=conf_xml");
        })(),
        client.log(slave, agent).then((r) => count(r, "logBytes")),
      ]);
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, nodes.slaves.length) }, worker));
  masterAgent.destroy();
  process.stdout.write(JSON.stringify({ slaves: nodes.slaves.length, concurrency, ms: performance.now() - t0, ...totals }) + "\n");
}
