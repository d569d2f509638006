// ui/src/lineage.ts's layout and links, in node: columns follow the data flow (every edge,
// turned the way data flows, goes strictly right), data sits just left of what reads it, a
// cycle cannot run away, and nodes link to the page they stand for.
// Usage: node lineage_layout_test.js BUNDLE (lineage.ts bundled to CommonJS by esbuild)
const assert = require("node:assert/strict");
const { layers, nodeHref, nodeLabel } = require(require("node:path").resolve(process.argv[2]));
// The page's URL, read by the links for its workspace (`ws=`): none here.
globalThis.location = { hash: "#/runs/r1" };

const node = (id, type, attrs = {}) => ({ id, type, ...attrs });
const edge = (from, relation, to) => ({ from, to, relation });
// A pipeline as the server answers it: train reads data.csv and produces a package, the
// register step reads it and produces bc/1, the training run (a child of the train step) is
// registered as bc/1, and a key is read only by the last step.
const g = {
  root: "model_version:bc/1",
  nodes: [
    node("run:p", "pipeline_run"), node("run:train", "step_run"), node("run:reg", "step_run"),
    node("run:t", "run"), node("data:csv", "dataset"), node("data:pkg", "artifact"),
    node("data:key", "dataset"), node("model_version:bc/1", "model_version"),
  ],
  edges: [
    edge("run:train", "child_of", "run:p"), edge("run:reg", "child_of", "run:p"),
    edge("run:t", "child_of", "run:train"), edge("run:train", "consumed", "data:csv"),
    edge("run:t", "consumed", "data:csv"), edge("run:train", "produced", "data:pkg"),
    edge("run:reg", "consumed", "data:pkg"), edge("run:reg", "consumed", "data:key"),
    edge("run:reg", "produced", "model_version:bc/1"), edge("run:t", "registered_as", "model_version:bc/1"),
  ],
};
const col = layers(g);
const flows = (e) => (e.relation === "consumed" || e.relation === "child_of" ? [e.to, e.from] : [e.from, e.to]);
for (const e of g.edges) {
  const [a, b] = flows(e);
  assert.ok(col.get(a) < col.get(b), `${a} (${col.get(a)}) left of ${b} (${col.get(b)})`);
}
assert.deepEqual(Object.fromEntries(col), {
  "run:p": 0, "data:csv": 0, "run:train": 1, "data:pkg": 2, "run:reg": 3, "model_version:bc/1": 4,
  // Pulled right, beside what follows them: the key beside the step that reads it (not in
  // column 0), the training run beside the version registered from it.
  "data:key": 2, "run:t": 3,
});

// A cycle (no server answer has one, but a bad one must not hang the page): bounded columns.
const cyc = { root: "a", nodes: [node("a", "run"), node("b", "run")], edges: [edge("a", "produced", "b"), edge("b", "produced", "a")] };
const cc = layers(cyc);
assert.ok([...cc.values()].every((c) => Number.isInteger(c) && c >= 0 && c < 10), JSON.stringify([...cc]));

// Links: versions and data by their pages; a run the store no longer holds links nowhere.
assert.equal(nodeHref(node("model_version:a b/3", "model_version", { name: "a b", version: "3" })), "#/models/a%20b/versions/3");
assert.equal(nodeHref(node("data:sha256:ab", "dataset", { digest: "sha256:ab" })), "#/datasets/sha256%3Aab");
assert.equal(nodeHref(node("run:r1", "step_run", { run_id: "r1" })), "#/runs/r1");
assert.equal(nodeHref(node("run:r2", "run", { run_id: "r2", missing: "true" })), "");
assert.deepEqual(nodeLabel(node("run:s", "step_run", { step: "train", kind: "train", state: "cached", cache_hit: "true" })), ["step · train · cached (cached)", "train"]);
assert.deepEqual(nodeLabel(node("model_version:bc/1", "model_version", { name: "bc", version: "1", status: "READY" })), ["model version · READY", "bc/1"]);
console.log("PASS: lineage layout");
