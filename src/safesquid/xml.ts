/**
 * A small, strict XML reader and writer for the documents SafeSquid speaks: elements,
 * attributes, text, the five named entities, numeric character references, CDATA and
 * comments. Element order is kept (allow rows are first-match: order is meaning);
 * whitespace-only text between child elements is layout and is dropped.
 *
 * Why not a general parser: the ones on npm accept malformed documents silently or leave
 * `&#x0A;` undecoded, and a reply that is not well-formed must be an error here, never a
 * half-read policy. DTDs are refused outright, so there are no external entities and no
 * entity-expansion bombs (admin-endpoint.md §5; design.md "XML").
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** A document that is not well-formed; line and column are 1-based. */
export class XmlError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = "XmlError";
  }
}

const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const NAME_START = /[A-Za-z_:\u00C0-\uFFFF]/;
const NAME_RE = /[A-Za-z_:\u00C0-\uFFFF][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
const MAX_DEPTH = 200;

/** Parses a whole document and returns its root element; throws XmlError. */
export function parseXml(text: string): XmlElement {
  return new Reader(text).document();
}

class Reader {
  private pos = 0;
  constructor(private readonly src: string) {
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  fail(message: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.src.length; i++) {
      if (this.src.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new XmlError(message, line, at - lineStart + 1);
  }

  document(): XmlElement {
    this.misc();
    if (this.pos >= this.src.length) this.fail("no root element");
    if (this.src[this.pos] !== "<") this.fail("text before the root element");
    const root = this.element(0);
    this.misc();
    if (this.pos < this.src.length) this.fail("content after the root element");
    return root;
  }

  /** Skips whitespace, comments, processing instructions; refuses DTDs. */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.src.startsWith("<?", this.pos)) this.pi();
      else if (this.src.startsWith("<!--", this.pos)) this.comment();
      else if (this.src.startsWith("<!DOCTYPE", this.pos)) this.fail("DTDs are not accepted");
      else return;
    }
  }

  private skipSpace(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.pos++;
      else break;
    }
  }

  private pi(): void {
    const end = this.src.indexOf("?>", this.pos + 2);
    if (end < 0) this.fail("unterminated processing instruction");
    this.pos = end + 2;
  }

  private comment(): void {
    const end = this.src.indexOf("-->", this.pos + 4);
    if (end < 0) this.fail("unterminated comment");
    this.pos = end + 3;
  }

  private name(): string {
    NAME_RE.lastIndex = this.pos;
    const m = NAME_RE.exec(this.src);
    if (!m) this.fail("expected a name");
    this.pos += m[0].length;
    return m[0];
  }

  private element(depth: number): XmlElement {
    if (depth > MAX_DEPTH) this.fail("elements nested too deeply");
    const start = this.pos;
    this.pos++; // "<"
    if (!NAME_START.test(this.src[this.pos] ?? "")) this.fail("expected an element name");
    const name = this.name();
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === ">") {
        this.pos++;
        break;
      }
      if (c === "/" && this.src[this.pos + 1] === ">") {
        this.pos += 2;
        return { name, attrs, children: [] };
      }
      if (c === undefined) this.fail(`unterminated start tag <${name}>`, start);
      if (this.pos === before) this.fail("expected a space before the attribute");
      const an = this.name();
      if (an === "__proto__") this.fail("attribute name not accepted");
      if (Object.prototype.hasOwnProperty.call(attrs, an)) this.fail(`attribute "${an}" is repeated`);
      this.skipSpace();
      if (this.src[this.pos] !== "=") this.fail(`expected = after attribute "${an}"`);
      this.pos++;
      this.skipSpace();
      const q = this.src[this.pos];
      if (q !== '"' && q !== "'") this.fail(`attribute "${an}" needs a quoted value`);
      const end = this.src.indexOf(q, this.pos + 1);
      if (end < 0) this.fail(`unterminated value of attribute "${an}"`);
      const raw = this.src.slice(this.pos + 1, end);
      if (raw.includes("<")) this.fail(`"<" in the value of attribute "${an}"`);
      attrs[an] = this.decode(raw, this.pos + 1);
      this.pos = end + 1;
    }
    const children: XmlNode[] = [];
    let text = "";
    let hasElement = false;
    for (;;) {
      const lt = this.src.indexOf("<", this.pos);
      if (lt < 0) this.fail(`element <${name}> is not closed`, start);
      if (lt > this.pos) text += this.decode(this.src.slice(this.pos, lt), this.pos);
      this.pos = lt;
      if (this.src.startsWith("</", lt)) {
        this.pos += 2;
        const closing = this.name();
        if (closing !== name) this.fail(`expected </${name}> but found </${closing}>`, lt);
        this.skipSpace();
        if (this.src[this.pos] !== ">") this.fail(`malformed closing tag </${closing}>`);
        this.pos++;
        if (text) children.push(text);
        return { name, attrs, children: hasElement ? children.filter(notBlank) : children };
      }
      if (this.src.startsWith("<!--", lt)) {
        this.comment();
      } else if (this.src.startsWith("<![CDATA[", lt)) {
        const end = this.src.indexOf("]]>", lt + 9);
        if (end < 0) this.fail("unterminated CDATA section");
        text += this.src.slice(lt + 9, end);
        this.pos = end + 3;
      } else if (this.src.startsWith("<?", lt)) {
        this.pi();
      } else if (this.src.startsWith("<!", lt)) {
        this.fail("declarations are not accepted inside elements");
      } else {
        if (text) children.push(text);
        text = "";
        hasElement = true;
        children.push(this.element(depth + 1));
      }
    }
  }

  /** Replaces entity and character references; `offset` places errors. */
  private decode(raw: string, offset: number): string {
    if (!raw.includes("&")) return raw;
    return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string, i: number) => {
      if (!whole.endsWith(";")) this.fail("a bare & must be written &amp;", offset + i);
      if (ref[0] === "#") {
        const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        const digits = ref[1] === "x" || ref[1] === "X" ? /^#[xX][0-9A-Fa-f]+$/ : /^#[0-9]+$/;
        if (!digits.test(ref) || !(code > 0 && code <= 0x10ffff)) this.fail(`bad character reference &${ref};`, offset + i);
        return String.fromCodePoint(code);
      }
      const v = NAMED[ref];
      if (v === undefined) this.fail(`unknown entity &${ref};`, offset + i);
      return v;
    });
  }
}

