import type { Db } from './database.ts';

/** How a token was first used: for what, and when (ms). */
export interface FirstUse {
  binding: string;
  usedAt: number;
}

/**
 * Signature tokens in use until they expire, each with what it was used for. Written on a
 * connection of its own with `crash` durability: a commit per signed request must not cost
 * an fsync, and what a replay needs is that a killed server still has the token.
 */
export class UsedSignatureStore {
  private readonly find;
  private readonly put;
  private readonly expire;

  constructor(db: Db) {
    this.find = db.prepare<[Buffer, number], FirstUse>(
      'SELECT binding, used_at AS usedAt FROM used_signatures WHERE token = ? AND expires_at > ?',
    );
    this.put = db.prepare<[Buffer, string, number, number]>(
      'INSERT OR REPLACE INTO used_signatures (token, binding, used_at, expires_at) VALUES (?, ?, ?, ?)',
    );
    this.expire = db.prepare<[number]>('DELETE FROM used_signatures WHERE expires_at <= ?');
  }

  /** The first use of a token still in force, or undefined after recording this one as it until `expiresAt`. */
  claim(token: Buffer, binding: string, expiresAt: number, now: number): FirstUse | undefined {
    const used = this.find.get(token, now);
    if (used) return used;
    this.put.run(token, binding, now, expiresAt);
    return undefined;
  }

  /** Forgets the tokens expired by `now`; returns how many. */
  prune(now: number): number {
    return this.expire.run(now).changes;
  }
}
