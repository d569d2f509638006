#!/usr/bin/env python3
"""Slow-client (slowloris) check for `ferry server`: opens many connections that trickle
their request headers one byte per second, and meanwhile times a fresh client's GET /health.

Usage: bench/slow_clients.py FERRY_BINARY [--tricklers N] [--addresses K] [--seconds S]
                              [--server-nofile M] [-- extra ferry server flags]

The tricklers connect from 127.0.0.2 .. 127.0.0.(K+1) (all of 127/8 is loopback on Linux),
N/K each; the probe connects from 127.0.0.1 every 0.25 s. Prints how many tricklers the
server held, refused (503) and cut off (408), and the probe's latencies and failures.
The open-file limit (ulimit -n) bounds N; --server-nofile runs the server under a lower one
(prlimit), to see what happens when the flood is larger than the server's descriptors.
"""
import argparse
import os
import re
import resource
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def start_server(binary, extra, data_dir, nofile):
    wrap = ["prlimit", "--nofile=%d:%d" % (nofile, nofile)] if nofile else []
    cmd = wrap + [binary, "server", "--port", "0", "--quiet",
           "--backend-store-uri", "sqlite:///" + os.path.join(data_dir, "f.db"),
           "--artifacts-destination", "file://" + os.path.join(data_dir, "artifacts")] + extra
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    port = int(re.search(r":(\d+)\s*$", line).group(1))
    return proc, port


def probe(port, results, stop):
    while not stop.is_set():
        start = time.monotonic()
        status = "error"
        try:
            s = socket.socket()
            s.settimeout(10)
            s.bind(("127.0.0.1", 0))
            s.connect(("127.0.0.1", port))
            s.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            data = s.recv(4096)
            status = data[9:12].decode() if data else "closed"
            s.close()
        except OSError as e:
            status = type(e).__name__
        results.append((status, time.monotonic() - start))
        time.sleep(0.25)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--tricklers", type=int, default=5000)
    ap.add_argument("--addresses", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=15)
    ap.add_argument("--server-nofile", type=int, default=0)
    args, extra = ap.parse_known_args()
    extra = [a for a in extra if a != "--"]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    with tempfile.TemporaryDirectory() as data_dir:
        proc, port = start_server(args.binary, extra, data_dir, args.server_nofile)
        sel = selectors.DefaultSelector()
        socks = []
        t0 = time.monotonic()
        for i in range(args.tricklers):
            s = socket.socket()
            s.setblocking(False)
            s.bind(("127.0.0.%d" % (2 + i % args.addresses), 0))
            try:
                s.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass
            socks.append(s)
            sel.register(s, selectors.EVENT_READ, i)
        opened = time.monotonic() - t0
        for s in socks:
            try:
                s.send(b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            except OSError:
                pass

        results, stop = [], threading.Event()
        prober = threading.Thread(target=probe, args=(port, results, stop))
        prober.start()
        answers = {}
        end = time.monotonic() + args.seconds
        next_byte = time.monotonic() + 1
        while time.monotonic() < end:
            for key, _ in sel.select(timeout=0.1):
                try:
                    data = key.fileobj.recv(4096)
                except OSError:
                    data = b""
                answers[key.data] = data[9:12].decode() if data else "closed"
                sel.unregister(key.fileobj)
            if time.monotonic() >= next_byte:
                next_byte += 1
                for i, s in enumerate(socks):
                    if i not in answers:
                        try:
                            s.send(b"a")
                        except OSError:
                            pass
        stop.set()
        prober.join()
        proc.terminate()
        proc.wait()

    counts = {}
    for v in answers.values():
        counts[v] = counts.get(v, 0) + 1
    held = args.tricklers - len(answers)
    ok = [t for s, t in results if s == "200"]
    bad = [s for s, _ in results if s != "200"]
    print("tricklers: %d from %d address(es), opened in %.2f s; after %.0f s: still held %d, "
          "answered %s" % (args.tricklers, args.addresses, opened, args.seconds, held,
                            dict(sorted(counts.items()))))
    if ok:
        ok.sort()
        print("probe GET /health: %d ok, median %.1f ms, max %.1f ms; failures: %d %s" %
              (len(ok), statistics.median(ok) * 1000, ok[-1] * 1000, len(bad),
               sorted(set(bad))))
    else:
        print("probe GET /health: no success; failures: %d %s" % (len(bad), sorted(set(bad))))
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
