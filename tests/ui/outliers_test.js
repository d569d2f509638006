// ui/src/outliers.ts: "ignore outliers" spans the 5th-95th percentile (numpy's linear
// interpolation) with 5 % margin. Usage: node outliers_test.js BUNDLE
const assert = require("node:assert/strict");
const { percentile, outlierRange } = require(require("node:path").resolve(process.argv[2]));

const near = (got, want, what) => assert.ok(Math.abs(got - want) < 1e-9, `${what}: ${got} != ${want}`);
// numpy.percentile([1..10], [5, 50, 95]) = 1.45, 5.5, 9.55
const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
near(percentile(ten, 0.05), 1.45, "p5");
near(percentile(ten, 0.5), 5.5, "p50");
near(percentile(ten, 0.95), 9.55, "p95");
near(percentile([4], 0.95), 4, "one value");
// 100 values 1..2 and a spike of 1e6: the range stays near [1, 2] (plus 5 % margin).
const values = Array.from({ length: 100 }, (_, s) => (s === 50 ? 1e6 : 1 + s / 100));
const [lo, hi] = outlierRange(values);
assert.ok(lo > 0.9 && lo < 1.1 && hi > 1.9 && hi < 2.1, `${lo}..${hi}`);
// Unordered input, NaN and infinities ignored; margins 5 % of p95 - p5 each side.
const [a, b] = outlierRange([10, NaN, 1, Infinity, 5, 3, 2, 9, 8, 7, 6, 4, -Infinity]);
near(a, 1.45 - 0.405, "low edge");
near(b, 9.55 + 0.405, "high edge");
// Nothing to span: undefined (uPlot's own range then).
assert.equal(outlierRange([]), undefined);
assert.equal(outlierRange([3, 3, 3]), undefined);
console.log("PASS: the outlier range is the 5th-95th percentile, as numpy computes it");
