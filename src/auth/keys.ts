import { randomBytes } from 'node:crypto';
import type { ApiKeyRow, ApiKeyStore } from '../store/api-keys.ts';

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let s = '';
  // 256 % 62 bias is negligible for key material of this length, but avoid it anyway.
  for (let i = 0; s.length < length; i++) {
    const b = i < bytes.length ? bytes[i]! : randomBytes(1)[0]!;
    if (b < 248) s += ALPHANUM[b % 62];
  }
  return s;
}

export interface KeyPair {
  secretId: string;
  secretKey: string;
}

/**
 * The API key pairs every protocol verifies signatures against. The root pair comes from
 * the environment when given (never written to disk), else from the data dir, where one is
 * generated on first start.
 */
export class KeyRing {
  private envRoot: KeyPair | undefined;

  constructor(private readonly store: ApiKeyStore) {}

  /** Returns the root pair and whether it was just generated (so the caller prints it once). */
  ensureRoot(fromEnv?: KeyPair): { key: KeyPair; generated: boolean } {
    if (fromEnv) {
      this.envRoot = fromEnv;
      return { key: fromEnv, generated: false };
    }
    const stored = this.store.getRoot();
    if (stored) return { key: stored, generated: false };
    return { key: this.create('root', true), generated: true };
  }

  create(name = '', isRoot = false): KeyPair {
    const key = { secretId: `AKID${randomToken(32)}`, secretKey: randomToken(32) };
    this.store.insert({ ...key, name, isRoot, createdAt: Date.now() });
    return key;
  }

  list(): ApiKeyRow[] {
    return this.store.list();
  }

  revoke(secretId: string): boolean {
    return this.store.revoke(secretId, Date.now());
  }

  /** Whether the id names a stored key that has been revoked (as opposed to none at all). */
  isRevoked(secretId: string): boolean {
    return (this.store.get(secretId)?.revokedAt ?? null) !== null;
  }

  /** The secret for an active key id, or undefined for unknown and revoked ids. */
  secretFor(secretId: string): string | undefined {
    if (this.envRoot && secretId === this.envRoot.secretId) return this.envRoot.secretKey;
    const k = this.store.get(secretId);
    return k && k.revokedAt === null ? k.secretKey : undefined;
  }
}
