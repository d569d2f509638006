#!/usr/bin/env bash
# Dynamic batching of a Python model, on by default for the sklearn flavor: 1,000 requests
# sent at once on 1,000 connections, each with its own 1-4 rows of random values, each answer
# exactly its own rows' predictions (as the pickle itself predicts them in Python), and
# /metrics proving the rows were batched: every row ran, in fewer batches than requests.
source "$(dirname "$0")/lib.sh"
MODEL=$(cd "$(dirname "$0")/../data/mlflow-models/sklearn-ridge" && pwd)
cd "$WORK"

"$FERRY" serve "$MODEL" --port 0 --allow-unsigned-pickle --python-workers 2 \
  --max-connections-per-client 0 --no-access-log >serve.out 2>serve.err &
ALL_SERVER_PIDS+=($!)
for _ in $(seq 1 400); do
  SURL=$(sed -n 's/.* on \(http:[^ ]*\).*/\1/p' serve.out | head -1)
  [[ -n $SURL ]] && curl -fsS "$SURL/v2/health/ready" >/dev/null 2>&1 && break
  sleep 0.05
done
[[ -n ${SURL:-} ]] || fail "ferry serve did not start: $(cat serve.err)"

echo "--- 1,000 concurrent requests, each gets its own rows"
/usr/bin/python3 - "$MODEL" "$SURL" <<'PY' >client.log 2>&1 || { cat client.log; fail "the concurrent client"; }
import asyncio, json, pickle, random, sys, urllib.parse
import numpy as np, pandas as pd

model_dir, url = sys.argv[1], urllib.parse.urlparse(sys.argv[2])
with open(model_dir + "/model.pkl", "rb") as f:
    model = pickle.load(f)
columns = list(model.feature_names_in_)
rng = random.Random(7)
requests = []
for i in range(1000):
    rows = [[rng.uniform(-0.1, 0.1) for _ in columns] for _ in range(rng.randint(1, 4))]
    expected = model.predict(pd.DataFrame(rows, columns=columns))
    requests.append((json.dumps({"dataframe_split": {"columns": columns, "data": rows}}),
                     expected))
all_connected = asyncio.Event()
connected = 0

async def one(body):
    global connected
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    connected += 1
    if connected == len(requests):
        all_connected.set()
    await all_connected.wait()  # every connection open before any request is sent
    writer.write((f"POST /invocations HTTP/1.1\r\nHost: {url.netloc}\r\n"
                  f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                  "Connection: close\r\n\r\n" + body).encode())
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), 60)
    writer.close()
    head, _, payload = raw.partition(b"\r\n\r\n")
    return head.split(b" ")[1].decode(), payload

async def main():
    answers = await asyncio.gather(*(one(body) for body, _ in requests))
    bad = 0
    for (status, payload), (_, expected) in zip(answers, requests):
        got = json.loads(payload)["predictions"] if status == "200" else None
        if got is None or len(got) != len(expected) or not np.allclose(got, expected,
                                                                       rtol=1e-9, atol=0):
            bad += 1
            if bad <= 3:
                print("mismatch:", status, payload[:200], list(expected))
    print("rows", sum(len(e) for _, e in requests), "bad", bad)
    sys.exit(1 if bad else 0)

asyncio.run(main())
PY
cat client.log
ROWS=$(awk '/^rows/ {print $2}' client.log)

echo "--- /metrics: every row ran, in fewer batches than requests"
curl -fsS "$SURL/metrics" >metrics.txt
sample() { awk -v n="$1" '$1 ~ "^"n"\\{" {print $2}' metrics.txt; }
BATCHES=$(sample ferry_batch_size_count)
BATCHED_ROWS=$(sample ferry_batch_size_sum)
echo "requests 1000, rows $ROWS, batches $BATCHES, rows in batches $BATCHED_ROWS"
[[ ${BATCHED_ROWS%.*} == "$ROWS" ]] || fail "batches carried $BATCHED_ROWS rows, sent $ROWS"
((BATCHES < 1000)) || fail "no request shared a batch ($BATCHES batches for 1000 requests)"
[[ $(sample ferry_python_workers) == 2 ]] || fail "ferry_python_workers: $(grep python metrics.txt)"
has 'ferry_python_seconds_total{.*phase="python"}' metrics.txt || fail "no Python timers"

echo "PASS"
