/**
 * Vector index bench: npm run bench:index -- --n 1000000 --dim 512 [--real FILE] [--queries 300]
 *   [--shortlists 250,500,1000,2000] [--no-workers] [--no-compare] [--sqlite]
 *
 * Gallery and probes: see index-dataset.ts (synthetic face-like rows; real lfw-dev embeddings
 * as probes with --real). Phases, all on one QuantizedIndex:
 *  1. ground truth: exact top-10 of every probe by usearch's SIMD f32 exactSearch;
 *  2. load all N items into group 0 (time, RSS growth);
 *  3. top-10 latency over 1 group, recall@1/@10 against the ground truth, score error;
 *     the same for other shortlist lengths; usearch i8 exactSearch for comparison;
 *  4. throughput with one index per core in two worker threads;
 *  5. 10k inserts then 10k deletes, each followed by a search that must (not) find the item;
 *  6. every item moved to one of groups 1..100 (setGroups), then top-10 over 10 and 100
 *     groups, merged and per group;
 *  7. with --sqlite, restart from a store stand-in (index-sqlite.ts).
 * Numbers are taken on whatever else runs on the machine: the load average is printed.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import usearch from 'usearch';
import { QuantizedIndex, type SearchHit } from '../src/index/index.ts';
import { DEFAULT_SHORTLIST } from '../src/index/quantized.ts';
import { buildDataset, type Dataset } from './index-dataset.ts';
import { FaceLike } from './index-faces.ts';
import { measureStoreRestart } from './index-sqlite.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    dim: { type: 'string', default: '512' },
    real: { type: 'string' },
    queries: { type: 'string', default: '300' },
    shortlists: { type: 'string', default: '250,500,2000' },
    'no-workers': { type: 'boolean', default: false },
    'no-compare': { type: 'boolean', default: false },
    sqlite: { type: 'boolean', default: false },
  },
});
const n = Number(args.n);
const dim = Number(args.dim);
const MB = 1024 * 1024;
/** Exact hits this strong are what a search is for (same person, or a look-alike), unlike near-ties at ~0.2. */
const MATCH = 0.4;
const rss = () => process.memoryUsage().rss;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(`index bench: n=${n} dim=${dim}, node ${process.version}, load average ${load()} (2 shared cores)`);
let t = performance.now();
const data = buildDataset(n, dim, Number(args.queries), args.real);
console.log(`data: ${data.count} gallery rows in ${seconds(t)}; ${data.probeSource}`);

t = performance.now();
const truth = groundTruth(data);
console.log(`ground truth: usearch f32 exactSearch (SIMD, 2 threads, batch of ${data.probes.length}) ${seconds(t)}`);

const rssBefore = rss();
t = performance.now();
const index = new QuantizedIndex(dim);
index.load(rows(data, [0]));
const loadSeconds = (performance.now() - t) / 1000;
const indexBytes = rss() - rssBefore;
console.log(
  `load: ${data.count} items into 1 group in ${loadSeconds.toFixed(1)} s (${Math.round(data.count / loadSeconds)} items/s); ` +
    `RSS +${(indexBytes / MB).toFixed(0)} MB for the index (${(indexBytes / data.count).toFixed(0)} B/item), ` +
    `process RSS ${(rss() / MB).toFixed(0)} MB incl. the bench's f32 copy of the gallery (${((data.count * dim * 4) / MB).toFixed(0)} MB)`,
);

console.log(`\ntop-10 over 1 group of ${data.count}, shortlist ${DEFAULT_SHORTLIST} (default):`);
report(measure());
for (const shortlist of args.shortlists.split(',').map(Number).filter((s) => s !== DEFAULT_SHORTLIST)) {
  index.tune({ shortlist });
  console.log(`  shortlist ${shortlist}:`);
  report(measure());
}
index.tune({ shortlist: DEFAULT_SHORTLIST });
if (!args['no-compare']) compareUsearchI8(data);

if (!args['no-workers']) await throughput(data);

mutations(index, data);
multiGroup(index, data);
if (args.sqlite) measureStoreRestart(data);
console.log(`\nload average at the end: ${load()}`);

function* rows(d: Dataset, groupIds: number[]) {
  for (let i = 0; i < d.count; i++) yield { itemId: i, groupIds, vector: d.vectors.subarray(i * d.dim, (i + 1) * d.dim) };
}

