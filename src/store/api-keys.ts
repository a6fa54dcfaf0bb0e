import type { Db } from './database.ts';

export interface ApiKeyRow {
  secretId: string;
  secretKey: string;
  name: string;
  isRoot: boolean;
  createdAt: number;
  revokedAt: number | null;
}

interface RawKey {
  secret_id: string;
  secret_key: string;
  name: string;
  is_root: number;
  created_at: number;
  revoked_at: number | null;
}

const fromRaw = (r: RawKey): ApiKeyRow => ({
  secretId: r.secret_id,
  secretKey: r.secret_key,
  name: r.name,
  isRoot: r.is_root === 1,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** API key pairs, shared by every protocol adapter. */
export class ApiKeyStore {
  private readonly byId;
  private readonly root;
  private readonly all;
  private readonly insertRow;
  private readonly revokeRow;

  constructor(db: Db) {
    this.byId = db.prepare<[string], RawKey>('SELECT * FROM api_keys WHERE secret_id = ?');
    this.root = db.prepare<[], RawKey>('SELECT * FROM api_keys WHERE is_root = 1 AND revoked_at IS NULL LIMIT 1');
    this.all = db.prepare<[], RawKey>('SELECT * FROM api_keys ORDER BY created_at, secret_id');
    this.insertRow = db.prepare(
      `INSERT INTO api_keys (secret_id, secret_key, name, is_root, created_at)
       VALUES (@secretId, @secretKey, @name, @isRoot, @createdAt)`,
    );
    this.revokeRow = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE secret_id = ? AND revoked_at IS NULL');
  }

  get(secretId: string): ApiKeyRow | undefined {
    const r = this.byId.get(secretId);
    return r && fromRaw(r);
  }

  getRoot(): ApiKeyRow | undefined {
    const r = this.root.get();
    return r && fromRaw(r);
  }

  list(): ApiKeyRow[] {
    return this.all.all().map(fromRaw);
  }

  insert(k: Omit<ApiKeyRow, 'revokedAt'>): void {
    this.insertRow.run({ ...k, isRoot: k.isRoot ? 1 : 0 });
  }

  /** Returns false when the key does not exist or was already revoked. */
  revoke(secretId: string, at: number): boolean {
    return this.revokeRow.run(at, secretId).changes === 1;
  }
}
