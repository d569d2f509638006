// Drives a running Ferry through the npm `mlflow` package (a client nobody at Ferry wrote):
// experiments, runs, params, metrics, tags, log-batch, search, metric history, artifact
// listing. Usage: node mlflow_npm_test.js http://127.0.0.1:PORT [AUTHORIZATION]
// (AUTHORIZATION, e.g. "Basic ..." or "Bearer ...", goes into every request through the
// package's own `headers` option, against `ferry server --auth`).
'use strict';
const assert = require('node:assert/strict');
const MLflow = require('mlflow');
const { ViewType, RunStatus } = require('mlflow/enum');

const endpoint = process.argv[2];
const headers = process.argv[3] ? { Authorization: process.argv[3] } : {};
const client = new MLflow({ endpoint, headers });
const { Experiments, Runs, Metrics, Artifacts } = client;
console.log = () => {};  // the package prints every request body

async function main() {
  const name = `npm-compat-${process.pid}`;  // runs against one server do not collide
  const { experiment_id } = await Experiments.create({ name });
  assert.match(experiment_id, /^[0-9]+$/);
  const { experiment } = await Experiments.get({ experiment_id });
  assert.equal(experiment.name, name);
  assert.equal(experiment.lifecycle_stage, 'active');
  await Experiments.setExperimentTag({ experiment_id, key: 'owner', value: 'node' });
  await Experiments.update({ experiment_id, new_name: `${name}-2` });
  const listed = await Experiments.list({ view_type: ViewType.ALL });
  const mine = listed.experiments.find((e) => e.experiment_id === experiment_id);
  assert.equal(mine.name, `${name}-2`);
  assert.deepEqual(mine.tags, [{ key: 'owner', value: 'node' }]);

  const now = Date.now();
  const { run } = await Runs.create({ experiment_id, user_id: 'node', start_time: now,
                                      tags: [{ key: 'client', value: 'npm' }] });
  const run_id = run.info.run_id;
  assert.equal(run.info.status, RunStatus.RUNNING);
  assert.equal(run.info.start_time, now);

  await Runs.logParameter({ run_id, key: 'lr', value: '0.1' });
  for (let step = 0; step < 5; step++) {
    await Runs.logMetric({ run_id, key: 'loss', value: 1 / (step + 1), timestamp: now + step, step });
  }
  await Runs.setTag({ run_id, key: 'phase', value: 'train' });
  await Runs.deleteTag({ run_id, key: 'phase' });
  await Runs.logBatch({
    run_id,
    metrics: Array.from({ length: 100 }, (_, i) => ({ key: 'acc', value: i / 100, timestamp: now, step: i })),
    params: [{ key: 'depth', value: '6' }],
    tags: [{ key: 'batch', value: 'yes' }],
  });

  const got = (await Runs.get({ run_id })).run;
  const metrics = Object.fromEntries(got.data.metrics.map((m) => [m.key, m]));
  assert.equal(metrics.loss.value, 0.2);
  assert.equal(metrics.loss.step, 4);
  assert.equal(metrics.acc.value, 0.99);
  const params = Object.fromEntries(got.data.params.map((p) => [p.key, p.value]));
  assert.deepEqual(params, { lr: '0.1', depth: '6' });
  const tags = Object.fromEntries(got.data.tags.map((t) => [t.key, t.value]));
  assert.equal(tags.client, 'npm');
  assert.equal(tags.batch, 'yes');
  assert.equal(tags.phase, undefined);

  const history = await Metrics.getHistory({ run_id, metric_key: 'acc' });
  assert.equal(history.metrics.length, 100);
  assert.deepEqual(history.metrics.map((m) => m.step), Array.from({ length: 100 }, (_, i) => i));

  const { run: second } = await Runs.create({ experiment_id, start_time: now + 1 });
  await Runs.logMetric({ run_id: second.info.run_id, key: 'acc', value: 0.5, timestamp: now, step: 0 });
  const found = await Runs.search({ experiment_ids: [experiment_id], filter: 'metrics.acc > 0.9',
                                    order_by: ['metrics.acc DESC'], max_results: 10 });
  assert.deepEqual(found.runs.map((r) => r.info.run_id), [run_id]);
  const all = await Runs.search({ experiment_ids: [experiment_id], run_view_type: ViewType.ACTIVE_ONLY,
                                  order_by: ['attributes.start_time ASC'] });
  assert.deepEqual(all.runs.map((r) => r.info.run_id), [run_id, second.info.run_id]);

  await Runs.update({ run_id, status: RunStatus.FINISHED, end_time: now + 10 });
  await Runs.delete({ run_id: second.info.run_id });
  const deleted = await Runs.search({ experiment_ids: [experiment_id], run_view_type: ViewType.DELETED_ONLY });
  assert.deepEqual(deleted.runs.map((r) => r.info.run_id), [second.info.run_id]);
  await Runs.restore({ run_id: second.info.run_id });

  // Upload one artifact through the proxy with fetch, then list it with the npm client.
  const url = `${endpoint}/api/2.0/mlflow-artifacts/artifacts/${experiment_id}/${run_id}/artifacts/model/model.json`;
  const put = await fetch(url, { method: 'PUT', headers, body: '{"weights": [1, 2, 3]}' });
  assert.equal(put.status, 200);
  const listing = await Artifacts.list({ run_id });
  assert.equal(listing.root_uri, `mlflow-artifacts:/${experiment_id}/${run_id}/artifacts`);
  assert.deepEqual(listing.files, [{ path: 'model', is_dir: true }]);
  const inner = await Artifacts.list({ run_id, path: 'model' });
  assert.deepEqual(inner.files, [{ path: 'model/model.json', is_dir: false, file_size: 22 }]);

  // Errors surface with MLflow's codes.
  await assert.rejects(Runs.get({ run_id: 'f'.repeat(32) }), /RESOURCE_DOES_NOT_EXIST/);
  await assert.rejects(Runs.logParameter({ run_id, key: 'lr', value: '0.2' }), /INVALID_PARAMETER_VALUE/);
  await assert.rejects(Experiments.create({ name: `${name}-2` }), /RESOURCE_ALREADY_EXISTS/);

  await Experiments.delete({ experiment_id });
  assert.equal((await Experiments.get({ experiment_id })).experiment.lifecycle_stage, 'deleted');
  await Experiments.restore({ experiment_id });
  process.stdout.write('npm mlflow compatibility: all checks passed\n');
}

main().catch((err) => {
  process.stderr.write(`FAILED: ${err.stack || err}\n`);
  process.exit(1);
});
