/**
 * Open-set identification accuracy through the official Tencent SDK against a real server:
 * enrol one photo of most lfw-dev identities, probe with every other photo of them (mated)
 * and with every photo of identities held out of the gallery (non-mated), then print rank-1
 * identification rate and FNIR at FPIR 1 % and 10 %, plus what Tencent's documented score
 * thresholds (70/80/90) give on this gallery.
 *
 *   npm run eval:search -- [--faces ../shared/faces] [--holdout 0.2] [--concurrency 4] [--limit N] [--show-misses]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../test/support/server.ts';
import { iaiClient } from '../test/support/tencent-sdk.ts';
import { resolveFacesDir } from './dataset.ts';

const { values } = parseArgs({
  options: {
    faces: { type: 'string' },
    holdout: { type: 'string', default: '0.2' },
    concurrency: { type: 'string', default: '4' },
    limit: { type: 'string' },
    'show-misses': { type: 'boolean', default: false },
  },
});

const lfwDir = join(resolveFacesDir(values.faces), 'lfw-dev');
let identities = readdirSync(lfwDir).sort();
if (values.limit) identities = identities.slice(0, Number(values.limit));
const photosOf = (id: string) => readdirSync(join(lfwDir, id)).sort((a, b) => parseInt(a) - parseInt(b));
const b64 = (id: string, f: string) => readFileSync(join(lfwDir, id, f)).toString('base64');

// Deterministic split: every k-th identity (by sorted name) is never enrolled.
const every = Math.round(1 / Number(values.holdout));
const heldOut = new Set(identities.filter((_, i) => i % every === every - 1));
const enrolled = identities.filter((id) => !heldOut.has(id));

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

const server = await startServer({ FACEPORT_LOG_LEVEL: 'error', FACEPORT_VALIDATE_RESPONSES: '0' });
const started = performance.now();
try {
  const client = iaiClient(server, '2020-03-03');
  await client.CreateGroup({ GroupId: 'lfw', GroupName: 'lfw-dev gallery' });
  const gallery = new Set<string>();
  let enrolFailures = 0;
  await pool(enrolled, Number(values.concurrency), async (id) => {
    try {
      await client.CreatePerson({ GroupId: 'lfw', PersonId: id.replace(/[^A-Za-z0-9_-]/g, '_'), PersonName: id.slice(0, 60), Image: b64(id, photosOf(id)[0]!) });
      gallery.add(id);
    } catch {
      enrolFailures++;
    }
  });
  const enrolSeconds = (performance.now() - started) / 1000;

  interface Probe { identity: string; mated: boolean; top?: { id: string; score: number }; noFace: boolean }
  const probes: Probe[] = [];
  for (const id of identities) {
    const files = photosOf(id);
    if (heldOut.has(id)) files.forEach((f) => probes.push({ identity: `${id}/${f}`, mated: false, noFace: false }));
    else if (gallery.has(id)) files.slice(1).forEach((f) => probes.push({ identity: `${id}/${f}`, mated: true, noFace: false }));
  }
  const searchStart = performance.now();
  await pool(probes, Number(values.concurrency), async (p) => {
    const [id, f] = p.identity.split('/') as [string, string];
    try {
      const r = await client.SearchFaces({ GroupIds: ['lfw'], Image: b64(id, f), MaxPersonNum: 1 });
      const c = r.Results[0]?.Candidates[0];
      if (c) p.top = { id: c.PersonId, score: c.Score };
    } catch (e) {
      if ((e as { code?: string }).code !== 'InvalidParameterValue.NoFaceInPhoto') throw e;
      p.noFace = true;
    }
  });
  const searchSeconds = (performance.now() - searchStart) / 1000;

  const mated = probes.filter((p) => p.mated);
  const nonMated = probes.filter((p) => !p.mated);
  const key = (p: Probe) => p.identity.split('/')[0]!.replace(/[^A-Za-z0-9_-]/g, '_');
  const hit = (p: Probe) => p.top?.id === key(p);
  const rank1 = mated.filter(hit).length / mated.length;
  // A non-mated probe is a false positive at threshold t when its best candidate scores ≥ t.
  const fpir = (t: number) => nonMated.filter((p) => (p.top?.score ?? -1) >= t).length / nonMated.length;
  const fnir = (t: number) => mated.filter((p) => !(hit(p) && p.top!.score >= t)).length / mated.length;
  const nonMatedScores = nonMated.map((p) => p.top?.score ?? -1).sort((a, b) => b - a);
  const thresholdAt = (rate: number) => {
    // the lowest threshold whose FPIR is at most `rate`
    const allowed = Math.floor(rate * nonMated.length);
    return (nonMatedScores[allowed] ?? -1) + 1e-9;
  };
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

  console.log(`lfw-dev open-set search through the Tencent SDK (SearchFaces, MaxPersonNum 1)`);
  console.log(`  gallery: ${gallery.size} identities enrolled (${enrolFailures} enrolments failed), ${heldOut.size} identities held out`);
  console.log(`  probes:  ${mated.length} mated, ${nonMated.length} non-mated; no face found in ${probes.filter((p) => p.noFace).length}`);
  console.log(`  rank-1 identification rate: ${pct(rank1)}`);
  for (const rate of [0.01, 0.1]) {
    const t = thresholdAt(rate);
    console.log(`  FNIR @ FPIR ${pct(rate)}: ${pct(fnir(t))}  (score threshold ${t.toFixed(2)}, FPIR there ${pct(fpir(t))})`);
  }
  for (const t of [60, 70, 80, 90]) console.log(`  at Score ≥ ${t}: FPIR ${pct(fpir(t))}, FNIR ${pct(fnir(t))}`);
  if (values['show-misses']) {
    for (const p of mated.filter((x) => !hit(x))) console.log(`  miss: ${p.identity} → ${p.top ? `${p.top.id} (${p.top.score})` : 'no face'}`);
  }
  console.log(`  time: enrol ${enrolSeconds.toFixed(1)} s (${(gallery.size / enrolSeconds).toFixed(1)}/s), search ${searchSeconds.toFixed(1)} s (${(probes.length / searchSeconds).toFixed(1)}/s)`);
} finally {
  await server.close();
}
