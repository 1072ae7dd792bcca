/**
 * The YAML parser's own errors and warnings (syntax, duplicate keys, tabs, several documents,
 * nesting too deep) as inventory issues, placed where the user can fix them.
 */
import { visit, type Document, type LineCounter } from "yaml";
import type { Locator } from "./positions.js";
import type { InventoryIssue } from "./types.js";

/** Every YAML error and warning of a parsed document, as issues. */
export function yamlIssues(doc: Document, text: string, lines: LineCounter, at: Locator): { errors: InventoryIssue[]; warnings: InventoryIssue[] } {
  const place = (offset: number, message: string, accepted?: string, withPath = false): InventoryIssue => {
    const p = lines.linePos(offset);
    return { file: at.file, line: p.line, column: p.col, path: withPath ? at.pathAt(offset) : "", message, ...(accepted ? { accepted } : {}) };
  };
  const warnings = doc.warnings.map((w) => place(w.pos[0], `YAML: ${w.message}`));
  const errors = doc.errors.map((e) => {
    // A missing character at the end of a quoted value that its own text does not close: yaml
    // notices at the end of the file; the useful place is the opening quote.
    const open = e.code === "MISSING_CHAR" ? unclosedQuoteAt(doc, text, e.pos[0]) : undefined;
    if (open !== undefined) return place(open, "a quoted value is not closed", `end it with the same quote (" or ') it starts with`, true);
    if (e.code === "DUPLICATE_KEY") {
      const key = /^\s*(?:"([^"]*)"|'([^']*)'|([^:,{}\n]*?))\s*:/.exec(text.slice(e.pos[0]));
      return place(e.pos[0], `duplicate key "${key?.[1] ?? key?.[2] ?? key?.[3] ?? ""}"`, "each key once per mapping", true);
    }
    return place(e.pos[0], message(e.code, e.message), accepted(e.code));
  });
  return { errors, warnings };
}

const CLOSED = { QUOTE_DOUBLE: /^"(?:[^"\\]|\\[\s\S])*"$/, QUOTE_SINGLE: /^'(?:[^']|'')*'$/ } as const;

/** Start of the quoted scalar that runs up to `offset` and whose text has no closing quote, if any. */
function unclosedQuoteAt(doc: Document, text: string, offset: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const r = node.range;
      if (!r || (node.type !== "QUOTE_DOUBLE" && node.type !== "QUOTE_SINGLE") || r[0] >= offset || r[1] < offset) return;
      if (!CLOSED[node.type].test(text.slice(r[0], r[1]))) start = r[0];
    },
  });
  return start;
}

function message(code: string, text: string): string {
  if (code === "RESOURCE_EXHAUSTION") return "the document is nested too deeply";
  if (code === "MULTIPLE_DOCS") return "the file holds several YAML documents (---)";
  if (code === "TAB_AS_INDENT") return "a tab is used for indentation";
  return `YAML syntax error: ${text.replace(/ at line \d+, column \d+:[\s\S]*$/, "")}`;
}

function accepted(code: string): string {
  if (code === "RESOURCE_EXHAUSTION") return "an inventory nested a few levels deep";
  if (code === "MULTIPLE_DOCS") return "one document per inventory file";
  if (code === "TAB_AS_INDENT") return "spaces for indentation";
  return "YAML as in examples/inventory.yaml";
}
