import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './process.ts';

/** The shared photo set beside the checkout (see ../shared/faces/README.md). */
export const facesDir = join(repoRoot, '..', 'shared', 'faces');

export const photo = (rel: string): Buffer => readFileSync(join(facesDir, rel));
export const photoBase64 = (rel: string): string => photo(rel).toString('base64');
/** The n-th LFW photo of an identity, base64. */
export const lfw = (identity: string, n: number): string => photoBase64(join('lfw-dev', identity, `${n}.jpg`));
