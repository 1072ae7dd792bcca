// The benchmark's yardstick: a minimal client that makes the same reads as `verify`, and nothing
// else. Plain JavaScript on node:http, no dependency, no parsing (bodies are counted, not read),
// so that its time is about the least any client could take for those reads on this machine:
//
//   the master: its policy document (conf_xml) and its parameters (safesquid_params), once;
//   each slave, `concurrency` at a time: its parameters then its document, one after the other on
//   one kept-alive connection, while its log (POST /?handler=log, a stream that never ends) is
//   read on a second connection; the log read stops as soon as the data that has arrived is all
//   there is for now (one turn of the event loop without more), waiting for nothing else.
//
// Every request goes the way the tool sends it: a proxy-form POST for http://safesquid.cfg/ to
// the node's host:port, with the vendor's headers. Usage (it prints one JSON line):
//   node bench/raw-client.mjs NODES.json CONCURRENCY
// where NODES.json is {"master": {"host", "port"}, "slaves": [{"host", "port"}, ...]}.
import http from "node:http";
import { readFileSync } from "node:fs";

const HEADERS = {
  "content-type": "application/x-www-form-urlencoded; charset=UTF-8",
  referer: "http://safesquid.cfg/",
  "x-requested-with": "XMLHttpRequest",
  host: "safesquid.cfg",
};

const [file, concurrencyArg] = process.argv.slice(2);
const nodes = JSON.parse(readFileSync(file, "utf8"));
const concurrency = Number(concurrencyArg ?? 16);
const totals = { requests: 0, bytes: 0, logBytes: 0, failed: 0 };

/** One POST; resolves with the body's size once it has all arrived. */
function post(node, agent, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: node.host, port: node.port, method: "POST", path: "http://safesquid.cfg/", agent, headers: { ...HEADERS, "content-length": Buffer.byteLength(body) } }, (res) => {
      let bytes = 0;
      res.on("data", (d) => (bytes += d.length));
      res.on("end", () => {
        totals.requests++;
        totals.bytes += bytes;
        if (res.statusCode !== 200) totals.failed++;
        resolve(bytes);
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The log stream: read what has arrived, stop once a turn of the event loop brings no more. */
function readLog(node, agent) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: node.host, port: node.port, method: "POST", path: "http://safesquid.cfg/?handler=log", agent, headers: { ...HEADERS, "content-length": 0 } }, (res) => {
      let bytes = 0;
      let last = 0;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        totals.requests++;
        totals.logBytes += bytes;
        if (res.statusCode !== 200) totals.failed++;
        req.destroy();
        resolve(bytes);
      };
      const check = (seen) => setImmediate(() => (last === seen ? finish() : check(last)));
      res.on("data", (d) => {
        bytes += d.length;
        if (last++ === 0) check(last);
      });
      res.on("end", finish);
      res.on("error", finish);
    });
    req.on("error", reject);
    req.end();
  });
}

const agentFor = () => new http.Agent({ keepAlive: true, maxSockets: 4 });
const t0 = performance.now();
const masterAgent = agentFor();
await post(nodes.master, masterAgent, "handler=conf_xml");
await post(nodes.master, masterAgent, "handler=safesquid_params");
let next = 0;
async function worker() {
  while (next < nodes.slaves.length) {
    const slave = nodes.slaves[next++];
    const agent = agentFor();
    await Promise.all([
      (async () => {
        await post(slave, agent, "handler=safesquid_params");
        await post(slave, agent, "handler=conf_xml");
      })(),
      readLog(slave, agent),
    ]);
    agent.destroy();
  }
}
await Promise.all(Array.from({ length: Math.min(concurrency, nodes.slaves.length) }, worker));
masterAgent.destroy();
process.stdout.write(JSON.stringify({ slaves: nodes.slaves.length, concurrency, ms: performance.now() - t0, ...totals }) + "\n");