function groundTruth(d: Dataset): Int32Array[] {
  const queries = new Float32Array(d.probes.length * d.dim);
  d.probes.forEach((p, i) => queries.set(p, i * d.dim));
  const found = usearch.exactSearch(d.vectors, queries, d.dim, 10, usearch.MetricKind.IP, 2);
  return d.probes.map((_, i) => Int32Array.from(found.keys.subarray(i * 10, i * 10 + 10), Number));
}

interface Measured {
  latencies: number[];
  results: SearchHit[][];
}

function measure(): Measured {
  for (const q of data.probes.slice(0, 20)) index.search(q, [0], 10); // warm-up: JIT, scratch memory
  const latencies: number[] = [];
  const results: SearchHit[][] = [];
  for (const q of data.probes) {
    const start = performance.now();
    results.push(index.search(q, [0], 10));
    latencies.push(performance.now() - start);
  }
  return { latencies, results };
}

function cosine(probe: number, itemId: number): number {
  const v = data.vectors.subarray(itemId * dim, (itemId + 1) * dim);
  let sum = 0;
  for (let j = 0; j < dim; j++) sum += data.probes[probe]![j]! * v[j]!;
  return sum;
}

function report({ latencies, results }: Measured): void {
  let top1 = 0;
  let top10 = 0;
  let matches = 0;
  let matchesFound = 0;
  let maxError = 0;
  let sumError = 0;
  let scored = 0;
  results.forEach((hits, i) => {
    const want = truth[i]!;
    if (hits[0]?.itemId === want[0]) top1++;
    for (const id of want) {
      if (cosine(i, id) < MATCH) continue;
      matches++;
      if (hits.some((h) => h.itemId === id)) matchesFound++;
    }
    for (const hit of hits) {
      if (want.includes(hit.itemId)) top10++;
      const exact = cosine(i, hit.itemId);
      maxError = Math.max(maxError, Math.abs(exact - hit.cosine));
      sumError += Math.abs(exact - hit.cosine);
      scored++;
    }
  });
  console.log(
    `    latency ${percentiles(latencies)}; recall@1 ${(top1 / results.length).toFixed(4)}, ` +
      `recall@10 ${(top10 / (10 * results.length)).toFixed(4)}, strong hits (exact top-10 with cosine >= ${MATCH}) found ${matchesFound}/${matches}; |score - f32 cosine| mean ${(sumError / scored).toExponential(1)} max ${maxError.toExponential(1)}`,
  );
}

function compareUsearchI8(d: Dataset): void {
  let maxAbs = 0;
  for (const x of d.vectors) maxAbs = Math.max(maxAbs, Math.abs(x));
  const scale = 127 / maxAbs;
  const codes = new Int8Array(d.vectors.length);
  for (let i = 0; i < codes.length; i++) codes[i] = Math.round(d.vectors[i]! * scale);
  const latencies: number[] = [];
  let top1 = 0;
  let top10 = 0;
  d.probes.forEach((p, i) => {
    const q = Int8Array.from(p, (x) => Math.max(-127, Math.min(127, Math.round(x * scale))));
    const start = performance.now();
    const found = usearch.exactSearch(codes, q, d.dim, 10, usearch.MetricKind.IP, 1);
    latencies.push(performance.now() - start);
    const keys = Array.from(found.keys, Number);
    if (keys[0] === truth[i]![0]) top1++;
    top10 += keys.filter((k) => truth[i]!.includes(k)).length;
  });
  console.log(
    `  for comparison, usearch exactSearch over i8 codes (1 thread, no groups, i8 scores): latency ${percentiles(latencies)}; ` +
      `recall@1 ${(top1 / d.probes.length).toFixed(4)}, recall@10 ${(top10 / (10 * d.probes.length)).toFixed(4)}`,
  );
}

