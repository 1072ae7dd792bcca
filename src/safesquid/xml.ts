/**
 * A small, strict XML reader and writer for the documents SafeSquid speaks: elements,
 * attributes, text, the five named entities, numeric character references, CDATA and
 * comments. Element order is kept (allow rows are first-match: order is meaning);
 * whitespace-only text between child elements is layout and is dropped.
 *
 * Why not a general parser: the ones on npm accept malformed documents silently or leave
 * `&#x0A;` undecoded, and a reply that is not well-formed must be an error here, never a
 * half-read policy. DTDs are refused outright, so there are no external entities and no
 * entity-expansion bombs (docs/protocol.md "The policy document"; docs/architecture.md "Stack"). Everything else a conforming
 * XML 1.0 parser refuses is refused too: characters outside the Char production (raw or as
 * references), `--` in a comment, `]]>` in text, an XML declaration anywhere but first, names
 * outside NameStartChar/NameChar.
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
// Names exactly as XML 1.0 (fifth edition) defines NameStartChar and NameChar; characters above
// U+FFFF (allowed up to U+EFFFF) arrive as surrogate pairs.
const START_CLASS = String.raw`:A-Z_a-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD`;
const NAME_CLASS = START_CLASS + String.raw`\-.0-9\u00B7\u0300-\u036F\u203F\u2040`;
const ASTRAL = String.raw`[\uD800-\uDB7F][\uDC00-\uDFFF]`;
const NAME_RE = new RegExp(`(?:[${START_CLASS}]|${ASTRAL})(?:[${NAME_CLASS}]|${ASTRAL})*`, "y");
/** ASCII characters in names: START may begin a name, PART only continue one, 0 neither. */
const START = 1;
const PART = 2;
const ASCII_NAME = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_NAME[c] = /[:A-Z_a-z]/.test(ch) ? START : /[-.0-9]/.test(ch) ? PART : 0;
}
/** A character outside XML's Char production: C0 controls but tab, LF, CR; U+FFFE, U+FFFF; a surrogate. */
const NOT_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;
/** The XML declaration: version, then optional encoding and standalone, in that order. */
const XML_DECL = /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*("1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*("[A-Za-z][-A-Za-z0-9._]*"|'[A-Za-z][-A-Za-z0-9._]*'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*("(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>/y;
const REFERENCE = /&([^;&\s]*);?/g;
const HEX_REF = /^#[xX][0-9A-Fa-f]+$/;
const DECIMAL_REF = /^#[0-9]+$/;
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
    this.checkChars();
    if (this.src.startsWith("<?xml", this.pos) && isDeclarationEnd(this.src.charCodeAt(this.pos + 5))) this.declaration();
    this.misc();
    if (this.pos >= this.src.length) this.fail("no root element");
    if (this.src[this.pos] !== "<") this.fail("text before the root element");
    const root = this.element(0);
    this.misc();
    if (this.pos < this.src.length) this.fail("content after the root element");
    return root;
  }

  /** Refuses any character outside XML's Char production, wherever it stands (one scan). */
  private checkChars(): void {
    const s = this.src;
    NOT_CHAR.lastIndex = 0;
    for (let m = NOT_CHAR.exec(s); m; m = NOT_CHAR.exec(s)) {
      const i = m.index;
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1))) {
        NOT_CHAR.lastIndex = i + 2; // a well-formed pair: a character above U+FFFF
        continue;
      }
      this.fail(`character ${hex(c)} is not allowed in XML`, i);
    }
  }

  /** The XML declaration, which may only stand at the very start (after a byte order mark). */
  private declaration(): void {
    XML_DECL.lastIndex = this.pos;
    if (!XML_DECL.test(this.src)) this.fail('malformed XML declaration (expected <?xml version="1.x" ... ?>: version, then optional encoding and standalone)');
    this.pos = XML_DECL.lastIndex;
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

  /** A processing instruction: `<?target data?>`; the target is a name and never `xml`. */
  private pi(): void {
    const start = this.pos;
    this.pos += 2;
    const target = this.name("a processing instruction target");
    if (target === "xml") this.fail("an XML declaration is only allowed at the very start of the document", start);
    if (target.toLowerCase() === "xml") this.fail(`the processing instruction target "${target}" is reserved`, start + 2);
    const end = this.src.indexOf("?>", this.pos);
    if (end < 0) this.fail("unterminated processing instruction", start);
    if (end > this.pos && !isSpace(this.src.charCodeAt(this.pos))) this.fail(`expected a space after the processing instruction target "${target}"`);
    this.pos = end + 2;
  }

  /** A comment: `<!--` text without `--` `-->`. */
  private comment(): void {
    const start = this.pos;
    const end = this.src.indexOf("-->", start + 4);
    if (end < 0) this.fail("unterminated comment", start);
    const dashes = this.src.indexOf("--", start + 4);
    if (dashes !== end) this.fail('"--" inside a comment', dashes);
    this.pos = end + 3;
  }

  /** A name; ASCII names (all the vendor's) are read by a table, others by NAME_RE. */
  private name(what = "a name"): string {
    const s = this.src;
    const start = this.pos;
    let i = start;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return this.unicodeName(what);
      if (ASCII_NAME[c]! === 0 || (i === start && ASCII_NAME[c]! !== START)) break;
    }
    if (i === start) this.fail(`expected ${what}`);
    this.pos = i;
    return s.slice(start, i);
  }

  private unicodeName(what: string): string {
    NAME_RE.lastIndex = this.pos;
    const m = NAME_RE.exec(this.src);
    if (!m) this.fail(`expected ${what}`);
    this.pos += m[0].length;
    return m[0];
  }

  private element(depth: number): XmlElement {
    if (depth > MAX_DEPTH) this.fail("elements nested too deeply");
    const start = this.pos;
    this.pos++; // "<"
    const name = this.name("an element name");
    const after = this.src.charCodeAt(this.pos);
    if (!isSpace(after) && after !== 62 && after !== 47 && this.pos < this.src.length) {
      this.fail(`character ${JSON.stringify(this.src[this.pos])} (${hex(after)}) cannot stand in the element name <${name}...>`);
    }
    const attrs: Record<string, string> = {};
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === ">") {
        this.pos++;
        break;
      }
      if (c === "/") {
        if (this.src[this.pos + 1] !== ">") this.fail(`expected /> to end the tag <${name}>`);
        this.pos += 2;
        return { name, attrs, children: [] };
      }
      if (c === undefined) this.fail(`unterminated start tag <${name}>`, start);
      if (this.pos === before) this.fail(`expected a space before the attribute in <${name}>`);
      const an = this.name("an attribute name");
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
      const lt = raw.indexOf("<");
      if (lt >= 0) this.fail(`"<" in the value of attribute "${an}"`, this.pos + 1 + lt);
      attrs[an] = this.decode(raw, this.pos + 1);
      this.pos = end + 1;
    }
    const children: XmlNode[] = [];
    let text = "";
    let hasElement = false;
    for (;;) {
      const src = this.src;
      const lt = src.indexOf("<", this.pos);
      if (lt < 0) this.fail(`element <${name}> is not closed`, start);
      if (lt > this.pos) text += this.text(this.pos, lt);
      this.pos = lt;
      const next = src.charCodeAt(lt + 1);
      if (next === 47 /* </ */) {
        this.closingTag(name, lt);
        if (text && (!hasElement || !isBlank(text))) children.push(text);
        return { name, attrs, children };
      }
      if (next === 33 /* <! */) {
        if (src.startsWith("<!--", lt)) {
          this.comment();
        } else if (src.startsWith("<![CDATA[", lt)) {
          const end = src.indexOf("]]>", lt + 9);
          if (end < 0) this.fail("unterminated CDATA section", lt);
          text += src.slice(lt + 9, end);
          this.pos = end + 3;
        } else {
          this.fail("declarations are not accepted inside elements");
        }
      } else if (next === 63 /* <? */) {
        this.pi();
      } else {
        if (text && !isBlank(text)) children.push(text); // layout between elements is not content
        text = "";
        hasElement = true;
        children.push(this.element(depth + 1));
      }
    }
  }

  /** `</name>` at `lt`, which must close the element `name`. */
  private closingTag(name: string, lt: number): void {
    const src = this.src;
    this.pos = lt + 2;
    const end = this.pos + name.length;
    // The usual case without reading the name into a new string: the same name, then > or a space.
    if (src.startsWith(name, this.pos) && (src.charCodeAt(end) === 62 || isSpace(src.charCodeAt(end)))) this.pos = end;
    else {
      const closing = this.name("an element name in the closing tag");
      if (closing !== name) this.fail(`expected </${name}> but found </${closing}>`, lt);
    }
    this.skipSpace();
    if (src.charCodeAt(this.pos) !== 62) this.fail(`malformed closing tag </${name}>`);
    this.pos++;
  }

  /** Character data from `from` to `to`: `]]>` may not stand in it; references are replaced. */
  private text(from: number, to: number): string {
    const raw = this.src.slice(from, to);
    const cdataEnd = raw.indexOf("]]>");
    if (cdataEnd >= 0) this.fail('"]]>" in text (only a CDATA section may end with it)', from + cdataEnd);
    return this.decode(raw, from);
  }

  /** Replaces entity and character references; `offset` places errors. */
  private decode(raw: string, offset: number): string {
    if (!raw.includes("&")) return raw;
    return raw.replace(REFERENCE, (whole, ref: string, i: number) => {
      if (!whole.endsWith(";")) this.fail("a bare & must be written &amp;", offset + i);
      if (ref[0] === "#") {
        const isHex = ref[1] === "x" || ref[1] === "X";
        if (!(isHex ? HEX_REF : DECIMAL_REF).test(ref)) this.fail(`malformed character reference &${ref};`, offset + i);
        const code = isHex ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!isXmlChar(code)) this.fail(`character reference &${ref}; is to ${code > 0x10ffff ? "no Unicode character" : hex(code)}, which XML does not allow`, offset + i);
        return String.fromCodePoint(code);
      }
      const v = NAMED[ref];
      if (v === undefined) this.fail(`unknown entity &${ref};`, offset + i);
      return v;
    });
  }
}

/** XML's Char production: tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF. */
function isXmlChar(c: number): boolean {
  return c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** After `<?xml`: a space or `?` makes it the declaration; a name character makes a longer PI target. */
function isDeclarationEnd(c: number): boolean {
  return isSpace(c) || c === 63;
}

function hex(c: number): string {
  return "U+" + c.toString(16).toUpperCase().padStart(4, "0");
}

/** Whitespace only (as String.trim sees it): between elements, that is layout, and the reader drops it. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return text.trim() === "";
    if (!isSpace(c)) return false;
  }
  return true;
}

/**
 * Escapes text the way the vendor's files do (quotes, apostrophes and newlines as references);
 * `breaks: "keep"` leaves line breaks as they are (element text meant to be read, as in JUnit).
 */
export function escapeXml(s: string, o: { breaks?: "keep" } = {}): string {
  return s.replace(o.breaks === "keep" ? /[&<>"']/g : /[&<>"'\n\r]/g, (c) => ESC[c]!);
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
