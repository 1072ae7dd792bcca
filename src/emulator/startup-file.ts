/** Writing a node's initial `startup.ini`: overrides only, each under its description from the defaults file. */
import { formatIni, parseIni } from "./params.js";

/** `# description` + `KEY="value"` for each override, in the defaults' order, then new keys. */
export function overridesIni(defaultsText: string, values: Record<string, string>): string {
  const defaults = parseIni(defaultsText);
  const known = defaults.filter((d) => Object.prototype.hasOwnProperty.call(values, d.name)).map((d) => ({ ...d, raw: `"${values[d.name]}"` }));
  const extra = Object.keys(values)
    .filter((k) => !defaults.some((d) => d.name === k))
    .map((k) => ({ name: k, raw: `"${values[k]}"`, desc: "" }));
  return formatIni([...known, ...extra]);
}