async function throughput(d: Dataset): Promise<void> {
  const workerUrl = new URL('./index-worker.ts', import.meta.url).href;
  const shared = new Float32Array(new SharedArrayBuffer(d.vectors.byteLength));
  shared.set(d.vectors);
  const workers = [0, 1].map(
    () =>
      // Node 20 workers do not inherit tsx's loader: load the TypeScript entry through its API.
      new Worker(`import('tsx/esm/api').then((tsx) => tsx.tsImport(${JSON.stringify(workerUrl)}, ${JSON.stringify(import.meta.url)}))`, {
        eval: true,
        workerData: { dim: d.dim, vectors: shared, count: d.count, probes: d.probes },
      }),
  );
  const next = (w: Worker) => new Promise<unknown>((resolve, reject) => w.once('message', resolve).once('error', reject));
  let start = performance.now();
  await Promise.all(workers.map(next));
  const buildSeconds = seconds(start);
  const durationMs = 10_000;
  const deadline = Date.now() + durationMs;
  const counts = Promise.all(workers.map(next));
  for (const w of workers) w.postMessage(deadline);
  const total = ((await counts) as number[]).reduce((a, b) => a + b, 0);
  await Promise.all(workers.map((w) => w.terminate()));
  start = performance.now();
  let single = 0;
  while (performance.now() - start < 5000) index.search(d.probes[single++ % d.probes.length]!, [0], 10);
  console.log(
    `\nthroughput, top-10 over 1 group: 2 worker threads (one index each, built in parallel in ${buildSeconds}): ` +
      `${Math.round(total / (durationMs / 1000))} queries/s; 1 thread: ${Math.round(single / 5)} queries/s`,
  );
}

function mutations(ix: QuantizedIndex, d: Dataset): void {
  const gen = new FaceLike(d.dim, 99);
  const count = 10_000;
  const fresh = Array.from({ length: count }, () => gen.face(gen.identity()));
  let opMs = 0;
  let checkMs = 0;
  let missing = 0;
  fresh.forEach((v, i) => {
    let start = performance.now();
    ix.add(d.count + i, [0], v);
    opMs += performance.now() - start;
    start = performance.now();
    if (ix.search(v, [0], 1)[0]?.itemId !== d.count + i) missing++;
    checkMs += performance.now() - start;
  });
  console.log(
    `\n${count} inserts into the group of ${d.count}: ${Math.round(count / (opMs / 1000))} ops/s (op alone); ` +
      `each then searched for: ${count - missing}/${count} found at rank 1 (searches took ${(checkMs / 1000).toFixed(1)} s)`,
  );
  opMs = 0;
  checkMs = 0;
  let resurfaced = 0;
  fresh.forEach((v, i) => {
    let start = performance.now();
    ix.remove(d.count + i);
    opMs += performance.now() - start;
    start = performance.now();
    if (ix.search(v, [0], 10).some((h) => h.itemId === d.count + i)) resurfaced++;
    checkMs += performance.now() - start;
  });
  console.log(
    `${count} deletes: ${Math.round(count / (opMs / 1000))} ops/s (op alone); each then searched for: ` +
      `${resurfaced} returned after deletion (searches took ${(checkMs / 1000).toFixed(1)} s)`,
  );
}

function multiGroup(ix: QuantizedIndex, d: Dataset): void {
  const start = performance.now();
  for (let i = 0; i < d.count; i++) ix.setGroups(i, [1 + (i % 100)]);
  const moveSeconds = (performance.now() - start) / 1000;
  console.log(
    `\nsetGroups: every item moved from group 0 to one of groups 1..100 in ${moveSeconds.toFixed(1)} s ` +
      `(${Math.round(d.count / moveSeconds)} items/s)`,
  );
  const ten = Array.from({ length: 10 }, (_, g) => 1 + g);
  const hundred = Array.from({ length: 100 }, (_, g) => 1 + g);
  for (const [label, groups] of [['10 groups', ten], ['100 groups', hundred]] as const) {
    const rowsCovered = groups.reduce((s, g) => s + ix.groupSize(g), 0);
    const merged = time(() => ix.search(d.probes[0]!, groups, 10), (q) => ix.search(q, groups, 10));
    const perGroup = time(() => ix.searchByGroup(d.probes[0]!, groups, 10), (q) => ix.searchByGroup(q, groups, 10));
    console.log(`  top-10 over ${label} (${rowsCovered} rows): merged ${merged}; per group (top-10 each) ${perGroup}`);
  }
}

function time(warm: () => unknown, run: (q: Float32Array) => unknown): string {
  warm();
  const latencies = data.probes.map((q) => {
    const start = performance.now();
    run(q);
    return performance.now() - start;
  });
  return percentiles(latencies);
}

function percentiles(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms`;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
