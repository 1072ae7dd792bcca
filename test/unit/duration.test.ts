import { test } from "node:test";
import assert from "node:assert/strict";
import { formatDuration, parseDuration } from "../../src/util/duration.js";

// [milliseconds, as read (rounded), exact]
const CASES: [number, string, string][] = [
  [0, "0ms", "0ms"],
  [0.4, "0ms", "0ms"],
  [850, "850ms", "850ms"],
  [999, "999ms", "999ms"],
  [999.5, "1.0s", "1s"], // rounds up to a second: never "1000ms"
  [1000, "1.0s", "1s"],
  [1050, "1.1s", "1s050ms"],
  [4200, "4.2s", "4s200ms"],
  [9949, "9.9s", "9s949ms"],
  [9950, "10s", "9s950ms"], // never "10.0s"
  [12_300, "12s", "12s300ms"],
  [59_499, "59s", "59s499ms"],
  [59_500, "1m", "59s500ms"], // never "60s"
  [60_000, "1m", "1m"],
  [62_500, "1m03s", "1m02s500ms"],
  [90_000, "1m30s", "1m30s"],
  [119_499, "1m59s", "1m59s499ms"],
  [119_500, "2m", "1m59s500ms"], // never "1m60s"
  [3_599_499, "59m59s", "59m59s499ms"],
  [3_599_999, "1h", "59m59s999ms"], // never "59m60s"
  [3_600_000, "1h", "1h"],
  [3_605_000, "1h00m05s", "1h00m05s"],
  [3_661_000, "1h01m01s", "1h01m01s"],
  [90_061_000, "25h01m01s", "25h01m01s"], // hours are the largest unit (no days)
];

for (const [ms, read, exact] of CASES) {
  test(`formatDuration(${ms}) is ${read}; exact, ${exact}`, () => {
    assert.equal(formatDuration(ms), read);
    assert.equal(formatDuration(ms, { exact: true }), exact);
  });
}

test("every form formatDuration writes reads back as a duration; exact ones to the same value", () => {
  for (const [ms, read, exact] of CASES) {
    assert.notEqual(parseDuration(read), undefined, read);
    assert.equal(parseDuration(exact), Math.round(ms), exact);
  }
});

test("negative and non-finite values print as 0ms", () => {
  for (const v of [-5, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatDuration(v), "0ms");
});
