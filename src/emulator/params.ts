/**
 * Startup parameters (docs/protocol.md "Startup parameters"): shell lines `KEY="value"`, each under a
 * `# description` line; a defaults file and `startup.ini` overrides, merged in defaults order
 * then extra keys. The read reply (its shape: dialect.ts) shows each value exactly as written
 * on the right of `=` (so with its literal double quotes); a write sends the whole list back.
 */
export interface ParamLine {
  name: string;
  /** The right-hand side as written, e.g. `"8080"` (quotes included). */
  raw: string;
  desc: string;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LINE = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

/** Parses a startup.ini-shaped text; lines of any other shape are ignored, a repeated key keeps its first place and last value. */
export function parseIni(text: string): ParamLine[] {
  const out: ParamLine[] = [];
  let desc = "";
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === "") continue;
    if (t.startsWith("#")) {
      desc = t.slice(1).trim();
      continue;
    }
    const m = LINE.exec(t);
    if (!m) continue;
    const found = out.find((p) => p.name === m[1]);
    if (found) {
      found.raw = m[2]!;
      if (desc) found.desc = desc;
    } else out.push({ name: m[1]!, raw: m[2]!, desc });
    desc = "";
  }
  return out;
}

/** Writes the lines back as a file: `# description` then `KEY=raw`. */
export function formatIni(list: readonly ParamLine[]): string {
  return list.map((p) => (p.desc ? `# ${p.desc}\n` : "") + `${p.name}=${p.raw}\n`).join("");
}

/** Defaults overlaid with overrides: defaults order, then keys only the overrides have. */
export function mergeParams(defaults: readonly ParamLine[], overrides: readonly ParamLine[]): ParamLine[] {
  const over = new Map(overrides.map((p) => [p.name, p]));
  const out = defaults.map((d) => {
    const o = over.get(d.name);
    return o ? { name: d.name, raw: o.raw, desc: o.desc || d.desc } : { ...d };
  });
  const known = new Set(defaults.map((d) => d.name));
  for (const o of overrides) if (!known.has(o.name)) out.push({ ...o });
  return out;
}

/** Drops ONE pair of surrounding double quotes (reading a value from the file). */
export function unquoteOnce(raw: string): string {
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
}

/** The effective values by name, unquoted. */
export function valuesOf(list: readonly ParamLine[]): Map<string, string> {
  return new Map(list.map((p) => [p.name, unquoteOnce(p.raw)]));
}

/**
 * Checks a whole-list write and returns the list to store, or a reason to refuse it
 * ([chosen] docs/protocol.md "Startup parameters", docs/emulator.md "Strictness"): what the vendor's web
 * interface never sends is refused: a value with a `"` (it removes every quote from what it
 * read) or a line break, a missing param<i> / value<i> / desc<i>, a write that drops an
 * existing key. New keys are accepted. Each value is stored as `KEY="value"`: the node adds
 * the quotes.
 */
export function checkWrite(params: Map<string, string>, current: readonly ParamLine[]): { list: ParamLine[] } | { error: string } {
  const countText = params.get("no_of_params") ?? "";
  if (!/^\d+$/.test(countText)) return { error: `no_of_params must be a whole number, not "${countText}"` };
  const count = Number(countText);
  if (count > 10_000) return { error: `no_of_params ${count} is too large` };
  for (const k of params.keys()) {
    const m = /^(param|value|desc)(\d+)$/.exec(k);
    if (m && Number(m[2]) >= count) return { error: `${k} is beyond no_of_params=${count}` };
  }
  const byName = new Map(current.map((p) => [p.name, p]));
  const list: ParamLine[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const name = params.get(`param${i}`);
    const value = params.get(`value${i}`);
    const descText = params.get(`desc${i}`);
    if (name === undefined) return { error: `param${i} is missing (no_of_params=${count})` };
    if (value === undefined) return { error: `value${i} is missing for ${name}` };
    if (descText === undefined) return { error: `desc${i} is missing for ${name}` };
    if (!KEY.test(name)) return { error: `"${name}" is not a parameter name` };
    if (seen.has(name)) return { error: `${name} is given twice` };
    if (/[\r\n]/.test(value)) return { error: `the value of ${name} has a line break` };
    if (value.includes('"')) return { error: `the value of ${name} has a double quote: send values without any " (the node adds the quotes itself)` };
    seen.add(name);
    const desc = descText.replace(/[\r\n]+/g, " ").trim();
    list.push({ name, raw: `"${value}"`, desc: desc || byName.get(name)?.desc || "" });
  }
  const dropped = current.filter((p) => !seen.has(p.name)).map((p) => p.name);
  if (dropped.length) return { error: `the write drops ${dropped.join(", ")}: send the whole list of parameters` };
  return { list };
}
