/**
 * Fits the cosine → 0-100 score mapping to Tencent's published meaning and writes
 * src/engine/calibration.json.
 *
 *   npm run fit-calibration -- [--faces DIR] [--embeddings FILE] [--out FILE]
 *
 * Tencent's compare scores (FaceModelVersion 3.0) are 40/50/60 at FAR 1e-3/1e-4/1e-5 and its
 * 10k-gallery search scores 70/80/90 at FAR 1e-2/1e-3/1e-4 per search, i.e. 1e-6/1e-7/1e-8
 * per comparison: one law, score = 10 − 10·log10(FAR per comparison). So we need the impostor
 * cosine at each FAR from 1e-2 to 1e-8. lfw-dev gives ~5.2 M impostor pairs (one embedding
 * per photo, all cross-identity pairs): enough for empirical quantiles down to ~2e-6 (≥ 10
 * pairs above). Below that the tail is extrapolated (see extrapolate()).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../src/engine/engine.ts';
import { analyzeAll, centreFace, lfwPhotos, loadEmbeddings, parseFlags, resolveFacesDir } from './dataset.ts';
import { fractionAtLeast, type Labelled, pairScores, thresholdAtFar } from './metrics.ts';

const flags = parseFlags(process.argv.slice(2));
const here = path.dirname(fileURLToPath(import.meta.url));
const out = flags.get('out') ?? path.join(here, '../src/engine/calibration.json');
/** Fewer impostor pairs than this above a quantile and it is extrapolated instead. */
const MIN_SUPPORT = 10;
const FARS = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8];

async function embeddings(): Promise<{ items: Labelled[]; source: string; model: string }> {
  const dump = flags.get('embeddings');
  if (dump) {
    const { embeddingModel, items } = loadEmbeddings(dump);
    return { items, source: dump, model: embeddingModel };
  }
  const facesDir = resolveFacesDir(flags.get('faces'));
  const photos = lfwPhotos(facesDir);
  const engine = createEngine();
  await engine.ready();
  const results = await analyzeAll(
    engine,
    photos.map((p) => p.file),
    { maxFaceNum: 10, minFaceSize: 20, embeddings: true },
  );
  await engine.close();
  const items = photos.flatMap((p, i) => {
    const f = centreFace(results[i]!);
    return f?.embedding ? [{ label: p.label, embedding: f.embedding }] : [];
  });
  return { items, source: 'lfw-dev (centre face of each photo)', model: engine.embeddingModel };
}

