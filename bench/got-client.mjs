// The raw client's reads (bench/raw-client.mjs), made through got the way the tool makes them:
// one got instance per node and kind of request, the proxy-form request function, the promise
// API for replies and got.stream for the log; no parsing, no checks. Its time over the raw
// client's is what got itself costs for verify's reads: the floor of `verify` while the tool
// keeps got. Both print the time of their requests alone (`ms`, from after their imports), which
// the bench compares (got is imported here unbundled, which the tool's start does not pay).
//
//   node bench/got-client.mjs NODES.json CONCURRENCY      (prints one JSON line)
import http from "node:http";
import { readFileSync } from "node:fs";
import got from "got";

const HEADERS = {
  "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
  referer: "http://safesquid.cfg/",
  "x-requested-with": "XMLHttpRequest",
};

const [file, concurrencyArg] = process.argv.slice(2);
const nodes = JSON.parse(readFileSync(file, "utf8"));
const concurrency = Number(concurrencyArg ?? 16);
const totals = { requests: 0, bytes: 0, logBytes: 0, failed: 0 };

/** A got instance for one node, as src/safesquid/transport.ts makes it for the proxy form. */
function clientFor(node, agent, streaming) {
  const request = (url, options, cb) =>
    http.request({ ...options, hostname: node.host, host: node.host, port: node.port, path: url.href, agent, servername: "" }, cb);
  return got.extend({
    throwHttpErrors: false,
    retry: { limit: 0 },
    followRedirect: false,
    decompress: false,
    timeout: streaming ? { connect: 10_000, response: 10_000 } : { request: 10_000 },
    request,
  });
}

/** One POST; resolves once its body has all arrived. */
async function post(client, body) {
  const res = await client.post("http://safesquid.cfg/", { headers: HEADERS, body });
  totals.requests++;
  totals.bytes += res.body.length;
  if (res.statusCode !== 200) totals.failed++;
}

/** The log stream: read what has arrived, stop once a turn of the event loop brings no more. */
function readLog(client) {
  return new Promise((resolve) => {
    const s = client.stream.post("http://safesquid.cfg/?handler=log", { headers: HEADERS, body: "" });
    let bytes = 0;
    let last = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      totals.requests++;
      totals.logBytes += bytes;
      s.destroy();
      resolve();
    };
    const check = (seen) => setImmediate(() => (last === seen ? finish() : check(last)));
    s.on("data", (d) => {
      bytes += d.length;
      if (last++ === 0) check(last);
    });
    s.on("end", finish);
    s.on("error", finish);
  });
}

const agentFor = () => new http.Agent({ keepAlive: true, maxSockets: 4 });
const t0 = performance.now();
const masterAgent = agentFor();
const master = clientFor(nodes.master, masterAgent, false);
await post(master, "handler=conf_xml");
await post(master, "handler=safesquid_params");
let next = 0;
async function worker() {
  while (next < nodes.slaves.length) {
    const slave = nodes.slaves[next++];
    const agent = agentFor();
    const replies = clientFor(slave, agent, false);
    await Promise.all([
      (async () => {
        await post(replies, "handler=safesquid_params");
        await post(replies, "handler=conf_xml");
      })(),
      readLog(clientFor(slave, agent, true)),
    ]);
    agent.destroy();
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, nodes.slaves.length) }, worker));
masterAgent.destroy();
process.stdout.write(JSON.stringify({ slaves: nodes.slaves.length, concurrency, ms: performance.now() - t0, ...totals }) + "\n");
