/** Small policy documents for emulator tests, written the way config.xml lays them out. */

export type Row = Record<string, string>;

/**
 * A document whose access section holds these rows (fields in the order given, `enabled` TRUE
 * unless set), ids from 1; `sections` is further top-level sections as text, at the vendor's
 * 4-space layout (see `section`).
 */
export function policyDoc(allow: Row[], deny: Row[] = [], policy = "DENY", sections = ""): string {
  let id = 1;
  const entry = (tag: string, r: Row): string =>
    `        <${tag} id="${id++}">\n` + Object.entries({ enabled: "TRUE", ...r }).map(([k, v]) => `            <${k}>${v}</${k}>\n`).join("") + `        </${tag}>\n`;
  return `<?xml version="1.0" ?>\n<safesquid>\n    <access>\n        <policy>${policy}</policy>\n${allow.map((r) => entry("allow", r)).join("")}${deny.map((r) => entry("deny", r)).join("")}    </access>\n${sections}</safesquid>\n`;
}

/** One top-level section as text: `<name>` with its lines (each already indented as inside it). */
export function section(name: string, ...lines: string[]): string {
  return `    <${name}>\n${lines.map((l) => `        ${l}\n`).join("")}    </${name}>\n`;
}
