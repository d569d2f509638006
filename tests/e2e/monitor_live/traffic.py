# Sends N OIP requests of ROWS rows (x1, x2 ~ N(0,1), x1 shifted by SHIFT) to MODEL at URL,
# each with X-Request-Id PREFIX-i, and writes the true labels as monitoring label objects.
import json, random, sys, urllib.request
url, model, n, rows, shift, seed, prefix, labels_out = sys.argv[1:9]
n, rows, shift, seed = int(n), int(rows), float(shift), int(seed)
rnd = random.Random(seed)
labels = []
for i in range(n):
    data, ys = [], []
    for _ in range(rows):
        a, b = rnd.gauss(0, 1), rnd.gauss(0, 1)
        ys.append(1 if a + b + rnd.gauss(0, 0.3) > 0 else 0)
        data += [a + shift, b]
    body = json.dumps({"inputs": [{"name": "input", "shape": [rows, 2], "datatype": "FP64",
                                   "data": data}]}).encode()
    rid = f"{prefix}-{i}"
    req = urllib.request.Request(f"{url}/v2/models/{model}/infer", data=body,
                                 headers={"Content-Type": "application/json", "X-Request-Id": rid})
    with urllib.request.urlopen(req) as r:
        assert r.status == 200
    labels += [{"request_id": rid, "row": k, "label": y} for k, y in enumerate(ys)]
with open(labels_out, "w") as f:
    json.dump(labels, f)
