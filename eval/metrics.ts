/** Verification metrics over all genuine and all impostor pairs of a labelled embedding set. */

export interface Labelled {
  label: string;
  embedding: Float32Array;
}

export interface PairScores {
  /** Same-identity cosines, ascending. */
  genuine: Float32Array;
  /** Different-identity cosines, ascending. */
  impostor: Float32Array;
}

/** Cosines of every pair, split by whether the labels match. O(n²·d); ~5 M pairs take seconds. */
export function pairScores(items: readonly Labelled[]): PairScores {
  const n = items.length;
  const dim = items[0]?.embedding.length ?? 0;
  const flat = new Float32Array(n * dim);
  items.forEach((it, i) => flat.set(it.embedding, i * dim));
  const labels = items.map((it) => it.label);
  let genuineCount = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (labels[i] === labels[j]) genuineCount++;
  const genuine = new Float32Array(genuineCount);
  const impostor = new Float32Array((n * (n - 1)) / 2 - genuineCount);
  let g = 0;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const oi = i * dim;
    for (let j = i + 1; j < n; j++) {
      const oj = j * dim;
      let s = 0;
      for (let k = 0; k < dim; k++) s += flat[oi + k]! * flat[oj + k]!;
      if (labels[i] === labels[j]) genuine[g++] = s;
      else impostor[m++] = s;
    }
  }
  return { genuine: genuine.sort(), impostor: impostor.sort() };
}

/** Smallest threshold t with P(impostor ≥ t) ≤ far, i.e. the score at that false-accept rate. */
export function thresholdAtFar(impostorAsc: Float32Array, far: number): number {
  const allowed = Math.floor(far * impostorAsc.length);
  // the `allowed` highest impostors may pass; the threshold sits just above the next one
  const idx = impostorAsc.length - 1 - allowed;
  return idx < 0 ? -Infinity : Math.fround(impostorAsc[idx]!) + 1e-7;
}

/** Fraction of ascending `scores` that are ≥ t. */
export function fractionAtLeast(asc: Float32Array, t: number): number {
  let lo = 0;
  let hi = asc.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (asc[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return (asc.length - lo) / asc.length;
}

/** Area under the ROC curve = P(genuine > impostor), ties counted half. */
export function rocAuc({ genuine, impostor }: PairScores): number {
  let below = 0;
  let j = 0;
  let sum = 0;
  for (let i = 0; i < genuine.length; i++) {
    const g = genuine[i]!;
    while (j < impostor.length && impostor[j]! < g) j++;
    below = j;
    let ties = 0;
    while (j + ties < impostor.length && impostor[j + ties] === g) ties++;
    sum += below + ties / 2;
  }
  return sum / (genuine.length * impostor.length);
}

export interface TarAtFar {
  far: number;
  threshold: number;
  tar: number;
}

export function tarAtFar(p: PairScores, fars: readonly number[]): TarAtFar[] {
  return fars.map((far) => {
    const threshold = thresholdAtFar(p.impostor, far);
    return { far, threshold, tar: fractionAtLeast(p.genuine, threshold) };
  });
}
