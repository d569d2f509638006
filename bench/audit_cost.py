#!/usr/bin/python3
"""What one audit log entry costs (`ferry server --auth`, docs/AUTH.md "Audit log").

usage: audit_cost.py PORT ADMIN_PASSWORD [REQUESTS]

Against a running `ferry server --auth`, one keep-alive connection sends REQUESTS anonymous
POSTs to a read-only route (runs/search: refused with 401, not audited) and as many to a write
route (experiments/delete: refused with 401, audited). Both are refused by the access check
before any handler runs, so the difference is the audit entry: its INSERT and commit. The
store's own timing of write transactions (from /metrics) gives the INSERT's database time.
Three rounds, to show the noise.
"""

import base64
import http.client
import sys
import time


def run(port, n, path, body):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    latencies = []
    for _ in range(n):
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        latencies.append(time.perf_counter() - start)
    assert response.status == 401, response.status
    latencies.sort()
    return sum(latencies) / n * 1e6, latencies[n // 2] * 1e6


def write_transactions(port, password):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    token = base64.b64encode(f"admin:{password}".encode()).decode()
    conn.request("GET", "/metrics", headers={"Authorization": "Basic " + token})
    totals = {}
    for line in conn.getresponse().read().decode().splitlines():
        if 'kind="write"' in line and line.split("{")[0].endswith(("_sum", "_count")):
            totals[line.split("{")[0].rsplit("_", 1)[1]] = float(line.split()[-1])
    return totals


def main():
    port, password = int(sys.argv[1]), sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    for round_ in range(3):
        plain = run(port, n, "/api/2.0/mlflow/runs/search", b'{"experiment_ids":["0"]}')
        before = write_transactions(port, password)
        audited = run(port, n, "/api/2.0/mlflow/experiments/delete", b'{"experiment_id":"0"}')
        after = write_transactions(port, password)
        count = after["count"] - before.get("count", 0)
        db_us = (after["sum"] - before.get("sum", 0)) / max(count, 1) * 1e6
        print(f"round {round_}: not audited mean {plain[0]:.0f} us median {plain[1]:.0f} us; "
              f"audited mean {audited[0]:.0f} us median {audited[1]:.0f} us; "
              f"{count:.0f} write transactions, {db_us:.0f} us each")


if __name__ == "__main__":
    main()
