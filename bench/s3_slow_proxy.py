#!/usr/bin/env python3
"""A TCP proxy that holds every S3 request for DELAY_MS before passing it on: a slow bucket
for bench/run_s3_proxy_bench.sh. Usage: s3_slow_proxy.py LISTEN_PORT UPSTREAM_PORT DELAY_MS.
Prints "ready" once listening."""
import socket
import sys
import threading
import time

LISTEN, UPSTREAM, DELAY = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]) / 1000.0


def pipe(src, dst, delay_first):
    try:
        first = True
        while True:
            data = src.recv(1 << 16)
            if not data:
                break
            # A new request on a kept-alive connection starts with a method name.
            if delay_first and (first or data[:4] in (b"GET ", b"PUT ", b"POST", b"HEAD", b"DELE")):
                time.sleep(DELAY)
            first = False
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client):
    upstream = socket.create_connection(("127.0.0.1", UPSTREAM))
    threading.Thread(target=pipe, args=(client, upstream, True), daemon=True).start()
    threading.Thread(target=pipe, args=(upstream, client, False), daemon=True).start()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", LISTEN))
listener.listen(64)
print("ready", flush=True)
while True:
    conn, _ = listener.accept()
    serve(conn)
