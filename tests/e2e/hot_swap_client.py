"""Continuous load on a served model while its alias moves (tests/e2e/mlflow_hot_swap.sh).

usage: hot_swap_client.py run URL MODEL STOP_FILE OUT_JSON [CLIENTS]
       hot_swap_client.py check OUT_JSON OLD NEW

CLIENTS threads (8) each POST the same /invocations request over one keep-alive connection
until STOP_FILE exists, and record every answer: when it was sent and received, its HTTP
status (0: the connection failed) and the first prediction. A watcher thread polls
/v2/models/MODEL/ready and /api/ferry/v1/deployments/MODEL meanwhile and records every
answer that was not 200, and every primary arm that was not READY. OUT_JSON gets it all.

check: exits 1, saying why, unless every answer was 200 with OLD or NEW as first prediction,
both were seen, no request sent after the first NEW answer arrived got OLD, and the watcher
saw nothing wrong.
"""
import http.client
import json
import os
import sys
import threading
import time
from urllib.parse import urlparse

BODY = json.dumps({"dataframe_split": {"columns": ["x"], "data": [[1.0], [2.0]]}})
HEADERS = {"Content-Type": "application/json"}


def connect():
    return http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=60)


def call(conn, method, path, body=None):
    """(status, body, conn): status 0 when the request failed; a fresh conn after a failure."""
    try:
        conn.request(method, path, body=body, headers=HEADERS if body else {})
        r = conn.getresponse()
        return r.status, r.read(), conn
    except (OSError, http.client.HTTPException) as e:
        conn.close()
        return 0, str(e).encode(), connect()


def load(answers):
    conn = connect()
    while not os.path.exists(STOP):
        sent = time.monotonic()
        status, body, conn = call(conn, "POST", "/invocations", BODY)
        got = time.monotonic()
        first = None
        try:
            first = json.loads(body)["predictions"][0] if status == 200 else None
        except (ValueError, KeyError, IndexError, TypeError):
            pass
        answers.append({"sent": sent, "got": got, "status": status, "first": first,
                        "body": body[:300].decode(errors="replace") if first is None else ""})


def watch(problems, polls):
    conn = connect()
    while not os.path.exists(STOP):
        status, body, conn = call(conn, "GET", f"/v2/models/{MODEL}/ready")
        if status != 200:
            problems.append(f"ready: HTTP {status} {body[:200]!r}")
        status, body, conn = call(conn, "GET", f"/api/ferry/v1/deployments/{MODEL}")
        primary = json.loads(body).get("primary") if status == 200 else None
        if status != 200 or primary is None or primary.get("state") != "READY":
            problems.append(f"deployment: HTTP {status} {body[:300]!r}")
        polls[0] += 1
        time.sleep(0.05)


def run(url, model, stop, out, clients):
    global HOST, MODEL, STOP
    HOST, MODEL, STOP = urlparse(url), model, stop
    per_client = [[] for _ in range(clients)]
    problems, polls = [], [0]
    threads = [threading.Thread(target=load, args=(a,)) for a in per_client]
    threads.append(threading.Thread(target=watch, args=(problems, polls)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    answers = sorted((a for c in per_client for a in c), key=lambda a: a["sent"])
    with open(out, "w") as f:
        json.dump({"answers": answers, "problems": problems, "polls": polls[0]}, f)


def check(out, old, new):
    with open(out) as f:
        run = json.load(f)
    answers, why = run["answers"], []
    def answered(a, value):
        return a["status"] == 200 and isinstance(a["first"], float) and abs(a["first"] - value) < 1e-6

    is_old = [a for a in answers if answered(a, old)]
    is_new = [a for a in answers if answered(a, new)]
    failed = [a for a in answers if a["status"] != 200]
    other = [a for a in answers if a["status"] == 200 and a not in is_old and a not in is_new]
    print(f"{len(answers)} answers: {len(is_old)} old, {len(is_new)} new, {len(failed)} failed, "
          f"{len(other)} other; {run['polls']} readiness polls")
    if answers:
        slowest = max(answers, key=lambda a: a["got"] - a["sent"])
        print(f"slowest answer: {1000 * (slowest['got'] - slowest['sent']):.0f} ms, sent "
              f"{slowest['sent'] - answers[0]['sent']:.2f} s into the run")
    if failed:
        why.append(f"{len(failed)} answers were not 200, e.g. {failed[:3]}")
    if other:
        why.append(f"{len(other)} answers were neither version's, e.g. {other[:3]}")
    if not is_old or not is_new:
        why.append("the load did not see both versions")
    else:
        switched = min(a["got"] for a in is_new)
        back = [a for a in is_old if a["sent"] > switched]
        if back:
            why.append(f"{len(back)} requests sent after the first new answer got the old one")
    if run["problems"] or run["polls"] == 0:
        why.append(f"readiness: {run['polls']} polls, {run['problems'][:5]}")
    for w in why:
        print("FAIL:", w)
    sys.exit(1 if why else 0)


if sys.argv[1] == "run":
    run(*sys.argv[2:6], int(sys.argv[6]) if len(sys.argv) > 6 else 8)
else:
    check(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
