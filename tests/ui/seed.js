// The data pages_test.js checks the pages against, made through the REST API: experiments
// (122 for paging), three runs with params, a 51-step metric and dataset inputs, 1,000 runs for the virtual
// table, a 100,000-step run with a spike and a second metric (tokens) with nested runs under
// it, artifacts (text, CSV, HTML, PDF, WAV), and a registered model with two versions and an alias.
async function seed(BASE, post) {
  const alpha = (await post("experiments/create", { name: "alpha-exp" })).experiment_id;
  await post("experiments/create", { name: "beta-exp" });
  for (let i = 0; i < 120; i++) await post("experiments/create", { name: `bulk-${String(i).padStart(3, "0")}` });
  const runs = [];
  for (const [name, rmse, model] of [["r-one", 0.5, "tree"], ["r-two", 0.2, "linear"], ["r-three", 0.9, "tree"]]) {
    const run = (await post("runs/create", { experiment_id: alpha, run_name: name, start_time: Date.now() })).run;
    const metrics = [];
    for (let s = 0; s < 50; s++) metrics.push({ key: "rmse", value: rmse + (50 - s) / 100, timestamp: Date.now(), step: s });
    metrics.push({ key: "rmse", value: rmse, timestamp: Date.now(), step: 50 });
    const params = [{ key: "model", value: model }, { key: "alpha", value: String(rmse * 2) }, { key: "seed", value: "7" }];
    await post("runs/log-batch", { run_id: run.info.run_id, metrics, params });
    runs.push(run.info.run_id);
  }
  // Datasets as run inputs: r-one and r-two trained on train-a, r-three on train-b.
  for (const [i, name, digest] of [[0, "train-a", "aaaa1111ff"], [1, "train-a", "aaaa1111ff"], [2, "train-b", "bbbb2222ff"]]) {
    await post("runs/log-inputs", { run_id: runs[i], datasets: [{ tags: [{ key: "mlflow.data.context", value: "train" }],
      dataset: { name, digest, source_type: "local", source: `{"uri": "/data/${name}.csv"}` } }] });
  }
  // 1,000 runs for the virtual table, created concurrently 50 at a time.
  const many = (await post("experiments/create", { name: "many-runs" })).experiment_id;
  for (let i = 0; i < 1000; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, k) =>
      post("runs/create", { experiment_id: many, run_name: `run-${String(i + k).padStart(4, "0")}` })));
  }
  // 100,000 steps of loss = 1 with one spike of 1e6 at step 77,777, and tokens = 10 step + 3.
  const charts = (await post("experiments/create", { name: "charts" })).experiment_id;
  const spiky = (await post("runs/create", { experiment_id: charts, run_name: "spiky" })).run.info.run_id;
  for (let s = 0; s < 100000; s += 500) {
    const metrics = Array.from({ length: 500 }, (_, k) => [
      { key: "loss", value: s + k === 77777 ? 1e6 : 1, timestamp: 1700000000000 + s + k, step: s + k },
      { key: "tokens", value: 10 * (s + k) + 3, timestamp: 1700000000000 + s + k, step: s + k }]).flat();
    await post("runs/log-batch", { run_id: spiky, metrics });
  }
  // Artifacts of r-two, through the artifact proxy.
  const put = async (path, body) => {
    const r = await fetch(`${BASE}/api/2.0/mlflow-artifacts/artifacts/${alpha}/${runs[1]}/artifacts/${path}`, { method: "PUT", body });
    if (!r.ok) throw new Error(`PUT ${path}: ${r.status}`);
  };
  await put("notes.txt", "trained on <b>2026</b> data\n");
  await put("model/MLmodel", "flavors:\n  python_function: {}\nsignature:\n  inputs: '[{\"type\": \"double\", \"name\": \"age\", \"required\": true}, {\"type\": \"string\", \"name\": \"city\", \"required\": true}]'\n  outputs: '[{\"type\": \"long\", \"required\": true}]'\n  params: null\n");
  await put("report.html", "<h1 id=x>report</h1><script>parent.document.title='pwned'</script>");
  await put("metrics.csv", "step,loss\n0,1.5\n1,0.5\n");
  await put("doc.pdf", require("./media").pdf());
  await put("tone.wav", require("./media").wav());
  // r-one's model (version 1 of churn): age was a long, no city yet.
  const mlmodel = await fetch(`${BASE}/api/2.0/mlflow-artifacts/artifacts/${alpha}/${runs[0]}/artifacts/model/MLmodel`, { method: "PUT",
    body: "flavors:\n  python_function: {}\nsignature:\n  inputs: '[{\"type\": \"long\", \"name\": \"age\", \"required\": true}]'\n  outputs: '[{\"type\": \"long\", \"required\": true}]'\n  params: null\n" });
  if (!mlmodel.ok) throw new Error(`PUT MLmodel: ${mlmodel.status}`);
  await post("registered-models/create", { name: "churn", description: "Predicts churn." });
  for (const run of runs.slice(0, 2)) {
    await post("model-versions/create", { name: "churn", source: `runs:/${run}/model`, run_id: run });
  }
  await post("registered-models/alias", { name: "churn", alias: "prod", version: "2" });
  const child = (await post("runs/create", { experiment_id: charts, run_name: "spiky-child", tags: [{ key: "mlflow.parentRunId", value: spiky }] })).run.info.run_id;
  // Another child, with loss 1, 2, 3 at tokens 4, 1, 2; and a run of its own.
  const twin = (await post("runs/create", { experiment_id: charts, run_name: "twin", tags: [{ key: "mlflow.parentRunId", value: spiky }] })).run.info.run_id;
  await post("runs/log-batch", { run_id: twin, metrics: [[4, 1], [1, 2], [2, 3]].flatMap(([t, l], s) => [
    { key: "tokens", value: t, timestamp: 1, step: s }, { key: "loss", value: l, timestamp: 1, step: s }]) });
  await post("runs/create", { experiment_id: charts, run_name: "zeta" });
  return { alpha, runs, many, spiky, child, twin, charts };
}

module.exports = { seed };
