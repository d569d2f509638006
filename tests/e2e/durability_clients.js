// N concurrent clients logging metrics as fast as they can; every step the server
// acknowledged with 200 is appended to ACKED_DIR/acked.<k>. Runs until killed or until the
// server goes away. Usage: node durability_clients.js URL RUN_ID N ACKED_DIR
'use strict';
const fs = require('node:fs');
const [url, runId, n, dir] = process.argv.slice(2);

async function client(k) {
  const fd = fs.openSync(`${dir}/acked.${k}`, 'a');
  for (let step = 1; ; step++) {
    let res;
    try {
      res = await fetch(`${url}/api/2.0/mlflow/runs/log-metric`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ run_id: runId, key: `c${k}`, value: step, timestamp: 1, step }),
      });
      await res.text();
    } catch (e) {
      return;  // server killed
    }
    if (res.status !== 200) {
      process.stderr.write(`client ${k}: HTTP ${res.status}\n`);
      process.exit(1);
    }
    fs.writeSync(fd, `${step}\n`);
  }
}

Promise.all(Array.from({ length: Number(n) }, (_, i) => client(i + 1)));
