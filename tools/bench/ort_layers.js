// ONNX Runtime's time per LeViT layer, from its own profiler, under the names `levit bench --layers` prints
// (conv1..conv4, stage<s>_layer<l>_..., pooling, classifier, classifier_distill): to see which parts of the
// pass one engine does better than the other. The exported graph's node names carry the Hugging Face module
// path (embeddings/embedding_layer_N, encoder/stages.S/layers.L, classifier, classifier_distill); ops
// outside those (reshapes between stages, the mean) are reported as "between layers".
//   NODE_PATH=.ort/node_modules node tools/bench/ort_layers.js MODEL.onnx [--batch B] [--threads T] [--runs R]
// Prints, per layer, the 10th percentile and the median over the runs of the summed node times (ms) and the
// layer's share. Preload tools/bench/hide_avx512.c's library to run ONNX Runtime's AVX2 kernels (compare.sh
// shows how).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const ort = require('onnxruntime-node');

function arg(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function layerOf(node) {
  let m = /embedding_layer_(\d+)/.exec(node);
  if (m) return 'conv' + m[1];
  m = /stages\.(\d+)\/layers\.(\d+)\//.exec(node);
  if (m) return `stage${m[1]}_layer${m[2]}`;
  if (/classifier_distill/.test(node)) return 'classifier_distill';
  if (/classifier/.test(node)) return 'classifier';
  return 'between layers';
}

async function main() {
  const model = process.argv[2];
  if (!model || model.startsWith('--')) throw new Error('usage: ort_layers.js MODEL.onnx [--batch B] [--threads T] [--runs R]');
  const batch = Number(arg('batch', '1')), threads = Number(arg('threads', '1')), runs = Number(arg('runs', '50'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ort-layers-'));
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: threads, interOpNumThreads: 1,
    executionMode: 'sequential', graphOptimizationLevel: 'all', executionProviders: ['cpu'], enableProfiling: true,
    profileFilePrefix: path.join(dir, 'profile') });
  const size = 224, data = new Float32Array(batch * 3 * size * size);
  let s = 12345;  // ort_bench.js's input
  for (let i = 0; i < data.length; i++) { s = (s * 1103515245 + 12345) >>> 0; data[i] = (s / 4294967296) * 4 - 2; }
  const feeds = { pixel_values: new ort.Tensor('float32', data, [batch, 3, size, size]) };
  const warmup = 5;
  for (let i = 0; i < warmup + runs; i++) await session.run(feeds);
  session.endProfiling();
  const file = fs.readdirSync(dir).map(f => path.join(dir, f))[0];
  const events = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  // Per run, each layer's summed node time; a run starts at each model_run event.
  const perRun = [];
  for (const e of events) {
    if (e.cat === 'Session' && e.name === 'model_run') perRun.push(new Map());
    else if (e.cat === 'Node' && e.name.endsWith('_kernel_time') && perRun.length > 0) {
      const layer = layerOf(e.name), run = perRun[perRun.length - 1];
      run.set(layer, (run.get(layer) || 0) + e.dur / 1000);
    }
  }
  const timed = perRun.slice(warmup);
  const order = [...new Set(timed.flatMap(r => [...r.keys()]))];
  const stat = (v, q) => { const x = [...v].sort((a, b) => a - b); return x[Math.min(x.length - 1, Math.floor(q * x.length))]; };
  const rows = order.map(layer => {
    const v = timed.map(r => r.get(layer) || 0);
    return { layer, p10: stat(v, 0.1), median: stat(v, 0.5) };
  });
  const total = rows.reduce((a, r) => a + r.median, 0);
  console.log(`ONNX Runtime ${ort.env.versions.node}, ${path.basename(model)}, batch ${batch}, ${threads} thread(s), ${timed.length} runs`);
  console.log('layer'.padEnd(24) + 'p10 ms'.padStart(10) + 'median ms'.padStart(11) + 'share'.padStart(8));
  for (const r of rows)
    console.log(r.layer.padEnd(24) + r.p10.toFixed(3).padStart(10) + r.median.toFixed(3).padStart(11) +
                ((100 * r.median / total).toFixed(1) + '%').padStart(8));
  console.log('sum of node times'.padEnd(24) + ''.padStart(10) + total.toFixed(3).padStart(11));
}

main().catch(e => { console.error(e.message || e); process.exit(1); });
