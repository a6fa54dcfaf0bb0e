// One core's share of the throughput run: loads its own copy of the index from the shared
// gallery, then answers top-10 queries over group 0 until the deadline it is given.
import { parentPort, workerData } from 'node:worker_threads';
import { QuantizedIndex } from '../src/index/index.ts';

interface Input {
  dim: number;
  vectors: Float32Array;
  count: number;
  probes: Float32Array[];
}

const { dim, vectors, count, probes } = workerData as Input;
const index = new QuantizedIndex(dim);
index.load(
  (function* () {
    for (let i = 0; i < count; i++) yield { itemId: i, groupIds: [0], vector: vectors.subarray(i * dim, (i + 1) * dim) };
  })(),
);
parentPort!.postMessage('ready');
parentPort!.once('message', (deadline: number) => {
  let done = 0;
  while (Date.now() < deadline) index.search(probes[done++ % probes.length]!, [0], 10);
  parentPort!.postMessage(done);
});
