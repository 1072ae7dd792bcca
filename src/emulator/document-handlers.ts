/**
 * `conf_xml` (the running document, with Last-Modified / If-Modified-Since, docs/protocol.md
 * §5) and `log` (the native log as a stream that never ends on its own, §6).
 */
import type { ServerResponse } from "node:http";
import { httpDate, parseHttpDate } from "./clock.js";
import type { AdminCall, NodeCore, Reply, StreamReply } from "./core.js";
import { commonHeaders } from "./reply.js";

/**
 * The in-memory document; 304 when If-Modified-Since is not older than the document time. The
 * alt dialect sends no Last-Modified and ignores If-Modified-Since (docs/emulator.md "Dialects").
 */
export function confXml(core: NodeCore, call: AdminCall): Reply {
  if (!core.rules.lastModified) return { body: core.policy.text() };
  const time = core.policy.time;
  const headers = { "Last-Modified": httpDate(time) };
  const ims = parseHttpDate(call.headers["if-modified-since"]);
  if (ims !== undefined && ims >= time) return { status: 304, body: "", headers };
  return { body: core.policy.text(), headers };
}

/** Streams the backlog (its size: the node's) at once, then every new line, until the client goes or the node restarts. */
export function streamLog(core: NodeCore): StreamReply {
  return {
    stream: (res: ServerResponse) => {
      res.writeHead(200, { ...commonHeaders(core), "Content-Type": "text/plain; charset=utf-8" });
      res.socket?.setTimeout(0);
      res.flushHeaders();
      const backlog = core.log.tail(core.logBacklogLines);
      if (backlog.length) res.write(backlog.join("\n") + "\n");
      const unsubscribe = core.log.subscribe((line) => res.write(line + "\n"));
      res.once("close", unsubscribe);
    },
  };
}
