import { accessSync, constants, existsSync, mkdirSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from './migrations.ts';

export type Db = Database.Database;

export const DATABASE_FILE = 'faceport.db';

/**
 * How far a commit must get before it returns: `full` survives power loss (an fsync per
 * commit), `crash` survives the process being killed (WAL written, not yet synced).
 */
export type Durability = 'full' | 'crash';

/**
 * Opens (creating if needed) the library database in the data dir and brings its schema
 * up to date. WAL lets the CLI read and write keys while a server holds the file open;
 * synchronous=FULL makes every acknowledged commit survive power loss, not just a crash.
 */
export function openDatabase(dataDir: string, durability: Durability = 'full'): Db {
  try {
    return open(dataDir, durability);
  } catch (e) {
    throw explainOpenFailure(dataDir, e as Error & { code?: string });
  }
}

const FIX = 'or point --data-dir (FACEPORT_DATA_DIR) at another folder';
/** Below this much free space the store can be taken to have failed for want of room. */
const NEARLY_FULL_BYTES = 4 * 1024 * 1024;

/** Why the library cannot be opened, as a user can act on it: which path, what is wrong, how to fix it. */
function explainOpenFailure(dataDir: string, e: Error & { code?: string }): Error {
  const code = e.code ?? 'error';
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    return new Error(`the data dir ${dataDir} is a file, not a folder: move the file away ${FIX}.`);
  }
  if (!existsSync(dataDir)) return new Error(`cannot create the data dir ${dataDir} (${e.message}): create it ${FIX}.`);
  try {
    accessSync(dataDir, constants.W_OK);
  } catch (w) {
    const why = (w as { code?: string }).code ?? 'not writable';
    return new Error(`the data dir ${dataDir} is not writable (${why}): make it writable by this user ${FIX}.`);
  }
  const fs = statfsSync(dataDir);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || fs.bavail * fs.bsize < NEARLY_FULL_BYTES) {
    return new Error(`the disk holding the data dir ${dataDir} is full (${code}): free some space ${FIX}.`);
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new Error(
      `${join(dataDir, DATABASE_FILE)} is not a readable faceport library (${code}): restore it from a backup ${FIX}.`,
    );
  }
  return e;
}

function open(dataDir: string, durability: Durability): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(join(dataDir, DATABASE_FILE));
  // A face row carries a 2 KB embedding: on 4 KB pages only one fits per page. 16 KB pages hold
  // seven, so a large library is about half the size on disk and loads faster at start-up.
  // Only a new, empty database takes the setting; an existing one keeps its page size.
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this faceport (${migrations.length}); upgrade faceport`,
    );
  }
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
