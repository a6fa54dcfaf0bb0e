// Shared by the install-time fetcher (plain JS, runs before anything is compiled) and the
// engine's startup check, so both agree on where models live and what "valid" means.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
export const manifestPath = path.join(here, 'models.manifest.json');

/** Where the ONNX files live: `FACEPORT_MODELS_DIR` or `<repo>/models`. */
export function modelsDir() {
  return process.env.FACEPORT_MODELS_DIR ? path.resolve(process.env.FACEPORT_MODELS_DIR) : path.join(repoRoot, 'models');
}

export async function readManifest() {
  return JSON.parse(await readFile(manifestPath, 'utf8'));
}

export function sha256File(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Display form of a model path: relative to the repo when inside it, so messages read `models/x.onnx`. */
export function displayPath(file) {
  const rel = path.relative(repoRoot, file);
  return rel.startsWith('..') ? file : rel;
}

/**
 * What an installed model must be: the prepared file (denormal weights flushed, PRelu
 * rewritten: scripts/onnx-prepare.mjs) the manifest records beside the original's pin.
 */
export function installedSpec(spec) {
  return spec.prepared ?? spec;
}

/**
 * Checks every manifest file in `dir`. Returns one problem string per bad file, empty when all
 * are present with the prepared size and sha256 pinned in the manifest.
 */
export async function checkModels(dir = modelsDir(), manifest) {
  const m = manifest ?? (await readManifest());
  const problems = [];
  for (const [name, spec] of Object.entries(m.files)) {
    const want = installedSpec(spec);
    const file = path.join(dir, name);
    const st = await stat(file).catch(() => null);
    if (!st) problems.push(`${displayPath(file)}: missing`);
    else if (st.size !== want.size) problems.push(`${displayPath(file)}: size ${st.size}, expected ${want.size}`);
    else if ((await sha256File(file)) !== want.sha256) problems.push(`${displayPath(file)}: sha256 mismatch`);
  }
  return problems;
}
