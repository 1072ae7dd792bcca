/** verify's default concurrency follows the fleet's size: a quarter of the slaves, 16 to 64. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { verifyConcurrency } from "../../src/commands/verify.js";

test("verify's default concurrency: a quarter of the slaves, at least 16, at most 64", () => {
  for (const [slaves, want] of [[1, 16], [16, 16], [64, 16], [65, 17], [200, 50], [256, 64], [500, 64], [5000, 64]] as const) {
    assert.equal(verifyConcurrency(slaves), want, `${slaves} slaves`);
  }
});
