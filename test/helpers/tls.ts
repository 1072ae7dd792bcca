/**
 * A throwaway certificate for safesquid.cfg, made with the openssl binary; the test is
 * skipped with a message where openssl is not installed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";

export interface TestCert {
  key: string;
  cert: string;
  /** The certificate's file (self-signed: it is its own CA). */
  certFile: string;
}

/** A self-signed certificate for safesquid.cfg (removed after the test), or undefined and the test skipped. */
export function makeCert(t: TestContext): TestCert | undefined {
  const dir = mkdtempSync(join(tmpdir(), "lab-tls-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=safesquid.cfg", "-addext", "subjectAltName=DNS:safesquid.cfg", "-keyout", join(dir, "k.pem"), "-out", join(dir, "c.pem")],
      { stdio: "ignore" },
    );
  } catch {
    t.skip("the openssl binary is not available to make a test certificate");
    return undefined;
  }
  return { key: readFileSync(join(dir, "k.pem"), "utf8"), cert: readFileSync(join(dir, "c.pem"), "utf8"), certFile: join(dir, "c.pem") };
}
