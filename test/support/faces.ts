import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './process.ts';

/** The photos the tests use, kept in the repository (see test/fixtures/faces/README.md). */
export const facesDir = join(repoRoot, 'test', 'fixtures', 'faces');

export const photo = (rel: string): Buffer => readFileSync(join(facesDir, rel));
export const photoBase64 = (rel: string): string => photo(rel).toString('base64');
/** The n-th LFW photo of an identity, base64. */
export const lfw = (identity: string, n: number): string => photoBase64(join('lfw-dev', identity, `${n}.jpg`));

/** The fixture identities (sorted by name) that have photos 1.jpg … n.jpg, for tests needing "some people". */
export function identitiesWithPhotos(n: number): string[] {
  const root = join(facesDir, 'lfw-dev');
  return readdirSync(root)
    .sort()
    .filter((id) => Array.from({ length: n }, (_, i) => join(root, id, `${i + 1}.jpg`)).every((f) => existsSync(f)));
}
