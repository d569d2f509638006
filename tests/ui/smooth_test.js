// ui/src/smooth.ts against TensorBoard's debiased EMA, worked by hand:
//   last_n = w * last_{n-1} + (1 - w) * y_n,  smoothed_n = last_n / (1 - w^n)
// Usage: node smooth_test.js BUNDLE (smooth.ts bundled to CommonJS by esbuild)
const assert = require("node:assert/strict");
const { smooth } = require(require("node:path").resolve(process.argv[2]));

const near = (got, want) => {
  assert.equal(got.length, want.length);
  got.forEach((g, i) => {
    if (Number.isNaN(want[i])) assert.ok(Number.isNaN(g), `#${i}: ${g}`);
    else assert.ok(Math.abs(g - want[i]) < 1e-12, `#${i}: ${g} != ${want[i]}`);
  });
};
// w = 0.5 over 1, 2, 3: last 0.5, 1.25, 2.125 over 0.5, 0.75, 0.875.
near(smooth([1, 2, 3], 0.5), [1, 5 / 3, 2.125 / 0.875]);
// The first value is the data itself whatever the weight (the debiasing).
near(smooth([7], 0.99), [7]);
// A non-finite value passes through and does not count: n stays 1 across it.
near(smooth([1, NaN, 3], 0.5), [1, NaN, 1.75 / 0.75]);
// w = 0 is the raw series; a constant series stays constant.
near(smooth([3, -1, 4], 0), [3, -1, 4]);
near(smooth([2, 2, 2, 2], 0.9), [2, 2, 2, 2]);
// w = 0.6 (the UI's slider at 0.6) over a step from 0 to 10.
const w = 0.6;
let last = 0;
const want = [0, 0, 10, 10].map((y, i) => ((last = w * last + (1 - w) * y), last / (1 - w ** (i + 1))));
near(smooth([0, 0, 10, 10], w), want);
console.log("PASS: smoothing matches TensorBoard's debiased EMA");
