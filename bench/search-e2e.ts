/**
 * End-to-end 1:N search latency: photo in, candidates out, over HTTP through the official
 * SDK, against a group of N faces. The faces are written straight into the real store
 * (N API enrolments would take hours at 1M) as face-like synthetic embeddings
 * (bench/index-faces.ts: 5 faces per identity, same-identity cosine ≈ 0.65), plus the probe
 * person enrolled through the API from a real photo. The server runs as its own process, so
 * the figures include its restart: loading N faces from SQLite into the index.
 *
 *   npm run bench:search -- [--faces 10000] [--queries 60] [--concurrency 4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FaceLike } from './index-faces.ts';
import { EMBEDDING_DIM } from '../src/core/library.ts';
import { openDatabase } from '../src/store/database.ts';
import { FaceStore } from '../src/store/faces.ts';
import { GroupStore } from '../src/store/groups.ts';
import { PersonStore } from '../src/store/persons.ts';
import { lfw } from '../test/support/faces.ts';
import { serveChild, stop } from '../test/support/process.ts';
import { iaiClient } from '../test/support/tencent-sdk.ts';

const { values } = parseArgs({
  options: {
    faces: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '4' },
  },
});
const total = Number(values.faces);
const FACES_PER_PERSON = 5;

const dataDir = mkdtempSync(join(tmpdir(), 'faceport-search-bench-'));
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

try {
  let t = performance.now();
  const db = openDatabase(dataDir);
  const groups = new GroupStore(db);
  const persons = new PersonStore(db);
  const faces = new FaceStore(db);
  const gen = new FaceLike(EMBEDDING_DIM, 7);
  const now = Date.now();
  const group = groups.insert({ groupId: 'bench', name: 'bench', tag: '', modelVersion: '3.0', dialect: 'tencent', exDescriptions: [], createdAt: now, updatedAt: now });
  const BATCH = 10_000;
  for (let done = 0; done < total; ) {
    db.transaction(() => {
      for (const end = Math.min(total, done + BATCH); done < end; ) {
        const identity = gen.identity();
        const p = persons.insert({ personId: `s${done}`, name: `synthetic ${done}`, gender: 0, dialect: 'tencent', createdAt: now, updatedAt: now });
        persons.join(group.id, p.id, [], now);
        for (let f = 0; f < FACES_PER_PERSON && done < end; f++, done++) {
          faces.insert({ person: p.id, model: 'synthetic', embedding: gen.face(identity), box: { x: 0, y: 0, width: 0, height: 0 }, quality: null, createdAt: now, crop: null });
        }
      }
    })();
  }
  db.close();
  const fillSeconds = (performance.now() - t) / 1000;

  t = performance.now();
  const { process: server, port, key } = await serveChild(dataDir, {}, 600_000);
  try {
    const readySeconds = (performance.now() - t) / 1000;
    const client = iaiClient({ port, ...key }, '2020-03-03');
    await client.CreatePerson({ GroupId: 'bench', PersonId: 'tom', PersonName: 'Tom Cruise', Image: lfw('Tom_Cruise', 1) });
    const probe = lfw('Tom_Cruise', 2);
    const search = () => client.SearchFaces({ GroupIds: ['bench'], Image: probe, MaxPersonNum: 5 });
    const first = await search();
    if (first.Results[0].Candidates[0].PersonId !== 'tom') throw new Error(`probe not found: ${JSON.stringify(first.Results[0])}`);
    for (let i = 0; i < 5; i++) await search(); // warm-up

    const latencies: number[] = [];
    for (let i = 0; i < Number(values.queries); i++) {
      const s = performance.now();
      await search();
      latencies.push(performance.now() - s);
    }
    const n = Number(values.queries) * 2;
    let sent = 0;
    const s = performance.now();
    await Promise.all(
      Array.from({ length: Number(values.concurrency) }, async () => {
        while (sent++ < n) await search();
      }),
    );
    const throughput = n / ((performance.now() - s) / 1000);

    console.log(`SearchFaces end to end over HTTP, one group of ${first.FaceNum} faces (${total} synthetic + 1 enrolled), probe a 150x150 LFW photo`);
    console.log(`  store fill ${fillSeconds.toFixed(1)} s; server start to healthy (models + index load) ${readySeconds.toFixed(1)} s`);
    console.log(`  sequential: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p90 ${quantile(latencies, 0.9).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms (${latencies.length} queries)`);
    console.log(`  ${values.concurrency} concurrent clients: ${throughput.toFixed(1)} searches/s`);
  } finally {
    await stop(server);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
