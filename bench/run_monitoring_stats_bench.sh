#!/usr/bin/env bash
# Drift statistics against scipy/numpy on the same data, in one run:
#   bench/run_monitoring_stats_bench.sh build/bench/monitoring_stats_bench [N]
# The C++ bench writes 10 columns x N (default 1,000,000) float64 values per side
# (reference N(0,1), current N(0.02,1)) to a temp dir and times itself; the Python peer
# (Debian python3-scipy/python3-numpy, single-threaded) then times the same operations on
# those files. Prints, per operation, the minimum CPU and wall seconds of each and the
# ratios peer/Ferry (above 1 means Ferry is faster), and both results so they can be
# compared. CPU time is the steadier figure on a shared machine.
set -euo pipefail

BENCH=$(readlink -f "${1:?usage: $0 path/to/monitoring_stats_bench [N]}")
N=${2:-1000000}
HERE=$(dirname "$(readlink -f "$0")")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-stats-bench-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BENCH" "$WORK" "$N" >"$WORK/ferry.txt"
/usr/bin/python3 "$HERE/peers/monitoring_stats_peer.py" "$WORK" "$N" >"$WORK/peer.txt"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

printf '%-34s %10s %10s %10s %10s %8s %8s  %-14s %-14s\n' operation ferry_cpu peer_cpu \
  ferry_wall peer_wall cpu_x wall_x ferry_value peer_value
join <(sort "$WORK/ferry.txt") <(sort "$WORK/peer.txt") |
  awk '{printf "%-34s %10.4f %10.4f %10.4f %10.4f %8.1f %8.1f  %-14.8g %-14.8g\n",
        $1, $2, $5, $3, $6, $5 / $2, $6 / $3, $4, $7}'
