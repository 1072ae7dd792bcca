/**
 * The native log (handler `log`, admin-endpoint.md §6): a stream that never ends on its own,
 * read for a bounded time or until the reader has what it needs; and the sync events in it:
 * `synchronizing with <ip>:<port>`, `synchronized section: <tag>`, and
 * `failed to synchronize with <ip>:<port>: <reason>`. Lines are matched on their words, not
 * on the vendor's source-line numbers.
 */
import type { AdminTransport } from "./transport.js";

export interface LogLine {
  /** The timestamp as written, `YYYY MM DD HH:MM:SS.mmm` (the node's clock). */
  stamp: string;
  /** The timestamp read as UTC milliseconds; compare only with lines of the same node. */
  ms: number;
  thread: string;
  family: string;
  message: string;
}

const LINE = /^(\d{4}) (\d{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) \[([^\]]*)\] ([^:]+): (.*)$/;

/** Parses one native log line; undefined for lines of another shape. */
export function parseLogLine(line: string): LogLine | undefined {
  const m = LINE.exec(line.replace(/\r$/, ""));
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
  return { stamp: line.slice(0, 23), ms, thread: m[8]!, family: m[9]!.trim(), message: m[10]! };
}

export interface ReadLogOptions {
  /** Stop after this long in any case. */
  maxMs: number;
  /** Stop once nothing new has arrived for this long. */
  idleMs: number;
  /**
   * The caller wants the backlog (what the node has logged so far), not lines yet to come:
   * once the first lines are in, stop after a quiet spell of a few round trips (3x the time
   * the reply took to start, at least BACKLOG_QUIET_MIN_MS, at most idleMs) instead of idleMs.
   */
  backlog?: boolean;
  /** Stop as soon as this says the lines read so far are enough. */
  until?: (lines: LogLine[]) => boolean;
  signal?: AbortSignal;
}

/**
 * The shortest quiet spell that ends a backlog read. The node sends its backlog at once, so
 * its chunks arrive back to back (on a slow link, one round trip apart, which the 3x of the
 * reply's start covers); a fixed idle of 250-300 ms per read was most of verify's time per
 * slave and the largest part of join-slave's (issue 6: profiled, it dominated at 500 slaves).
 */
export const BACKLOG_QUIET_MIN_MS = 40;

/** Reads the log stream for a bounded time; returns the parsed lines, oldest first. */
export async function readLog(t: AdminTransport, o: ReadLogOptions): Promise<LogLine[]> {
  const t0 = performance.now();
  const stream = await t.stream([["handler", "log"]], Math.min(o.maxMs, t.node.timeoutMs));
  const quietMs = o.backlog ? Math.min(o.idleMs, Math.max(BACKLOG_QUIET_MIN_MS, 3 * (performance.now() - t0))) : o.idleMs;
  const lines: LogLine[] = [];
  let rest = "";
  let lastData = 0;
  return new Promise<LogLine[]>((resolve, reject) => {
    let idle: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (err?: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      clearTimeout(max);
      o.signal?.removeEventListener("abort", onAbort);
      stream.removeAllListeners("data");
      stream.on("error", () => {}); // destroy() may emit one last error: it is expected
      stream.destroy();
      if (err) reject(err);
      else resolve(lines);
    };
    const onAbort = (): void => finish(o.signal!.reason);
    const armIdle = (ms: number): void => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        // Timers run before I/O in each turn of the event loop: after a busy spell of this
        // process, data may be waiting unread. Let it in first; stop only if none came.
        const firedAt = performance.now();
        setImmediate(() => {
          if (lastData < firedAt) finish();
        });
      }, ms);
    };
    const max = setTimeout(() => finish(), o.maxMs);
    o.signal?.addEventListener("abort", onAbort, { once: true });
    // Before the first lines: the full idleMs (the node may take a moment to start sending).
    armIdle(o.idleMs);
    stream.on("data", (chunk: Buffer | string) => {
      lastData = performance.now();
      const text = rest + chunk.toString();
      const parts = text.split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts) {
        const l = parseLogLine(p);
        if (l) lines.push(l);
      }
      if (o.until?.(lines)) return finish();
      armIdle(quietMs);
    });
    stream.on("end", () => finish());
    stream.on("error", () => finish()); // the node closed the stream (e.g. restarting): keep what was read
  });
}

/** Why a sync attempt failed, as far as the fix goes. */
export type FailureKind = "login-required" | "forbidden" | "unreachable" | "other";

export interface SyncBlock {
  /** `ip:port` the slave synchronized with. */
  target: string;
  at: LogLine;
  sections: string[];
  failure?: { reason: string; kind: FailureKind; at: LogLine };
}

/** Classifies the reason of a `failed to synchronize` line. */
export function failureKind(reason: string): FailureKind {
  const r = reason.toLowerCase();
  if (r.startsWith("407")) return "login-required";
  if (r.startsWith("403")) return "forbidden";
  if (/refused|timed out|timeout|reset|unreachable|no route|not resolve/.test(r)) return "unreachable";
  return "other";
}

/** Groups the sync lines of a log into attempts, oldest first. */
export function syncBlocks(lines: readonly LogLine[]): SyncBlock[] {
  const blocks: SyncBlock[] = [];
  let current: SyncBlock | undefined;
  for (const l of lines) {
    let m: RegExpExecArray | null;
    if ((m = /synchronizing with (\S+)\s*$/.exec(l.message))) {
      current = { target: m[1]!, at: l, sections: [] };
      blocks.push(current);
    } else if ((m = /synchronized section: (\S+)/.exec(l.message)) && current) {
      current.sections.push(m[1]!);
    } else if ((m = /failed to synchronize with (\S+?): (.*)$/.exec(l.message))) {
      const failure = { reason: m[2]!.trim(), kind: failureKind(m[2]!), at: l };
      if (current && current.target === m[1] && !current.failure && current.sections.length === 0) current.failure = failure;
      else blocks.push((current = { target: m[1]!, at: l, sections: [], failure }));
    }
  }
  return blocks;
}
