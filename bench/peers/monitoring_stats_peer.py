#!/usr/bin/python3
"""scipy/numpy peers of bench/monitoring_stats_bench.cc, on the same data files.

    /usr/bin/python3 bench/peers/monitoring_stats_peer.py DIR [N]

Reads DIR/ref.f64 and DIR/cur.f64 (10 columns x N float64, written by the C++ bench) and
prints one line per operation, in the C++ bench's format: name, min CPU seconds, min wall
seconds, result value. The operations are the ones monitoring_vectors.py --bench times:
Evidently's PSI/JS binning re-implemented with numpy, scipy.stats.ks_2samp,
scipy.stats.wasserstein_distance / np.std.
"""
import sys
import time

import numpy as np
from scipy import stats
from scipy.spatial import distance

COLUMNS = 10


def timeit(name, repeat, fn):
    best_cpu, best_wall, value = 1e30, 1e30, None
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        value = fn()
        best_wall = min(best_wall, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    print(f"{name} {best_cpu:.6f} {best_wall:.6f} {float(value):.10g}", flush=True)


def fill_zeros(p):
    p = p.copy()
    nz = p[p != 0]
    p[p == 0] = nz.min() / 10**6 if nz.min() <= 0.0001 else 0.0001
    return p


def psi_numpy(ref, cur):
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    rp = fill_zeros(np.histogram(ref, edges)[0] / len(ref))
    cp = fill_zeros(np.histogram(cur, edges)[0] / len(cur))
    return float(np.sum((rp - cp) * np.log(rp / cp)))


def js_numpy(ref, cur):
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    rp = np.histogram(ref, edges)[0] / len(ref)
    cp = np.histogram(cur, edges)[0] / len(cur)
    return float(distance.jensenshannon(rp, cp))


def psi_prebinned(edges, ref_pct, cur):
    # The reference's decile edges and proportions are computed once, outside the timing.
    cp = fill_zeros(np.bincount(np.searchsorted(edges, cur, side="right"), minlength=10) / len(cur))
    return float(np.sum((ref_pct - cp) * np.log(ref_pct / cp)))


def wass_norm(ref, cur):
    return float(stats.wasserstein_distance(ref, cur)) / max(float(np.std(ref)), 0.001)


def main():
    d = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    ref = np.fromfile(f"{d}/ref.f64", dtype=np.float64, count=n * COLUMNS).reshape(COLUMNS, n)
    cur = np.fromfile(f"{d}/cur.f64", dtype=np.float64, count=n * COLUMNS).reshape(COLUMNS, n)
    a, b = ref[0].copy(), cur[0].copy()
    timeit("sort_1M", 5, lambda: np.sort(a)[n // 2])
    timeit("ks_2samp_1Mx1M", 5, lambda: stats.ks_2samp(a, b).pvalue)
    timeit("psi_evidently_sturges_1Mx1M", 5, lambda: psi_numpy(a, b))
    edges = np.quantile(a, np.linspace(0.1, 0.9, 9))
    ref_pct = fill_zeros(np.bincount(np.searchsorted(edges, a, side="right"), minlength=10) / n)
    timeit("psi_prebinned_deciles_1M", 5, lambda: psi_prebinned(edges, ref_pct, b))
    timeit("js_evidently_sturges_1Mx1M", 5, lambda: js_numpy(a, b))
    timeit("wasserstein_norm_1Mx1M", 5, lambda: wass_norm(a, b))
    timeit("ks_2samp_10cols_x_1Mx1M", 3,
           lambda: sum(stats.ks_2samp(ref[i], cur[i]).statistic for i in range(COLUMNS)))
    timeit("psi_evidently_10cols_x_1Mx1M", 3, lambda: sum(psi_numpy(ref[i], cur[i]) for i in range(COLUMNS)))
    timeit("wasserstein_norm_10cols_x_1Mx1M", 3,
           lambda: sum(wass_norm(ref[i], cur[i]) for i in range(COLUMNS)))


if __name__ == "__main__":
    main()
