/**
 * Sections of a policy document as text, read with a regex of the tests' own (independent of
 * the shared XML reader): top-level elements of `<safesquid>` at the vendor's 4-space layout,
 * with ids dropped, so a slave's section can be compared with its master's.
 */

/** Section name -> its text without ids. */
export function sectionTexts(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of doc.matchAll(/^ {4}<([A-Za-z_][\w.-]*)>\n([\s\S]*?)^ {4}<\/\1>$/gm)) {
    if (!out.has(m[1]!)) out.set(m[1]!, m[2]!.replace(/ id="[^"]*"/g, ""));
  }
  return out;
}

/** Every id in a document. */
export function ids(doc: string): string[] {
  return [...doc.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]!);
}
