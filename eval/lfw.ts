/**
 * Accuracy of the engine on the shared photos (not a test: it prints numbers).
 *
 *   npm run eval -- [--faces DIR] [--limit N] [--dump-embeddings FILE] [--flip] [--threshold T] [--workers N]
 *
 * lfw-dev: detection miss rate, then ROC AUC and TAR at FAR 1e-2/1e-3/1e-4 over all genuine
 * and all impostor pairs, with one embedding per photo: the face nearest the centre (the
 * person LFW labels) and, for comparison, the largest face (what enrolment uses).
 * noface/: false-face rate. multi/: faces found.
 */
import path from 'node:path';
import { createEngine } from '../src/engine/engine.ts';
import type { AnalyzedFace, AnalyzeResult } from '../src/engine/types.ts';
import { analyzeAll, centreFace, dumpEmbeddings, folderPhotos, lfwPhotos, parseFlags, resolveFacesDir } from './dataset.ts';
import { pairScores, rocAuc, tarAtFar } from './metrics.ts';

const flags = parseFlags(process.argv.slice(2));
const facesDir = resolveFacesDir(flags.get('faces'));
const limit = flags.has('limit') ? Number(flags.get('limit')) : Infinity;
const threshold = flags.has('threshold') ? Number(flags.get('threshold')) : undefined;
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;

const engine = createEngine({
  workers: flags.has('workers') ? Number(flags.get('workers')) : undefined,
  flipEmbedding: flags.has('flip') ? flags.get('flip') !== 'false' : undefined,
});
await engine.ready();
console.log(`engine: ${engine.status().workers} workers, embedding model ${engine.embeddingModel}, detect threshold ${threshold ?? 'default'}`);

const photos = lfwPhotos(facesDir, limit);
const t0 = performance.now();
const results = await analyzeAll(
  engine,
  photos.map((p) => p.file),
  { maxFaceNum: 10, minFaceSize: 20, embeddings: true, detectThreshold: threshold },
);
const seconds = (performance.now() - t0) / 1000;
const identities = new Set(photos.map((p) => p.label)).size;
const missed = results.filter((r) => r.faces.length === 0).length;
console.log(`lfw-dev: ${photos.length} photos of ${identities} identities in ${seconds.toFixed(1)} s (${(photos.length / seconds).toFixed(1)} photos/s)`);
console.log(`  detection miss: ${missed} photos (${pct(missed / photos.length)})`);

const pick = (choose: (r: AnalyzeResult) => AnalyzedFace | undefined) =>
  photos.flatMap((p, i) => {
    const f = choose(results[i]!);
    return f?.embedding ? [{ label: p.label, file: p.file, embedding: f.embedding }] : [];
  });
const centre = pick(centreFace);
for (const [name, items] of [
  ['centre face', centre],
  ['largest face', pick((r) => r.faces[0])],
] as const) {
  const scores = pairScores(items);
  const tars = tarAtFar(scores, [1e-2, 1e-3, 1e-4]);
  console.log(
    `  ${name}: ${scores.genuine.length} genuine / ${scores.impostor.length} impostor pairs, ROC AUC ${rocAuc(scores).toFixed(5)}, ` +
      tars.map((t) => `TAR@FAR${t.far.toExponential(0)} ${pct(t.tar)} (cos ${t.threshold.toFixed(3)})`).join(', '),
  );
}

const dump = flags.get('dump-embeddings');
if (dump) {
  dumpEmbeddings(dump, engine.embeddingModel, centre);
  console.log(`  wrote ${centre.length} embeddings to ${dump} (+ ${dump}.json)`);
}

for (const folder of ['noface', 'multi']) {
  const files = folderPhotos(path.join(facesDir, folder), limit);
  const rs = await analyzeAll(engine, files, { maxFaceNum: 120, minFaceSize: 20, detectThreshold: threshold });
  const withFaces = rs.filter((r) => r.faces.length > 0).length;
  const faces = rs.reduce((n, r) => n + r.faces.length, 0);
  if (folder === 'noface') {
    console.log(`noface: false-face rate ${withFaces}/${files.length} photos (${pct(withFaces / files.length)}), ${faces} false faces`);
  } else {
    console.log(`multi: ${faces} faces in ${files.length} photos (${rs.map((r) => r.faces.length).join(' ')})`);
  }
}
await engine.close();
