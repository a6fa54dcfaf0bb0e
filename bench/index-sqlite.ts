/**
 * Restart from the store, measured with a stand-in for it: one SQLite table of faces with
 * their group and f32 embedding blob (the real schema is the store's; what matters here is
 * reading N x dim x 4 bytes of blobs through better-sqlite3 and loading them). The restart
 * runs in a fresh child process, so its RSS is that of a process holding only the index.
 * Run directly: tsx bench/index-sqlite.ts DB DIM (what the child does).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { QuantizedIndex } from '../src/index/index.ts';
import type { Dataset } from './index-dataset.ts';

export function measureStoreRestart(data: Dataset): void {
  const dir = mkdtempSync(join(tmpdir(), 'faceport-index-bench-'));
  const file = join(dir, 'store.db');
  try {
    const start = performance.now();
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE faces (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL, embedding BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO faces (id, group_id, embedding) VALUES (?, ?, ?)');
    const bytes = new Uint8Array(data.vectors.buffer, data.vectors.byteOffset, data.vectors.byteLength);
    db.transaction(() => {
      for (let i = 0; i < data.count; i++) insert.run(i, 0, bytes.subarray(i * data.dim * 4, (i + 1) * data.dim * 4));
    })();
    db.close();
    const mb = statSync(file).size / 2 ** 20;
    console.log(`\nstore stand-in: ${data.count} rows written in ${((performance.now() - start) / 1000).toFixed(1)} s (${mb.toFixed(0)} MB); restart in a fresh process:`);
    spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), file, String(data.dim)], { stdio: 'inherit' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function restart(file: string, dim: number): void {
  const start = performance.now();
  const db = new Database(file, { readonly: true });
  const index = new QuantizedIndex(dim);
  const select = db.prepare('SELECT id, group_id, embedding FROM faces');
  index.load(
    (function* () {
      for (const row of select.iterate() as Iterable<{ id: number; group_id: number; embedding: Buffer }>) {
        const blob = row.embedding.byteOffset % 4 === 0 ? row.embedding : Buffer.from(row.embedding);
        yield { itemId: row.id, groupIds: [row.group_id], vector: new Float32Array(blob.buffer, blob.byteOffset, dim) };
      }
    })(),
  );
  const seconds = (performance.now() - start) / 1000;
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(`  ready in ${seconds.toFixed(1)} s with ${index.size()} items (open + read + load); process RSS ${rss.toFixed(0)} MB`);
  db.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  restart(process.argv[2]!, Number(process.argv[3]));
}
