/** Durations as the inventory and the flags write them: `500ms`, `10s`, `2m`, `1h`, `1m30s`. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/** Parses a duration into milliseconds; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === "") return undefined;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/**
 * Formats milliseconds the way durations are written here, largest unit first, ending at the
 * last unit that is not zero: `850ms`, `4.2s`, `12s`, `1m03s`, `2m`, `1h`, `1h00m05s`.
 * Units after the first are zero-padded (`1m03s`); hours are the largest unit.
 * By default the value is rounded for reading: whole milliseconds under a second, tenths of a
 * second under ten seconds, whole seconds above. The rounding comes first and the units are
 * split afterwards, so 59 500 ms prints `1m`, never `60s` or `59m60s`.
 * `exact` keeps every millisecond (`1m30s`, `1s500ms`): for values read back as durations,
 * such as a node's timeout.
 */
export function formatDuration(ms: number, opts: { exact?: boolean } = {}): string {
  const whole = Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 0;
  if (opts.exact || whole < 1000) return units(whole);
  const tenths = Math.round(ms / 100);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)}s`;
  return units(Math.round(ms / 1000) * 1000);
}

const UNITS = [
  ["h", 3_600_000, 0],
  ["m", 60_000, 2],
  ["s", 1000, 2],
  ["ms", 1, 3],
] as const;

/** Whole milliseconds as units from the largest non-zero one to the last non-zero one. */
function units(ms: number): string {
  if (ms === 0) return "0ms";
  let out = "";
  let rest = ms;
  for (const [unit, size, width] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (out === "" && n === 0) continue;
    out += (out === "" ? String(n) : String(n).padStart(width, "0")) + unit;
    if (rest === 0) break;
  }
  return out;
}

/** Promise-based sleep that an AbortSignal can cut short (rejects with the signal's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
