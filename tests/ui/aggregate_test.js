// ui/src/aggregate.ts: a group's mean, standard deviation (population), min and max at each x,
// worked by hand. Usage: node aggregate_test.js BUNDLE (aggregate.ts bundled to CommonJS)
const assert = require("node:assert/strict");
const { aggregate } = require(require("node:path").resolve(process.argv[2]));

const near = (got, want, what) => {
  assert.equal(got.length, want.length, what);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-12, `${what} #${i}: ${g} != ${want[i]}`));
};
// Two runs at the same steps: values 1 and 3 -> mean 2, std 1; 2 and 2 -> mean 2, std 0.
let a = aggregate([{ x: [0, 1], y: [1, 2] }, { x: [0, 1], y: [3, 2] }]);
near(a.x, [0, 1], "x");
near(a.mean, [2, 2], "mean");
near(a.std, [1, 0], "std");
near(a.min, [1, 2], "min");
near(a.max, [3, 2], "max");
near(a.n, [2, 2], "n");
// Three runs 1, 2, 6: mean 3, population std sqrt(((-2)^2 + 1 + 9) / 3) = sqrt(14/3).
a = aggregate([{ x: [5], y: [1] }, { x: [5], y: [2] }, { x: [5], y: [6] }]);
near(a.mean, [3], "mean of three");
near(a.std, [Math.sqrt(14 / 3)], "std of three");
// Different x: a run holds its latest value until its next x, and counts only within its
// own range. r1 at 0, 2, 4 (values 0, 2, 4); r2 at 1, 3 (values 10, 30).
a = aggregate([{ x: [0, 2, 4], y: [0, 2, 4] }, { x: [1, 3], y: [10, 30] }]);
near(a.x, [0, 1, 2, 3, 4], "union of x");
near(a.n, [1, 2, 2, 2, 1], "runs counted");
near(a.mean, [0, 5, 6, 16, 4], "step-function mean");
near(a.min, [0, 0, 2, 2, 4], "min");
near(a.max, [0, 10, 10, 30, 4], "max");
// A non-finite value does not count; an empty run changes nothing; no run, no point.
a = aggregate([{ x: [0, 1], y: [NaN, 4] }, { x: [0, 1], y: [2, 2] }, { x: [], y: [] }]);
near(a.mean, [2, 3], "NaN skipped");
near(a.n, [1, 2], "NaN not counted");
assert.deepEqual(aggregate([]).x, []);
console.log("PASS: group aggregates (mean, std, min, max) match the hand-worked values");
