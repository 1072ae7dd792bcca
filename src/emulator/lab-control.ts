/**
 * The control endpoint of a running lab (`lab control`): a small HTTP server that sets and
 * lists the lab's faults (src/emulator/lab-faults.ts). It is kept to this machine's user:
 * it listens on 127.0.0.1 only (never on the lab's node addresses), answers only a peer at
 * 127.0.0.1, only requests addressed to it by its own `Host` (no proxy-form target, no other
 * name pointed at it), and only with the random token of its control file, which only the
 * lab's user may read (0600). The emulated nodes forward nothing anywhere, so the endpoint is
 * not reachable through them either.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { rmSync } from "node:fs";
import { parseFaultSpec, type FaultSpec, type LabFaults } from "./lab-faults.js";
import { writeSecretFile } from "./lab-inventory.js";

/** What a control file holds (JSON). */
export interface ControlInfo {
  url: string;
  token: string;
  pid: number;
}

const MAX_BODY = 64 * 1024;

export interface LabControl {
  info: ControlInfo;
  /** Writes the control file (0600) here too; it is removed on close. */
  writeFile(file: string): void;
  close(): Promise<void>;
}

function isLocalPeer(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::ffff:127.0.0.1";
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body) + "\n";
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => {
      size += d.length;
      if (size > MAX_BODY) {
        reject(new Error("the request body is too large"));
        req.destroy();
      } else parts.push(d);
    });
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts the endpoint on 127.0.0.1 (a free port). */
export async function startLabControl(faults: LabFaults): Promise<LabControl> {
  const token = randomBytes(24).toString("base64url");
  const expected = Buffer.from(`Bearer ${token}`);
  const files: string[] = [];
  let port = 0;
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => send(res, 400, { error: e instanceof Error ? e.message : String(e) }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isLocalPeer(req.socket.remoteAddress)) return send(res, 403, { error: "only 127.0.0.1 may use the lab's control endpoint" });
    if (req.headers.host !== `127.0.0.1:${port}` || req.url !== "/faults") return send(res, 404, { error: "not here: the control endpoint answers /faults at 127.0.0.1" });
    const auth = Buffer.from(req.headers.authorization ?? "");
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) return send(res, 401, { error: "the control file's token is needed" });
    if (req.method === "GET") return send(res, 200, { faults: faults.list() });
    if (req.method !== "POST") return send(res, 405, { error: "GET or POST" });
    const body = JSON.parse(await readBody(req)) as { faults?: unknown };
    if (!Array.isArray(body.faults) || !body.faults.every((f) => typeof f === "string")) throw new Error('send {"faults": ["NODE=FAULT", ...]}');
    // Every spec is checked before any is set: a typo in the third sets none.
    const specs: FaultSpec[] = body.faults.map((f: string) => parseFaultSpec(f));
    for (const s of specs) faults.check(s);
    for (const s of specs) await faults.apply(s);
    send(res, 200, { faults: faults.list() });
  }
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const info: ControlInfo = { url: `http://127.0.0.1:${port}/faults`, token, pid: process.pid };
  return {
    info,
    writeFile(file) {
      writeSecretFile(file, JSON.stringify(info));
      files.push(file);
    },
    async close() {
      for (const f of files) rmSync(f, { force: true });
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
