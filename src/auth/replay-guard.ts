import { createHash } from 'node:crypto';
import type { FirstUse } from '../store/used-signatures.ts';

/** Where used signatures are kept (the store's `used_signatures`). */
export interface SignatureLedger {
  claim(token: Buffer, binding: string, expiresAt: number, now: number): FirstUse | undefined;
  prune(now: number): number;
}

/** Expired tokens are deleted at most this often, in one indexed range delete. */
const PRUNE_EVERY_MS = 10_000;

/**
 * Remembers each signature a protocol accepted, with what it was used for, until the
 * signature could no longer pass the protocol's time window anyway. Alibaba: a nonce is
 * used once. Tencent TC3: a signature covers neither action nor version when the client
 * signs only content-type and host, so it is bound to the first action it was used for.
 */
export class ReplayGuard {
  private prunedAt = 0;

  constructor(private readonly ledger: SignatureLedger) {}

  /**
   * Records the first use of `id` (a nonce, a signature) in `scope` for `binding`, until
   * `expiresAt`; returns that first use when there was one before.
   */
  firstUse(scope: string, id: string, binding: string, expiresAt: number, now = Date.now()): FirstUse | undefined {
    if (now - this.prunedAt >= PRUNE_EVERY_MS) {
      this.ledger.prune(now);
      this.prunedAt = now;
    }
    // Hashed: the table holds fixed-size keys whatever a client sends as its nonce.
    const token = createHash('sha256').update(scope).update('\n').update(id).digest();
    return this.ledger.claim(token, binding, expiresAt, now);
  }
}
