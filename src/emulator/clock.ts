/**
 * A node's clock: the real time plus a per-node skew (fault injection,
 * docs/emulator.md). Log timestamps, Last-Modified, the Date header and backup names all read it.
 */

/** A clock that can run ahead of or behind the machine's. */
export class NodeClock {
  constructor(public skewMs = 0) {}
  /** Milliseconds since the epoch, as this node believes. */
  now(): number {
    return Date.now() + this.skewMs;
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");

/** `YYYY MM DD HH:MM:SS.mmm` in UTC ([chosen]: the vendor format, node clock, UTC; docs/protocol.md "The sync log"). */
export function logStamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()} ${pad(d.getUTCMonth() + 1)} ${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`
  );
}

/** An HTTP date (IMF-fixdate), whole seconds. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Reads an HTTP date; undefined when it is not one. */
export function parseHttpDate(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A timestamp safe in a file name on every system: ISO 8601 with `-` for `:`. */
export function fileStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/:/g, "-");
}
