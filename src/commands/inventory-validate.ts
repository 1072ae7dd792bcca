/**
 * `inventory validate`: loads the inventory and shows the normalised fleet, or every error
 * (exit 2). Missing secrets are warnings unless --check-secrets (CI often validates the file
 * where the passwords are not present); --resolve looks host names up (a failure: exit 1).
 */
import type { CommandContext } from "./common.js";
import type { ValidateFlags } from "./inventory.js";
import { explain, validateDocument, type NodeView } from "../inventory/explain.js";
import { findInventory, inventoryError } from "../inventory/find.js";
import { formatIssue, loadInventory } from "../inventory/load.js";
import { checkSecrets } from "../inventory/secrets.js";
import type { InventoryIssue } from "../inventory/types.js";
import { renderFleet } from "../report/inventory-text.js";
import { loadWrapping } from "../report/printer.js";
import { safe } from "../util/safe-text.js";

/** Runs the command; returns its exit code (2 on errors in text mode comes as a thrown FleetError). */
export async function runValidate(ctx: CommandContext, opts: ValidateFlags): Promise<number> {
  const loc = findInventory(opts.inventory, ctx.env, ctx.cwd);
  const result = await loadInventory(loc.file, { cwd: ctx.cwd });
  const errors = [...result.errors];
  const warnings = [...result.warnings];
  let nodes: NodeView[] = [];
  const inv = result.inventory;
  if (inv) {
    const secrets = checkSecrets(inv, ctx.env, loc.file);
    (opts.checkSecrets ? errors : warnings).push(...secrets.problems);
    warnings.push(...secrets.warnings);
    if (errors.length === 0) nodes = await explain(inv, { resolve: opts.resolve === true });
  }
  const unresolved = nodes.filter((n) => n.status !== "valid");
  if (ctx.printer.opts.format === "json") {
    const doc = validateDocument({ file: loc.file, inventory: errors.length === 0 ? inv : undefined, nodes, errors: withText(errors), warnings: withText(warnings) });
    ctx.printer.data(JSON.stringify(doc, null, 2));
    return errors.length > 0 ? 2 : unresolved.length > 0 ? 1 : 0;
  }
  await loadWrapping();
  for (const w of warnings) ctx.printer.warn(safe(formatIssue(w)));
  if (errors.length > 0 || !inv) throw inventoryError(loc, { ...result, errors, warnings });
  ctx.printer.data(renderFleet(inv, loc.file, nodes, process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : undefined));
  for (const n of unresolved) ctx.printer.error(safe(`${n.name}: ${n.error ?? "no address"}`));
  return unresolved.length > 0 ? 1 : 0;
}

function withText(list: InventoryIssue[]): (InventoryIssue & { text: string })[] {
  return list.map((i) => ({ ...i, text: formatIssue(i) }));
}
