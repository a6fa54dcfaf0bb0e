import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { facesDir } from '../../support/faces.ts';

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));

test('every test photo is listed in SOURCES.tsv with its source and the sha1 of its bytes', () => {
  const [header, ...lines] = readFileSync(join(facesDir, 'SOURCES.tsv'), 'utf8').trimEnd().split('\n');
  assert.equal(header, 'file\tsource_repo\tsource_commit\tsource_path\tsource_license\tsha1');
  const listed = new Map(lines.map((l) => l.split('\t')).map((c) => [c[0]!, c]));
  const photos = walk(facesDir)
    .map((f) => relative(facesDir, f))
    .filter((f) => f !== 'SOURCES.tsv' && f !== 'README.md')
    .sort();
  assert.deepEqual(photos, [...listed.keys()].sort(), 'the files and SOURCES.tsv agree');
  for (const f of photos) {
    const [, repo, commit, path, licence, sha1] = listed.get(f)!;
    assert.ok(repo && /^[0-9a-f]{40}$/.test(commit!) && path && licence, `${f}: source given`);
    assert.equal(createHash('sha1').update(readFileSync(join(facesDir, f))).digest('hex'), sha1, f);
  }
});
