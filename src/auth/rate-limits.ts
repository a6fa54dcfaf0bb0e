/**
 * Requests per second each key may make of each action, as the clouds enforce per-action
 * QPS quotas: one tenant's app cannot starve another's. Off unless configured.
 */
export interface RateLimitConfig {
  /** for every action not named in `perAction`; undefined: unlimited */
  default?: number;
  /** by action name (Tencent's `CreateGroup`, Alibaba's SDK names such as `AddFaces`) */
  perAction: Readonly<Record<string, number>>;
}

/**
 * Parses `20` or `20,SearchFaces=5,AddFaces=2` (a default, then per-action rates, requests
 * per second); throws with the offending part named.
 */
export function parseRateLimits(raw: string): RateLimitConfig {
  const out: { default?: number; perAction: Record<string, number> } = { perAction: {} };
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(?:([A-Za-z]+)=)?(\d+(?:\.\d+)?)$/.exec(part);
    const rate = m ? Number(m[2]) : NaN;
    if (!m || !(rate > 0)) throw new Error(`FACEPORT_RATE_LIMIT: \`${part}\` is not a rate (n or Action=n, requests per second, n > 0)`);
    if (m[1] === undefined) out.default = rate;
    else out.perAction[m[1]] = rate;
  }
  return out;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key and action: `rate` requests per second sustained, bursts of up to
 * one second's worth. Buckets exist only for authenticated keys, so their number is bounded
 * by keys × actions.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly config: RateLimitConfig) {}

  /** Takes one request from the bucket; false when the key is over the action's rate. */
  take(secretId: string, action: string, now = Date.now()): boolean {
    const rate = this.config.perAction[action] ?? this.config.default;
    if (rate === undefined) return true;
    const id = `${secretId}\n${action}`;
    const b = this.buckets.get(id) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(id, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
