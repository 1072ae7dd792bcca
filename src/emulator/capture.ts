/**
 * Request capture (docs/emulator.md "Request capture"): each admin request exactly as it
 * arrived at the node's socket, for conformance tests that compare what a client sends with
 * what the vendor's web interface sends. Nothing is decoded but the parameter list, which is
 * decoded the way the node reads it (query string first, then the body, in order).
 */
import type { IncomingMessage } from "node:http";

export interface CapturedRequest {
  method: string;
  /** The request target as sent: `http://safesquid.cfg/?handler=log` or `/`. */
  target: string;
  /** Header names and values in the order and case sent. */
  rawHeaders: [string, string][];
  /** Headers by lower-case name (repeated ones joined by Node's rules). */
  headers: IncomingMessage["headers"];
  /** The query string without `?`, undecoded ("" when none). */
  query: string;
  /** The body, undecoded. */
  body: string;
  /** Query parameters, then body parameters, decoded, in the order sent. */
  params: [string, string][];
  /** The address the request came from (the TCP peer, before X-Forwarded-For). */
  remote: string;
  /** When the node had read it whole (this machine's clock, ms). */
  at: number;
}

/** Decodes `a=1&b=2` into pairs, in order (as the node's parameter reader does). */
export function decodePairs(text: string): [string, string][] {
  return [...new URLSearchParams(text)];
}

/** The record of one request. */
export function captured(req: IncomingMessage, remote: string, query: string, body: string): CapturedRequest {
  const rawHeaders: [string, string][] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  return {
    method: req.method ?? "",
    target: req.url ?? "",
    rawHeaders,
    headers: { ...req.headers },
    query,
    body,
    params: [...decodePairs(query), ...decodePairs(body)],
    remote,
    at: Date.now(),
  };
}
