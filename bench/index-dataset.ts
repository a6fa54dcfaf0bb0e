/**
 * The bench's gallery and probes: N synthetic face-like rows (see index-faces.ts), 2-8 faces
 * an identity, plus, with --real, the rows of an embeddings dump (raw little-endian f32 rows
 * of `dim`, labels in FILE.json as { "labels": [identity per row] }). With real rows, the
 * synthetic rows are drawn in the real embeddings' subspace, and the first row of every
 * identity that has two or more is held out as a probe, so each probe's true matches are
 * real faces hidden among N real-like strangers; otherwise probes are fresh synthetic faces
 * of gallery identities.
 */
import { readFileSync } from 'node:fs';
import { FaceLike, normalise, type Identity } from './index-faces.ts';

export interface Dataset {
  readonly dim: number;
  /** Gallery rows, row i = item id i (not shared memory: usearch rejects it). */
  readonly vectors: Float32Array;
  readonly count: number;
  readonly probes: Float32Array[];
  readonly probeSource: string;
}

export function buildDataset(n: number, dim: number, probeCount: number, realFile?: string): Dataset {
  const real = realFile ? readReal(realFile, dim) : undefined;
  const count = n + (real?.gallery.length ?? 0);
  const vectors = new Float32Array(count * dim);
  const gen = new FaceLike(dim, 20240601, real?.all);
  const identities: Identity[] = [];
  for (let row = 0; row < n; ) {
    const identity = gen.identity();
    identities.push(identity);
    for (let f = 2 + gen.int(7); f > 0 && row < n; f--) vectors.set(gen.face(identity), dim * row++);
  }
  real?.gallery.forEach((v, i) => vectors.set(v, dim * (n + i)));
  const probes = real
    ? real.probes
    : Array.from({ length: probeCount }, () => gen.face(identities[gen.int(identities.length)]!));
  const probeSource = real
    ? `${real.probes.length} real probes (held out from ${realFile}), ${real.gallery.length} real rows in the gallery`
    : `${probeCount} synthetic probes (fresh faces of gallery identities)`;
  return { dim, vectors, count, probes, probeSource };
}

function readReal(file: string, dim: number): { all: Float32Array[]; gallery: Float32Array[]; probes: Float32Array[] } {
  const raw = readFileSync(file);
  const { labels } = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { labels: unknown[] };
  const rows = raw.byteLength / (4 * dim);
  if (!Number.isInteger(rows) || rows !== labels.length) {
    throw new Error(`${file}: ${raw.byteLength} bytes is not ${labels.length} rows of ${dim} f32`);
  }
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const perLabel = new Map<string, number>();
  for (const label of labels) perLabel.set(String(label), (perLabel.get(String(label)) ?? 0) + 1);
  const vectors = labels.map((_, row) => normalise(all.slice(row * dim, (row + 1) * dim)));
  const gallery: Float32Array[] = [];
  const probes: Float32Array[] = [];
  const heldOut = new Set<string>();
  labels.forEach((label, row) => {
    const key = String(label);
    if (perLabel.get(key)! >= 2 && !heldOut.has(key)) {
      heldOut.add(key);
      probes.push(vectors[row]!);
    } else gallery.push(vectors[row]!);
  });
  return { all: vectors, gallery, probes };
}
