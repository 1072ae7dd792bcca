/**
 * A secret value that cannot leak by accident: it prints, stringifies and inspects as
 * "[redacted]"; only reveal() gives the value, and only the transport calls it.
 */
import { inspect } from "node:util";

export class Secret {
  readonly #value: string;
  /** Where it came from, safe to show: "env SAFESQUID_PASSWORD", "file /etc/fleet/pw". */
  readonly source: string;
  /** Typed at a question, rather than read from where the inventory says. */
  readonly typed: boolean;
  constructor(value: string, source: string, o: { typed?: boolean } = {}) {
    this.#value = value;
    this.source = source;
    this.typed = o.typed === true;
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