/** Inverse standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function probit(p: number): number {
  const a = [-39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [-0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const q = Math.min(p, 1 - p);
  const r = Math.sqrt(-2 * Math.log(q));
  const x = (((((c[0]! * r + c[1]!) * r + c[2]!) * r + c[3]!) * r + c[4]!) * r + c[5]!) / ((((d[0]! * r + d[1]!) * r + d[2]!) * r + d[3]!) * r + 1);
  if (p < 0.02425) return x;
  if (p > 1 - 0.02425) return -x;
  const s = p - 0.5;
  const t = s * s;
  return ((((((a[0]! * t + a[1]!) * t + a[2]!) * t + a[3]!) * t + a[4]!) * t + a[5]!) * s) / (((((b[0]! * t + b[1]!) * t + b[2]!) * t + b[3]!) * t + b[4]!) * t + 1);
}

/** Least-squares line y = a + b·x. */
function fitLine(xs: number[], ys: number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

/**
 * Tail models fitted on the empirical quantiles from FAR 1e-3 down to the last supported one:
 * a Gaussian tail (cosine linear in the normal quantile z) and an exponential tail (cosine
 * linear in log10 FAR). Real impostor tails are usually heavier than Gaussian, so the higher
 * (more conservative) of the two cosines is used.
 */
function extrapolate(impostorAsc: Float32Array, far: number): { cosine: number; gaussian: number; exponential: number } {
  const grid: number[] = [];
  for (let e = -3; e >= -7; e -= 0.25) {
    const f = 10 ** e;
    if (f * impostorAsc.length >= MIN_SUPPORT) grid.push(f);
  }
  const cos = grid.map((f) => thresholdAtFar(impostorAsc, f));
  const g = fitLine(grid.map((f) => probit(1 - f)), cos);
  const x = fitLine(grid.map((f) => Math.log10(f)), cos);
  const gaussian = g.a + g.b * probit(1 - far);
  const exponential = x.a + x.b * Math.log10(far);
  return { cosine: Math.max(gaussian, exponential), gaussian, exponential };
}

/**
 * Photos that are really someone else: LFW photos with several people where the face we
 * picked is another labelled identity (e.g. Recep_Tayyip_Erdogan/4 shows Abdullah Gul). Their
 * "impostor" pairs are genuine and would dominate the extreme tail. A photo goes when its mean
 * cosine to another identity's photos is ≥ 0.5 (beyond FAR 1e-5 on average over several
 * photos) and above its mean cosine to its own identity's other photos.
 */
function likelyMislabelled(items: Labelled[]): Set<number> {
  const dim = items[0]!.embedding.length;
  const sums = new Map<string, { sum: Float64Array; count: number }>();
  for (const it of items) {
    const e = sums.get(it.label) ?? { sum: new Float64Array(dim), count: 0 };
    for (let k = 0; k < dim; k++) e.sum[k]! += it.embedding[k]!;
    e.count++;
    sums.set(it.label, e);
  }
  const out = new Set<number>();
  items.forEach((it, i) => {
    const meanTo = (label: string): number => {
      const { sum, count } = sums.get(label)!;
      const self = label === it.label;
      if (count - (self ? 1 : 0) === 0) return -Infinity;
      let s = 0;
      for (let k = 0; k < dim; k++) s += (sum[k]! - (self ? it.embedding[k]! : 0)) * it.embedding[k]!;
      return s / (count - (self ? 1 : 0));
    };
    const own = meanTo(it.label);
    for (const label of sums.keys()) {
      if (label === it.label) continue;
      const other = meanTo(label);
      if (other >= 0.5 && other > own) {
        console.log(`dropping photo ${i} labelled ${it.label}: mean cosine ${other.toFixed(3)} to ${label}, ${own.toFixed(3)} to its own label`);
        out.add(i);
        return;
      }
    }
  });
  return out;
}

const scoreForFar = (far: number): number => 10 - 10 * Math.log10(far);
const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;

const all = await embeddings();
const dropped = likelyMislabelled(all.items);
const items = all.items.filter((_, i) => !dropped.has(i));
const { source, model } = all;
const scores = pairScores(items);
const n = scores.impostor.length;
console.log(`${items.length} embeddings, ${scores.genuine.length} genuine and ${n} impostor pairs`);

const quantiles = FARS.map((far) => {
  const support = Math.floor(far * n);
  if (support >= MIN_SUPPORT) {
    const cosine = thresholdAtFar(scores.impostor, far);
    return { far, cosine: round(cosine), method: 'empirical', support, tar: round(fractionAtLeast(scores.genuine, cosine)) };
  }
  const e = extrapolate(scores.impostor, far);
  return {
    far,
    cosine: round(e.cosine),
    method: `extrapolated (max of gaussian ${e.gaussian.toFixed(4)}, exponential ${e.exponential.toFixed(4)})`,
    support,
    tar: round(fractionAtLeast(scores.genuine, e.cosine)),
  };
});
for (let i = 1; i < quantiles.length; i++) {
  if (quantiles[i]!.cosine <= quantiles[i - 1]!.cosine) throw new Error(`quantiles are not increasing at FAR ${quantiles[i]!.far}`);
}

const calibration = {
  description:
    'Impostor cosine at each false-accept rate per comparison, and the score knots built from them: score = 10 - 10*log10(FAR), i.e. 30/40/50/60 at FAR 1e-2..1e-5 (Tencent compare, model 3.0) and 70/80/90 at 1e-6..1e-8 (Tencent search over a 10k gallery). Scores interpolate linearly between knots, from 0 at cosine -1 to 100 at cosine 1. Written by eval/fit-calibration.ts.',
  fittedOn: { source, embeddingModel: model, embeddings: items.length, droppedAsMislabelled: dropped.size, genuinePairs: scores.genuine.length, impostorPairs: n },
  impostorQuantiles: quantiles,
  knots: quantiles.filter((q) => q.far <= 1e-2).map((q) => ({ far: q.far, cosine: q.cosine, score: scoreForFar(q.far), support: q.support })),
};
writeFileSync(out, `${JSON.stringify(calibration, null, 2)}\n`);
for (const q of quantiles) {
  console.log(`FAR ${q.far.toExponential(0)}: cosine ${q.cosine.toFixed(4)} score ${scoreForFar(q.far)} (${q.support} impostor pairs above; ${q.method}; TAR ${(100 * q.tar).toFixed(2)} %)`);
}
console.log(`wrote ${path.relative(process.cwd(), out)}`);
