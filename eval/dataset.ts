/** The shared photo set and how evaluation scripts run it through the engine. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/engine/engine.ts';
import type { AnalyzedFace, AnalyzeOptions, AnalyzeResult } from '../src/engine/types.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const defaultFacesDir = path.resolve(repoRoot, '../shared/faces');

/**
 * The photo set a script measures on: `--faces DIR`, else ../shared/faces beside the checkout.
 * Without one, exits with a one-line hint rather than a stack trace (the tests' own photos in
 * test/fixtures/faces are far too few for figures).
 */
export function resolveFacesDir(flag: string | undefined): string {
  const dir = path.resolve(flag ?? defaultFacesDir);
  if (!existsSync(path.join(dir, 'lfw-dev'))) {
    console.error(
      `no photo set at ${dir}: pass --faces DIR (a folder with lfw-dev/<Identity>/<n>.jpg, noface/ and multi/, such as ../shared/faces beside the checkout)`,
    );
    process.exit(2);
  }
  return dir;
}

/** `--name value` flags; bare `--name` reads as "true". */
export function parseFlags(argv: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(a.slice(2), 'true');
    else flags.set(a.slice(2), argv[++i]!);
  }
  return flags;
}

export interface Photo {
  label: string;
  file: string;
}

/** lfw-dev photos, identities sorted; `limit` keeps whole identities up to that many photos. */
export function lfwPhotos(facesDir: string, limit = Infinity): Photo[] {
  const root = path.join(facesDir, 'lfw-dev');
  const out: Photo[] = [];
  for (const label of readdirSync(root).sort()) {
    const files = readdirSync(path.join(root, label)).sort();
    if (out.length + files.length > limit) break;
    for (const f of files) out.push({ label, file: path.join(root, label, f) });
  }
  return out;
}

export function folderPhotos(dir: string, limit = Infinity): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(jpe?g|png|bmp)$/i.test(f))
    .sort()
    .slice(0, limit)
    .map((f) => path.join(dir, f));
}

/** Runs every file through the engine, keeping at most `inFlight` requests queued. */
export async function analyzeAll(
  engine: Engine,
  files: string[],
  options: AnalyzeOptions,
  inFlight = 16,
): Promise<AnalyzeResult[]> {
  const results: AnalyzeResult[] = new Array(files.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      results[i] = await engine.analyze(readFileSync(files[i]!), options);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return results;
}

/** The face LFW labels: the one nearest the image centre (the crops are centred on it). */
export function centreFace(r: AnalyzeResult): AnalyzedFace | undefined {
  const d = (f: AnalyzedFace): number => Math.hypot(f.x + f.width / 2 - r.width / 2, f.y + f.height / 2 - r.height / 2);
  return [...r.faces].sort((a, b) => d(a) - d(b))[0];
}

/** Raw little-endian float32 N×dim plus `<file>.json` with labels and source files. */
export function dumpEmbeddings(
  file: string,
  embeddingModel: string,
  items: { label: string; file: string; embedding: Float32Array }[],
): void {
  const dim = items[0]?.embedding.length ?? 0;
  const flat = new Float32Array(items.length * dim);
  items.forEach((it, i) => flat.set(it.embedding, i * dim));
  const bytes = Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) bytes.swap32(); // keep the file little-endian
  writeFileSync(file, bytes);
  writeFileSync(
    `${file}.json`,
    `${JSON.stringify({ count: items.length, dim, dtype: 'float32-le', embeddingModel, labels: items.map((i) => i.label), files: items.map((i) => i.file) }, null, 1)}\n`,
  );
}

/** Reads a dump written by dumpEmbeddings. */
export function loadEmbeddings(file: string): { embeddingModel: string; items: { label: string; embedding: Float32Array }[] } {
  const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { dim: number; labels: string[]; embeddingModel: string };
  const buf = readFileSync(file);
  const flat = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const items = meta.labels.map((label, i) => ({ label, embedding: flat.subarray(i * meta.dim, (i + 1) * meta.dim) }));
  return { embeddingModel: meta.embeddingModel, items };
}
