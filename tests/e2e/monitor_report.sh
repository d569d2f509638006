#!/usr/bin/env bash
# `ferry monitor report`: the HTML page rendered by headless Chromium (Debian `chromium`). The
# rendered DOM must hold the headline, the counters, one row per tested column (drifted first)
# with its verdict and an SVG histogram, the bias section, and hostile column names as text;
# Chromium's network log must show no request made by the page (a control page that loads an
# image proves the check sees page requests). The same against a profile reference (.fyp).
source "$(dirname "$0")/lib.sh"
cd "$WORK"
command -v chromium >/dev/null || fail "chromium is not installed (scripts/install-deps.sh)"

# Column names that would run script or load a URL if they were not escaped.
python3 - <<'PY'
import math
hostile = '<img src="http://127.0.0.1:9/h.png" onerror="document.title=1">'
names = ["age", "city", hostile, "steady", "group", "pred"]
def write(path, n, shift, seed):
    s = seed
    def u():
        nonlocal s
        s = (1664525 * s + 1013904223) % 2**32
        return (s + 0.5) / 2**32
    with open(path, "w") as f:
        f.write(",".join('"' + c.replace('"', '""') + '"' for c in names) + "\n")
        for i in range(n):
            age = 40 + 10 * math.sqrt(-2 * math.log(u())) * math.cos(2 * math.pi * u()) + 15 * shift
            city = ["paris", "lyon", "nice"][int(u() * (3 + 2 * shift)) % 3]
            h = u() + shift
            steady = u()
            group = "g1" if u() < 0.5 else "g2"
            pred = 1 if u() < (0.7 if group == "g1" else 0.3) else 0
            f.write(f"{age:.4f},{city},{h:.6f},{steady:.6f},{group},{pred}\n")
write("ref.csv", 600, 0, 1)
write("cur.csv", 500, 1, 2)
PY

"$FERRY" monitor report --reference ref.csv --current cur.csv -o report.html \
  --segment group --prediction pred --bias-threshold 0.1 >out.txt 2>err.txt ||
  fail "report: $(cat out.txt err.txt)"
[[ $(cat out.txt) == "report.html (dataset drift detected)" ]] || fail "stdout: $(cat out.txt)"
# Static check: every '<' opens a real tag (data is escaped); no tag loads anything.
python3 - report.html <<'PY' || fail "the report's markup loads a resource"
import re, sys
html = open(sys.argv[1]).read()
for m in re.finditer(r"<(/?[a-zA-Z!][^>]*)>", html):
    tag = re.sub(r'"[^"]*"', '""', m.group(1))  # attribute values are escaped data
    if re.match(r"(script|link|iframe|object|embed|img|image|use|base)\b", tag, re.I) or \
       re.search(r"\s(src|href|xlink:href|srcset|action)=", tag, re.I):
        print("loads:", tag[:120], file=sys.stderr); sys.exit(1)
if re.search(r"url\(|@import", html):
    print("css url", file=sys.stderr); sys.exit(1)
PY

# render FILE OUT NETLOG: headless Chromium's DOM after load, and its network log.
render() {
  rm -rf "$WORK/profile"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/profile" \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --disable-default-apps --disable-extensions --log-net-log="$3" \
    --dump-dom "file://$WORK/$1" >"$2" 2>chromium.log || fail "chromium: $(tail -5 chromium.log)"
}
# page_requests NETLOG: URLs requested on behalf of a file:// page (Chromium's own background
# traffic has another network isolation key), one per line.
page_requests() {
  python3 - "$1" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
urls = set()
for e in log["events"]:
    p = e.get("params", {})
    if "url" in p and str(p.get("network_isolation_key", "")).startswith("file://"):
        urls.add(p["url"])
print("\n".join(sorted(urls)))
PY
}