/** Layout whitespace between elements is not content: the reader drops it. */
function notBlank(c: XmlNode): boolean {
  return typeof c !== "string" || c.trim() !== "";
}

/** Escapes text the way the vendor's files do (quotes, apostrophes and newlines as references). */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"'\n\r]/g, (c) => ESC[c]!);
}
const ESC: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\n": "&#x0A;",
  "\r": "&#x0D;",
};

function attrString(attrs: Record<string, string>): string {
  let out = "";
  for (const [k, v] of Object.entries(attrs)) out += ` ${k}="${escapeXml(v)}"`;
  return out;
}

/**
 * Writes an element. With `indent`, elements that hold other elements are laid out one
 * child per line and whitespace-only text between them is dropped (the vendor's layout).
 */
export function toXml(el: XmlElement, opts: { indent?: string; declaration?: boolean } = {}): string {
  const parts: string[] = [];
  if (opts.declaration) parts.push('<?xml version="1.0" ?>' + (opts.indent !== undefined ? "\n" : ""));
  write(el, opts.indent, 0, parts);
  if (opts.indent !== undefined) parts.push("\n");
  return parts.join("");
}

function write(el: XmlElement, indent: string | undefined, depth: number, out: string[]): void {
  const open = `<${el.name}${attrString(el.attrs)}`;
  const hasElements = el.children.some((c) => typeof c !== "string");
  if (el.children.length === 0) {
    out.push(open + "/>");
    return;
  }
  if (indent === undefined || !hasElements) {
    out.push(open + ">");
    for (const c of el.children) {
      if (typeof c === "string") out.push(escapeXml(c));
      else write(c, indent, depth + 1, out);
    }
    out.push(`</${el.name}>`);
    return;
  }
  const pad = indent.repeat(depth + 1);
  out.push(open + ">");
  for (const c of el.children) {
    if (typeof c === "string") {
      if (c.trim() === "") continue;
      out.push("\n" + pad + escapeXml(c.trim()));
    } else {
      out.push("\n" + pad);
      write(c, indent, depth + 1, out);
    }
  }
  out.push("\n" + indent.repeat(depth) + `</${el.name}>`);
}

/** The child elements of an element, in order. */
export function elements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== "string") out.push(c);
  return out;
}

/** The first child element with this name, if any. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== "string" && c.name === name) return c;
  return undefined;
}

/** The concatenated text directly inside an element. */
export function textOf(el: XmlElement): string {
  let s = "";
  for (const c of el.children) if (typeof c === "string") s += c;
  return s;
}

/** Builds an element; `text` becomes its only child. */
export function el(name: string, attrs: Record<string, string> = {}, children: XmlNode[] = []): XmlElement {
  return { name, attrs, children };
}
