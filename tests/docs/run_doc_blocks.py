#!/usr/bin/python3
"""Runs every fenced ```sh block of README.md and docs/*.md, as written, against a real server.

usage: run_doc_blocks.py FERRY_BINARY [REPO_ROOT]

The blocks run in order (README.md first, then docs/*.md by name) with bash -e in one
temporary working directory, where `tests/` links to the repository's (so that
tests/data/... resolves), the directory of FERRY_BINARY comes first on PATH, and a
`ferry server` started by this script (as ./scripts/quickstart.sh would) listens in place of
127.0.0.1:5000. What the script fills in, and nothing else:
  * ports: 5000, 5001, 5002 and 8080 after `localhost:`, `127.0.0.1:` or `--port ` become free
    ports (FERRY_TRACKING_URI and MLFLOW_TRACKING_URI point the CLI's default at the first);
  * placeholders <run_id> and <experiment_id> in commands (comment lines keep them): the
    last "run_id"/"experiment_id" printed by an earlier block.
A block fails when a command exits non-zero or its output holds an MLflow error
("error_code"); the failure names the file, the line, the command and the output.
A block preceded by `<!-- doc-test: skip (reason) -->` is not run; skips are counted and
listed. Processes a block leaves in the background are stopped at the end.
The docs must point only inside the repository: a `../` path or a /work/ path anywhere in
them fails too.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP_RE = re.compile(r"<!--\s*doc-test:\s*skip\s*\((.+)\)\s*-->")
PLACEHOLDER_RE = re.compile(r"<([a-z_]+)>")
CAPTURE_RES = {
    "run_id": re.compile(r'"run_id"\s*:\s*"([0-9a-f]{32})"'),
    "experiment_id": re.compile(r'"experiment_id"\s*:\s*"([0-9]+)"'),
}
DOC_PORTS = ("5000", "5001", "5002", "8080")
OUTSIDE_RE = re.compile(r"(?<![\w.])\.\./|/work/")
BLOCK_TIMEOUT_S = 300


class Block:
    def __init__(self, path, line, text, skip):
        self.path, self.line, self.text, self.skip = path, line, text, skip


def extract_blocks(path, rel):
    """The ```sh blocks of one markdown file, with their first line number (1-based)."""
    blocks = []
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        fence = lines[i].strip()
        if fence.startswith("```"):
            lang = fence[3:].strip()
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("```"):
                j += 1
            if lang in ("sh", "bash", "shell"):
                k = i - 1
                while k >= 0 and not lines[k].strip():
                    k -= 1
                m = SKIP_RE.search(lines[k]) if k >= 0 else None
                blocks.append(Block(rel, i + 2, "\n".join(lines[i + 1:j]) + "\n",
                                    m.group(1) if m else None))
            i = j
        i += 1
    return blocks


def outside_references(root, files):
    """file:line of every pointer outside the repository."""
    found = []
    for rel in files:
        for n, line in enumerate(open(os.path.join(root, rel), encoding="utf-8"), 1):
            where = f"{rel}:{n}"
            if OUTSIDE_RE.search(line):
                found.append(f"FAIL {where}: points outside the repository: {line.strip()}")
    return found


def count_commands(text):
    """Logical command lines: not blank, not comments, continuations joined."""
    count, continued = 0, False
    for raw in text.split("\n"):
        line = raw.strip()
        if not continued and line and not line.startswith("#"):
            count += 1
        continued = line.endswith("\\")
    return count


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except Exception:
            time.sleep(0.2)
    return False


def substitute(block, ports, captured):
    text = block.text
    for doc_port, port in ports.items():
        text = re.sub(r"(localhost:|127\.0\.0\.1:|--port )" + doc_port + r"\b",
                      lambda m: m.group(1) + str(port), text)

    def fill(m):
        name = m.group(1)
        if name not in CAPTURE_RES:
            return m.group(0)
        if name not in captured:
            raise ValueError(f"placeholder <{name}> has no value from an earlier block")
        return captured[name]
    return "\n".join(line if line.lstrip().startswith("#") else PLACEHOLDER_RE.sub(fill, line)
                     for line in text.split("\n"))


def run_block(block, text, workdir, env, sessions):
    script = os.path.join(workdir, ".doc-block.sh")
    with open(script, "w") as f:
        f.write("set -e -o pipefail\n")
        f.write("trap 'echo \"DOC-TEST-FAILED $((LINENO - 2)) $BASH_COMMAND\" >&2' ERR\n")
        f.write(text)
    out_path = os.path.join(workdir, ".doc-block.out")
    with open(out_path, "wb") as out:
        proc = subprocess.Popen(["bash", script], cwd=workdir, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        sessions.append(proc.pid)
        try:
            rc = proc.wait(timeout=BLOCK_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            rc = "timeout"
    output = open(out_path, encoding="utf-8", errors="replace").read()
    return rc, output


def failure(block, text, rc, output):
    where, command = block.line, "(block)"
    m = re.search(r"DOC-TEST-FAILED (\d+) (.*)", output)
    if m:
        where = block.line + int(m.group(1)) - 1
        command = m.group(2)
    elif rc == 0:
        command = "(output holds an MLflow error)"
    return (f"FAIL {block.path}:{where}: exit {rc}: {command}\n"
            f"--- block as run ---\n{text}--- output ---\n{output}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    ferry = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    files = ["README.md"] + sorted("docs/" + f for f in os.listdir(os.path.join(root, "docs"))
                                   if f.endswith(".md"))
    blocks = [b for f in files for b in extract_blocks(os.path.join(root, f), f)]

    workdir = tempfile.mkdtemp(prefix="ferry-doc-test-")
    os.symlink(os.path.join(root, "tests"), os.path.join(workdir, "tests"))
    ports = {p: free_port() for p in DOC_PORTS}
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(ferry) + os.pathsep + env.get("PATH", "")
    env["FERRY_TRACKING_URI"] = f"http://127.0.0.1:{ports['5000']}"
    env["MLFLOW_TRACKING_URI"] = env["FERRY_TRACKING_URI"]
    sessions, skipped, ran, commands = [], [], 0, 0
    failures = outside_references(root, files)
    server = subprocess.Popen([ferry, "server", "--port", str(ports["5000"]), "--quiet"],
                              cwd=workdir, env=env, stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(workdir, ".server.log"), "wb"),
                              start_new_session=True)
    sessions.append(server.pid)
    try:
        if not wait_http(f"http://127.0.0.1:{ports['5000']}/health"):
            sys.exit("the ferry server did not start: " +
                     open(os.path.join(workdir, ".server.log")).read())
        captured = {}
        for block in blocks:
            if block.skip:
                skipped.append(f"{block.path}:{block.line}: {block.skip}")
                continue
            try:
                text = substitute(block, ports, captured)
            except ValueError as e:
                failures.append(f"FAIL {block.path}:{block.line}: {e}")
                continue
            rc, output = run_block(block, text, workdir, env, sessions)
            ran += 1
            commands += count_commands(block.text)
            for name, regex in CAPTURE_RES.items():
                found = regex.findall(output)
                if found:
                    captured[name] = found[-1]
            if rc != 0 or '"error_code"' in output:
                failures.append(failure(block, text, rc, output))
    finally:
        for pid in sessions:
            try:
                os.killpg(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    print(f"doc-test: {ran} blocks run ({commands} commands), {len(skipped)} skipped, "
          f"{len(failures)} failed" + (f"; working directory kept: {workdir}" if failures else ""))
    for s in skipped:
        print(f"  skipped {s}")
    for f in failures:
        print(f, file=sys.stderr)
    if not failures:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
