// The raw client's reads (bench/raw-client.mjs), made through got the way the tool makes them:
// one got instance per node and kind of request, the proxy-form request function, the promise
// API for replies and got.stream for the log; no parsing, no checks. Its time over the raw
// client's is what got itself costs for verify's reads: the floor of `verify` while the tool
// keeps got. Both print the time of their requests alone (`ms`, from after their imports), which
// the bench compares (got is imported here unbundled, which the tool's start does not pay).
//
//   node bench/got-client.mjs NODES.json CONCURRENCY      (prints one JSON line)
import http from "node:http";
import got from "got";
import { countBytes, HEADERS, runReads } from "./reads.mjs";

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

await runReads({
  // got's promise API, as the tool reads a reply.
  post: async (node, agent, body) => {
    const res = await clientFor(node, agent, false).post("http://safesquid.cfg/", { headers: HEADERS, body });
    return { status: res.statusCode, bytes: res.body.length };
  },
  // got's stream, as the tool reads the log.
  log: (node, agent) =>
    new Promise((resolve) => {
      const s = clientFor(node, agent, true).stream.post("http://safesquid.cfg/?handler=log", { headers: HEADERS, body: "" });
      let status = 0;
      s.on("response", (r) => (status = r.statusCode));
      countBytes(s, true).then((bytes) => {
        s.destroy();
        resolve({ status, bytes });
      });
    }),
});
