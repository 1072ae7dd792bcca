/**
 * A secret value that cannot leak by accident: it prints, stringifies and inspects as
 * "[redacted]"; only reveal() gives the value, and only the transport calls it.
 */
import { inspect } from "node:util";

export class Secret {
  readonly #value: string;
  /** Where it came from, safe to show: "env SAFESQUID_PASSWORD", "file /etc/fleet/pw". */
  readonly source: string;
  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[redacted]";
  }
  toJSON(): string {
    return "[redacted]";
  }
  [inspect.custom](): string {
    return `Secret(${this.source})`;
  }
}

/** Replaces every occurrence of the given secrets in a text (for logs, errors, records). */
export function redact(text: string, secrets: Iterable<Secret | string>): string {
  let out = text;
  for (const s of secrets) {
    const v = typeof s === "string" ? s : s.reveal();
    if (v.length >= 1) out = out.split(v).join("[redacted]");
  }
  return out;
}
