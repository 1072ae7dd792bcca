// The benchmark's yardstick: a minimal client that makes the same reads as `verify` (the order
// and the requests: bench/reads.mjs), and nothing else. Plain JavaScript on node:http, no
// dependency, no parsing (bodies are counted, not read), so that its time is about the least
// any client could take for those reads on this machine.
//
//   node bench/raw-client.mjs NODES.json CONCURRENCY      (prints one JSON line)
import http from "node:http";
import { countBytes, HEADERS, runReads } from "./reads.mjs";

/** One proxy-form POST; resolves with its status and the size of its body (all of it, or, `quiet`, what came at once). */
function request(node, agent, query, body, quiet) {
  return new Promise((resolve, reject) => {
    const headers = { ...HEADERS, host: "safesquid.cfg", "content-length": Buffer.byteLength(body) };
    const req = http.request({ host: node.host, port: node.port, method: "POST", path: `http://safesquid.cfg/${query}`, agent, headers }, (res) => {
      countBytes(res, quiet).then((bytes) => {
        if (quiet) req.destroy();
        resolve({ status: res.statusCode, bytes });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

await runReads({
  post: (node, agent, body) => request(node, agent, "", body, false),
  log: (node, agent) => request(node, agent, "?handler=log", "", true),
});
