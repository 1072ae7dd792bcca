/**
 * Reading handler replies the way the vendor's web interface reads them (docs/protocol.md
 * "Reading replies"): elements are looked up by name anywhere in the reply, whatever the root
 * and whatever wraps them; attribute names in any case. A handler's failure is in the payload,
 * not the HTTP status: an `<error>` element anywhere is a refusal. The replies to WRITES are
 * not believed either way: apart from `<error>`, their shape says nothing (docs/protocol.md
 * "Deciding by reading back"); the caller reads the node's state back.
 */
import type { Endpoint } from "./endpoint.js";
import { accessDeniedPage, badReply, handlerRefused } from "./errors.js";
import type { Reply } from "./transport.js";
import { parseXml, textOf, XmlError, type XmlElement } from "./xml.js";

/** Parses a read reply; an `<error>` anywhere becomes HANDLER_REFUSED, a non-XML body BAD_REPLY. */
export function readReply(node: Endpoint, handler: string, reply: Reply): XmlElement {
  const doc = parseBody(node, handler, reply);
  const err = findFirst(doc, "error");
  if (err) throw handlerRefused(node, handler, errorText(err));
  return doc;
}

/**
 * Checks the reply to a write: only an `<error>` element (anywhere) or an access-denied page
 * is a failure. An empty body, another root, other attributes, or text that is not XML at all
 * say nothing: the caller decides by reading the state back.
 */
export function checkWriteReply(node: Endpoint, handler: string, reply: Reply): void {
  if (reply.body.trim() === "") return;
  if (isHtml(reply)) {
    if (/denied/i.test(reply.body)) throw accessDeniedPage(node, handler);
    return;
  }
  let doc: XmlElement;
  try {
    doc = parseXml(reply.body);
  } catch {
    return;
  }
  const err = findFirst(doc, "error");
  if (err) throw handlerRefused(node, handler, errorText(err));
}

/** The first element with this name (case-insensitive), the root included, depth first. */
export function findFirst(root: XmlElement, name: string): XmlElement | undefined {
  const want = name.toLowerCase();
  const stack: XmlElement[] = [root];
  while (stack.length) {
    const e = stack.pop()!;
    if (e.name.toLowerCase() === want) return e;
    for (let i = e.children.length - 1; i >= 0; i--) {
      const c = e.children[i]!;
      if (typeof c !== "string") stack.push(c);
    }
  }
  return undefined;
}

/** Every element with this name (case-insensitive), in document order. */
export function findAll(root: XmlElement, name: string): XmlElement[] {
  const want = name.toLowerCase();
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    if (e.name.toLowerCase() === want) out.push(e);
    for (const c of e.children) if (typeof c !== "string") walk(c);
  };
  walk(root);
  return out;
}

/** An attribute by name in any case (`Activation_Key_Name`, `activation_key_name`). */
export function attr(e: XmlElement, name: string): string | undefined {
  if (e.attrs[name] !== undefined) return e.attrs[name];
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(e.attrs)) if (k.toLowerCase() === want) return v;
  return undefined;
}

/** Parses a body as XML; an HTML page (the proxy answering instead of the handler) is an access refusal or a bad reply. */
function parseBody(node: Endpoint, handler: string, reply: Reply): XmlElement {
  if (isHtml(reply)) {
    if (/denied/i.test(reply.body)) throw accessDeniedPage(node, handler);
    throw badReply(node, handler, `an HTML page instead of the handler's XML: ${preview(reply.body)}`);
  }
  try {
    return parseXml(reply.body);
  } catch (e) {
    const why = e instanceof XmlError ? e.message : String(e);
    throw badReply(node, handler, `not well-formed XML (${why}): ${preview(reply.body)}`);
  }
}

/** A reply that is an HTML page: by its Content-Type, or by its first tag. */
function isHtml(reply: Reply): boolean {
  const type = String(reply.headers["content-type"] ?? "").toLowerCase();
  if (type.includes("html")) return true;
  return /^\s*(<!doctype\s+html|<html[\s>])/i.test(reply.body);
}

function errorText(e: XmlElement): string {
  return attr(e, "message") ?? (textOf(e).trim() || "no message");
}

function preview(body: string): string {
  const s = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return s.length > 60 ? s.slice(0, 60) + "..." : s || "(empty)";
}
