// ui/src/nesting.ts page by page against a fake server (fetch replaced): a child on an earlier
// page than its parent waits for it, children come in the search's order under the parent,
// grandchildren under the child, and a child whose parent the filter leaves out stays on top.
// Usage: node nesting_test.js BUNDLE (nesting.ts bundled to CommonJS by esbuild)
const assert = require("node:assert/strict");
const { Nesting } = require(require("node:path").resolve(process.argv[2]));

// The runs in the search's order; `parent` is the mlflow.parentRunId tag. A filter of "no-p"
// leaves out the run p. Ids are hex, as the UI's run_id IN (...) keeps only hex digits.
const RUNS = [["c1", "p"], ["a"], ["p"], ["c2", "p"], ["d", "c2"], ["b"]].map(([id, parent]) => ({
  info: { run_id: id === "p" ? "f0" : id },
  data: { tags: parent ? [{ key: "mlflow.parentRunId", value: parent === "p" ? "f0" : parent }] : [] },
}));
const calls = [];
// The page's URL, read for its workspace (`ws=`): none here.
globalThis.location = { hash: "#/experiments/1" };
globalThis.fetch = async (url, init) => {
  const body = JSON.parse(init.body);
  calls.push(url.replace(/.*\//, ""));
  const matching = RUNS.filter((r) => !(body.filter || "").startsWith("no-p") || r.info.run_id !== "f0");
  const parentOf = (r) => r.data.tags[0]?.value;
  let runs;
  if (url.endsWith("runs/children")) runs = matching.filter((r) => body.parent_run_ids.includes(parentOf(r)));
  else runs = matching.filter((r) => body.filter.match(/run_id IN \((.*)\)/)[1].includes(`'${r.info.run_id}'`));
  return { ok: true, status: 200, text: async () => JSON.stringify({ runs }) };
};
const ids = (rows) => rows.map((r) => "  ".repeat(r.depth) + r.run.info.run_id);
const search = (filter) => ({ experiment_ids: ["1"], filter, order_by: [], run_view_type: "ACTIVE_ONLY" });

(async () => {
  const n = new Nesting(search(""), new Set());
  await n.add(RUNS.slice(0, 2)); // c1, a: c1's parent matches, so c1 waits for it
  assert.deepEqual(ids(n.rows()), ["a"]);
  assert.deepEqual(calls, ["children", "search"]);
  await n.add(RUNS.slice(2, 5)); // p, c2, d: p brings c1, c2 and (through c2) d
  assert.deepEqual(ids(n.rows()), ["a", "f0"]);
  assert.equal(n.count("f0"), 2);
  assert.equal(n.count("c2"), 1);
  n.expanded.add("f0");
  assert.deepEqual(ids(n.rows()), ["a", "f0", "  c1", "  c2"]);
  n.expanded.add("c2");
  assert.deepEqual(ids(n.rows()), ["a", "f0", "  c1", "  c2", "    d"]);
  await n.add(RUNS.slice(5));
  assert.deepEqual(ids(n.rows()), ["a", "f0", "  c1", "  c2", "    d", "b"]);
  assert.equal(n.nested, 3);
  assert.equal(n.topLevel, 3);

  // The filter leaves p out: its children stay at the top level where the search put them.
  const f = new Nesting(search("no-p"), new Set(["f0"]));
  await f.add(RUNS.filter((r) => r.info.run_id !== "f0"));
  assert.deepEqual(ids(f.rows()), ["c1", "a", "c2", "b"]);
  assert.equal(f.count("c2"), 1, "d stays under c2, which matches");
  console.log("PASS: nested runs fold under their parent page by page");
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
