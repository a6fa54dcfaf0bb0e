/**
 * End-to-end 1:N search latency: photo in, candidates out, over HTTP through the official
 * SDK, against a group of N faces. The faces are written straight into the real store
 * (N API enrolments would take hours at 1M) as face-like synthetic embeddings
 * (bench/index-faces.ts: 5 faces per identity, same-identity cosine ≈ 0.65), plus the probe
 * person enrolled through the API from a real photo. The server runs as its own process, and
 * is started three times: on the filled store (no snapshot: the index is built from SQLite),
 * after a graceful stop (from the snapshot saved at shutdown), and after a SIGKILL followed by
 * --changes more faces written to the store (from the snapshot plus a replay of the changes).
 * Latencies are taken on the second start, when no snapshot is being written.
 *
 *   npm run bench:search -- [--faces 10000] [--changes 10000] [--queries 60] [--concurrency 4]
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
    changes: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '60' },
    concurrency: { type: 'string', default: '4' },
  },
});
const total = Number(values.faces);
const FACES_PER_PERSON = 5;

const dataDir = mkdtempSync(join(tmpdir(), 'faceport-search-bench-'));
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const gen = new FaceLike(EMBEDDING_DIM, 7);

/** Writes `count` synthetic faces (5 a person) into the bench group, straight into the store. */
function addFaces(count: number, from: number): void {
  const db = openDatabase(dataDir);
  const groups = new GroupStore(db);
  const persons = new PersonStore(db);
  const faces = new FaceStore(db);
  const now = Date.now();
  const group =
    groups.get('bench') ??
    groups.insert({ groupId: 'bench', name: 'bench', tag: '', modelVersion: '3.0', dialect: 'tencent', exDescriptions: [], createdAt: now, updatedAt: now });
  const BATCH = 10_000;
  for (let done = 0; done < count; ) {
    db.transaction(() => {
      for (const end = Math.min(count, done + BATCH); done < end; ) {
        const identity = gen.identity();
        const id = from + done;
        const p = persons.insert({ personId: `s${id}`, name: `synthetic ${id}`, gender: 0, dialect: 'tencent', createdAt: now, updatedAt: now });
        persons.join(group.id, p.id, [], now);
        for (let f = 0; f < FACES_PER_PERSON && done < end; f++, done++) {
          faces.insert({ person: p.id, model: 'synthetic', embedding: gen.face(identity), box: { x: 0, y: 0, width: 0, height: 0 }, quality: null, createdAt: now, crop: null });
        }
      }
    })();
  }
  db.close();
}

/** Starts the server and times it to healthy. */
async function start() {
  const t = performance.now();
  const child = await serveChild(dataDir, {}, 600_000);
  return { ...child, seconds: (performance.now() - t) / 1000 };
}

try {
  let t = performance.now();
  addFaces(total, 0);
  const fillSeconds = (performance.now() - t) / 1000;

  const cold = await start();
  let server = cold.process;
  try {
    const probe = lfw('Tom_Cruise', 2);
    await iaiClient({ port: cold.port, ...cold.key }, '2020-03-03').CreatePerson({
      GroupId: 'bench',
      PersonId: 'tom',
      PersonName: 'Tom Cruise',
      Image: lfw('Tom_Cruise', 1),
    });
    // A start from the store saves the index in the background; stopping waits for it.
    t = performance.now();
    await stop(server);
    const stopSeconds = (performance.now() - t) / 1000;

    const warm = await start();
    server = warm.process;
    const client = iaiClient({ port: warm.port, ...warm.key }, '2020-03-03');
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

    server.kill('SIGKILL');
    await stop(server);
    const changes = Number(values.changes);
    addFaces(changes, total);
    const replayed = await start();
    server = replayed.process;
    const after = await iaiClient({ port: replayed.port, ...replayed.key }, '2020-03-03').SearchFaces({ GroupIds: ['bench'], Image: probe, MaxPersonNum: 1 });
    if (after.FaceNum !== first.FaceNum + changes || after.Results[0].Candidates[0].PersonId !== 'tom') {
      throw new Error(`the restart lost faces: ${JSON.stringify(after)}`);
    }

    console.log(`SearchFaces end to end over HTTP, one group of ${first.FaceNum} faces (${total} synthetic + 1 enrolled), probe a 150x150 LFW photo`);
    console.log(`  sequential: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p90 ${quantile(latencies, 0.9).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms (${latencies.length} queries)`);
    console.log(`  ${values.concurrency} concurrent clients: ${throughput.toFixed(1)} searches/s`);
    console.log(`  store fill ${fillSeconds.toFixed(1)} s; start to healthy (models load beside the index):`);
    console.log(`    first start, index built from the store      ${cold.seconds.toFixed(1)} s`);
    console.log(`    graceful stop (waits for the snapshot save)   ${stopSeconds.toFixed(1)} s`);
    console.log(`    restart from the snapshot                    ${warm.seconds.toFixed(1)} s`);
    console.log(`    restart after SIGKILL + ${changes} faces written since: snapshot + replay  ${replayed.seconds.toFixed(1)} s`);
  } finally {
    await stop(server);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
