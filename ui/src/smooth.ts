// TensorBoard's smoothing: an exponential moving average whose first values are divided by
// (1 - weight^n), n the finite values seen so far, so the line starts at the data rather than
// at 0. Non-finite values pass through unsmoothed and do not count. weight in [0, 1).
export function smooth(ys: number[], weight: number): number[] {
  let last = 0;
  let n = 0;
  return ys.map((y) => {
    if (!isFinite(y)) return y;
    last = last * weight + (1 - weight) * y;
    n++;
    const debias = weight === 1 ? 1 : 1 - Math.pow(weight, n);
    return last / debias;
  });
}
