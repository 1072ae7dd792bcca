/**
 * From a field path to a place in the file: walks the parsed YAML document (through aliases)
 * and turns a node's offset into line and column with the LineCounter (docs/architecture.md "Stack").
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from "yaml";
import type { InventoryIssue, SourcePos } from "./types.js";

export type PathSeg = string | number;

/** `slaves[2].host`, `master.credentials.passwordEnv`; "" for the whole document. */
export function formatPath(path: readonly PathSeg[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === "" ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Splits an ajv instancePath (`/slaves/0/host`) into segments; array indexes become numbers. */
export function pointerToPath(pointer: string, data: unknown): PathSeg[] {
  if (pointer === "") return [];
  const out: PathSeg[] = [];
  let cur: unknown = data;
  for (const raw of pointer.slice(1).split("/")) {
    const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const key: PathSeg = Array.isArray(cur) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(key);
    cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

interface Found {
  /** The deepest node reached (the value at `path` when `complete`). */
  node: Node | undefined;
  /** The pair holding the last segment, when it is a mapping key. */
  pair: Pair | undefined;
  complete: boolean;
}

/** Locates issues in one parsed document. */
export class Locator {
  constructor(
    readonly doc: Document,
    readonly lines: LineCounter,
    /** The file name as shown in messages. */
    readonly file: string,
  ) {}

  private resolve(node: unknown): Node | undefined {
    // An alias points at its anchor: the content (and the error) is where the anchor is.
    if (isAlias(node)) return node.resolve(this.doc) as Node | undefined;
    return (node ?? undefined) as Node | undefined;
  }

  private find(path: readonly PathSeg[]): Found {
    let node = this.resolve(this.doc.contents);
    let pair: Pair | undefined;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      pair = undefined;
      let next: Node | undefined;
      if (isMap(node)) {
        pair = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(seg));
        next = pair ? this.resolve(pair.value) : undefined;
        if (pair && !next) return { node: (pair.key as Node) ?? node, pair, complete: i === path.length - 1 };
      } else if (isSeq(node) && typeof seg === "number") {
        next = this.resolve(node.items[seg]);
      }
      if (!next) return { node, pair: undefined, complete: false };
      node = next;
    }
    return { node, pair, complete: true };
  }

  private posOf(node: Node | undefined): SourcePos {
    const offset = node?.range?.[0] ?? 0;
    const p = this.lines.linePos(offset);
    return { line: p.line, column: p.col };
  }

  /** Where the value at `path` is; an empty value (`master:`) points at its key. */
  value(path: readonly PathSeg[]): SourcePos {
    const f = this.find(path);
    const n = f.node;
    const empty = !n || (isScalar(n) && n.value === null && n.range != null && n.range[0] === n.range[1]);
    if (empty && f.pair?.key) return this.posOf(f.pair.key as Node);
    return this.posOf(n);
  }

  /** Where the key of the last segment is (an unknown field), else where its value is. */
  key(path: readonly PathSeg[]): SourcePos {
    const f = this.find(path);
    if (f.complete && f.pair?.key) return this.posOf(f.pair.key as Node);
    return this.value(path);
  }

  /** Builds an issue placed at the value (`at: "value"`) or the key of `path`. */
  issue(path: readonly PathSeg[], message: string, accepted?: string, at: "value" | "key" = "value"): InventoryIssue {
    const pos = at === "key" ? this.key(path) : this.value(path);
    return { file: this.file, line: pos.line, column: pos.column, path: formatPath(path), message, ...(accepted ? { accepted } : {}) };
  }

  /** An issue at a path, placed at another path's node (a missing field: its parent mapping). */
  issueAt(place: readonly PathSeg[], path: readonly PathSeg[], message: string, accepted?: string): InventoryIssue {
    const pos = this.value(place);
    return { file: this.file, line: pos.line, column: pos.column, path: formatPath(path), message, ...(accepted ? { accepted } : {}) };
  }

  /** Field path of the deepest node holding an offset (for YAML errors such as a duplicate key). */
  pathAt(offset: number): string {
    const path: PathSeg[] = [];
    let node: unknown = this.doc.contents;
    for (let depth = 0; depth < 64; depth++) {
      if (isMap(node)) {
        const pair = node.items.find((p) => within(p.key, offset) || within(p.value, offset));
        if (!pair) break;
        path.push(String(isScalar(pair.key) ? pair.key.value : pair.key));
        if (within(pair.key, offset)) break;
        node = pair.value;
      } else if (isSeq(node)) {
        const i = node.items.findIndex((it) => within(it, offset));
        if (i < 0) break;
        path.push(i);
        node = node.items[i];
      } else break;
    }
    return formatPath(path);
  }
}

function within(node: unknown, offset: number): boolean {
  const r = (node as Node | null)?.range;
  return r !== undefined && r !== null && offset >= r[0] && offset < Math.max(r[1], r[0] + 1);
}
