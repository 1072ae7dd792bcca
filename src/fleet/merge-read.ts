/**
 * Reading the files `report merge` is given: each must be a `-o json` document of this tool
 * (a run report or an error envelope) valid against the report schema (report-schema.ts, the
 * source of the published examples/report.schema.json). Anything else is a usage error (exit 2)
 * naming the file and what is wrong with it.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { FleetError } from "../errors.js";
import type { MergePart } from "./merge.js";
import type { Report, RunReport } from "./report.js";

type Check = ((doc: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

let checks: Promise<{ report: Check; envelope: Check }> | undefined;

/** The schema's RunReport and ErrorEnvelope checks, compiled once (ajv loads only for merge). */
function validators(): Promise<{ report: Check; envelope: Check }> {
  checks ??= (async () => {
    // ajv and ajv-formats are CommonJS: the default import is the module object, the same in
    // Node.js's own loader and in the bundle (where a lazily imported CommonJS module has no
    // named exports), and each keeps what it exports under `default` too.
    const Ajv = (await import("ajv")).default.default;
    const addFormats = (await import("ajv-formats")).default;
    const { reportSchema } = await import("./report-schema.js");
    const ajv = new Ajv({ allErrors: false, strict: true });
    addFormats.default(ajv);
    ajv.addSchema(reportSchema, "report");
    return { report: ajv.getSchema("report#/definitions/RunReport") as Check, envelope: ajv.getSchema("report#/definitions/ErrorEnvelope") as Check };
  })();
  return checks;
}

function invalid(file: string, why: string): FleetError {
  return new FleetError("USAGE", `${file}: ${why}`, { hint: "report merge reads the -o json output of join-slave, verify or apply runs with --shard I/N" });
}

/** Reads one file into a merge part, or throws a usage error naming it. */
export async function readPart(file: string, cwd: string): Promise<MergePart> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw invalid(file, code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a report" : `cannot be read (${code ?? String(e)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw invalid(file, text.trim() === "" ? "is empty (did that job print its report?)" : `is not JSON (${(e as Error).message})`);
  }
  const v = await validators();
  const isEnvelope = typeof doc === "object" && doc !== null && "error" in doc;
  const check = isEnvelope ? v.envelope : v.report;
  if (!check(doc)) {
    const e = check.errors?.[0];
    throw invalid(file, `is not a safesquid-fleet ${isEnvelope ? "error envelope" : "report"} (${e ? `${e.instancePath || "/"} ${e.message ?? ""}`.trim() : "schema mismatch"})`);
  }
  return isEnvelope ? { file, envelope: doc as Report["ErrorEnvelope"] } : { file, report: doc as RunReport };
}

/** Reads every file (the same path given twice counts once). */
export async function readParts(files: readonly string[], cwd: string): Promise<MergePart[]> {
  const seen = new Set<string>();
  const unique = files.filter((f) => {
    const abs = resolve(cwd, f);
    if (seen.has(abs)) return false;
    seen.add(abs);
    return true;
  });
  return Promise.all(unique.map((f) => readPart(f, cwd)));
}
