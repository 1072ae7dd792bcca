/** Writing a host and a port together, the one way every message, URL and table does it. */

/** A host as it stands before `:port` or in a URL: an IPv6 literal goes in brackets. */
export function bracketHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** `host:port`: "10.0.1.11:8080", "[fd00::1]:8080". */
export function hostPort(host: string, port: number | string): string {
  return `${bracketHost(host)}:${port}`;
}
