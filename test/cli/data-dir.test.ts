import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { repoRoot, run } from '../support/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'faceport-datadir-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One line naming the path, what is wrong and what to do; no stack trace; a non-zero exit. */
function assertOneLine(r: { code: number; stderr: string }, path: string, what: RegExp): void {
  assert.notEqual(r.code, 0);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^faceport: /);
  assert.ok(lines[0]!.includes(path), lines[0]);
  assert.match(lines[0]!, what);
  assert.match(lines[0]!, /--data-dir/);
}

test('serve and keys on a data dir that is a file say so in one line and exit 1', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  assertOneLine(await run(['serve', '--port', '0'], { FACEPORT_DATA_DIR: file }), file, /is a file, not a folder/);
  assertOneLine(await run(['keys', 'list', '--data-dir', file], {}), file, /is a file, not a folder/);
  assertOneLine(await run(['keys', 'list', '--data-dir', join(file, 'sub')], {}), join(file, 'sub'), /cannot create the data dir/);
});

// A read-only and a full file system, mounted in a mount namespace of the test's own: needs root
// and unshare(1), as CI has; elsewhere these two cases are skipped, saying why.
const canMount = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;

function serveOnMount(options: string): { code: number; stderr: string } {
  const mnt = mkdtempSync(join(dir, 'mnt-'));
  const script = `mount -t tmpfs -o ${options} tmpfs "$1" && cd "$2" && exec "$3" --import tsx src/cli.ts serve --port 0 --data-dir "$1"`;
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', mnt, repoRoot, process.execPath], {
    encoding: 'utf8',
    env: { ...process.env, FACEPORT_LOG_LEVEL: 'warn' },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stderr: r.stderr.replace(/^npm warn.*\n/gm, '') };
}

test('serve on a read-only file system says the data dir is not writable', { skip: !canMount && 'needs root and unshare' }, () => {
  const r = serveOnMount('ro,size=1m');
  assertOneLine(r, 'mnt-', /is not writable \(EROFS\)/);
});

test('serve on a full file system says the disk is full', { skip: !canMount && 'needs root and unshare' }, () => {
  const r = serveOnMount('size=32k');
  assertOneLine(r, 'mnt-', /is full/);
});