printf '<!DOCTYPE html><img src="http://127.0.0.1:9/control.png"><p>control</p>\n' >control.html
render control.html control.dom control.netlog
[[ $(page_requests control.netlog) == *"http://127.0.0.1:9/control.png"* ]] ||
  fail "the network check did not see the control page's request"

render report.html report.dom report.netlog
requests=$(page_requests report.netlog)
[[ -z $requests ]] || fail "the report made network requests: $requests"

python3 - report.dom <<'PY' || fail "DOM check failed"
import sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.svgs_per_row, self.text, self.stack = [], [], [], []
        self.cell = None
        self.scripts = self.imgs = 0
        self.in_column_row = False
        self.segments = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script": self.scripts += 1
        if tag == "img": self.imgs += 1
        if tag == "tr": self.in_column_row = a.get("class") == "column-row"
        if tag == "tr" and a.get("class") == "column-row":
            self.rows.append({"column": a["data-column"], "drift": a["data-drift"], "cells": []})
            self.svgs_per_row.append(0)
        if tag == "tr" and a.get("class") == "segment-row": self.segments += 1
        if tag == "td" and self.in_column_row:
            self.cell = []
        if tag == "svg" and self.in_column_row:
            self.svgs_per_row[-1] += 1
        self.stack.append(tag)
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag: pass
        if tag == "tr": self.in_column_row = False
        if tag == "td" and self.cell is not None and self.rows:
            self.rows[-1]["cells"].append("".join(self.cell).strip())
            self.cell = None
    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None: self.cell.append(data)

d = Dom()
d.feed(open(sys.argv[1]).read())
text = " ".join(d.text)
hostile = '<img src="http://127.0.0.1:9/h.png" onerror="document.title=1">'
def check(cond, msg):
    if not cond:
        print("FAIL:", msg, file=sys.stderr); sys.exit(1)
check("Dataset drift detected" in text, "headline")
check("Drift is detected for" in text and "out of 6)" in text, "table title")
check(d.scripts == 0 and d.imgs == 0, f"scripts {d.scripts} imgs {d.imgs}")
cols = [r["column"] for r in d.rows]
check(sorted(cols) == sorted(["age", "city", hostile, "steady", "group", "pred"]), f"rows {cols}")
drift = {r["column"]: r["drift"] for r in d.rows}
check(drift["age"] == "1" and drift["city"] == "1" and drift[hostile] == "1", f"drifted {drift}")
check(drift["steady"] == "0", f"steady {drift}")
flags = [r["drift"] for r in d.rows]
check(flags == sorted(flags, reverse=True), f"drifted first: {flags}")
check(all(n == 1 for n in d.svgs_per_row), f"one svg per row: {d.svgs_per_row}")
for r in d.rows:
    name, typ, _, verdict, test, score = r["cells"]
    check(name == r["column"], f"name cell {name!r}")
    check(verdict == ("Detected" if r["drift"] == "1" else "Not Detected"), f"verdict {r}")
    check(test.split()[0] in ("ks", "chisquare", "z", "wasserstein", "jensenshannon"), f"test {test}")
    check(typ in ("num", "cat"), f"type {typ}")
check(d.segments == 2, f"bias segments {d.segments}")
check("demographic_parity_difference" in text, "bias gaps")
print("dom ok:", len(d.rows), "rows")
PY

# Against a profile reference (`ferry monitor profile`, what a package carries): the page shows
# the same columns with the profile tests (sketch_ks on the KLL sketches, jensenshannon on the
# value counts), the verdicts and scores of `monitor drift --format json` on the same inputs,
# the note that the reference is a profile, and a histogram estimated from the sketches.
"$FERRY" monitor profile ref.csv -o ref.fyp >/dev/null 2>err.txt || fail "profile: $(cat err.txt)"
"$FERRY" monitor report --reference ref.fyp --current cur.csv -o profile_report.html \
  >out.txt 2>err.txt || fail "profile report: $(cat out.txt err.txt)"
[[ $(cat out.txt) == "profile_report.html (dataset drift detected)" ]] || fail "stdout: $(cat out.txt)"
"$FERRY" monitor drift --reference ref.fyp --current cur.csv --format json >profile_drift.json ||
  fail "profile drift"
render profile_report.html profile_report.dom profile_report.netlog
requests=$(page_requests profile_report.netlog)
[[ -z $requests ]] || fail "the profile report made network requests: $requests"
python3 - profile_report.dom profile_drift.json <<'PY' || fail "profile report DOM check failed"
import json, sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.headers, self.text = [], [], []
        self.cell = self.th = None
        self.in_row = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.in_row = a.get("class") == "column-row"
            if self.in_row:
                self.rows.append({"column": a["data-column"], "drift": a["data-drift"],
                                  "cells": [], "svg": 0})
        if tag == "th": self.th = []
        if tag == "td" and self.in_row: self.cell = []
        if tag == "svg" and self.in_row: self.rows[-1]["svg"] += 1
    def handle_endtag(self, tag):
        if tag == "th" and self.th is not None:
            self.headers.append("".join(self.th).strip()); self.th = None
        if tag == "td" and self.cell is not None:
            self.rows[-1]["cells"].append("".join(self.cell).strip()); self.cell = None
        if tag == "tr": self.in_row = False
    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None: self.cell.append(data)
        if self.th is not None: self.th.append(data)

def check(cond, msg):
    if not cond:
        print("FAIL:", msg, file=sys.stderr); sys.exit(1)
d = Dom()
d.feed(open(sys.argv[1]).read())
drift = json.load(open(sys.argv[2]))
text = " ".join(d.text)
check(d.headers[:6] == ["Column", "Type", "Reference and Current Distribution", "Data Drift",
                        "Stat Test", "Drift Score"], f"headers {d.headers}")
check("Reference: ref.fyp" in text, "reference named")
check("The reference is a profile" in text, "profile note")
check("Dataset drift detected" in text and drift["dataset_drift"], "headline")
n, k = drift["number_of_columns"], drift["number_of_drifted_columns"]
check(f"out of {n})" in text and f"({k} out of" in text, f"table title for {k} of {n}")
check(sorted(r["column"] for r in d.rows) == sorted(drift["columns"]), "one row per column")
for r in d.rows:
    c = drift["columns"][r["column"]]
    name, typ, _, verdict, test, score = r["cells"]
    check(name == r["column"] and typ == c["column_type"], f"name/type {r}")
    want = "sketch_ks" if c["column_type"] == "num" else "jensenshannon"
    check(c["stattest"] == want and test.split()[0] == want, f"stat test of {name}: {test}")
    check(verdict == ("Detected" if c["drift_detected"] else "Not Detected"), f"verdict {r}")
    check(r["drift"] == ("1" if c["drift_detected"] else "0"), f"data-drift {r}")
    check(abs(float(score.split()[0]) - c["statistic"]) <= 1e-5 * max(1, c["statistic"]),
          f"score of {name}: {score} vs {c['statistic']}")
    check(f"threshold {c['threshold']:.6g}" in score, f"threshold of {name}: {score}")
    check(r["svg"] == 1, f"one histogram for {name}")
drifted = {r["column"] for r in d.rows if r["drift"] == "1"}
check({"age", "city"} <= drifted and "steady" not in drifted, f"drifted {drifted}")
print("profile dom ok:", len(d.rows), "rows,", len(drifted), "drifted")
PY

# A screenshot renders (the page lays out without resources).
rm -rf "$WORK/profile"
timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$WORK/profile" \
  --disable-background-networking --no-first-run --window-size=1200,900 \
  --screenshot="$WORK/report.png" "file://$WORK/report.html" >/dev/null 2>&1 ||
  fail "screenshot failed"
[[ $(head -c 8 report.png | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || fail "no PNG screenshot"
echo "monitor_report: ok"
