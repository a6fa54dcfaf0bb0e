import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** TC3-HMAC-SHA256, Tencent Cloud API 3.0 request signing (spec §5.3). */
export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Allowed clock difference between client and server, seconds. */
export const TIMESTAMP_WINDOW_S = 300;

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, msg: string): Buffer => createHmac('sha256', key).update(msg, 'utf8').digest();

export interface CanonicalInput {
  method: string;
  /** raw query string without '?', exactly as sent ('' for POST) */
  query: string;
  /** lower-case header name → value as sent (the SDKs do not lower-case values), signed headers only */
  headers: Readonly<Record<string, string>>;
  signedHeaders: readonly string[];
  /** the raw body bytes, or the literal UNSIGNED-PAYLOAD marker's own hash input */
  payload: string | Buffer;
}

export function canonicalRequest(c: CanonicalInput): string {
  const names = [...c.signedHeaders].sort();
  const canonicalHeaders = names.map((n) => `${n}:${(c.headers[n] ?? '').trim()}\n`).join('');
  return [c.method.toUpperCase(), '/', c.query, canonicalHeaders, names.join(';'), sha256Hex(c.payload)].join('\n');
}

/** UTC date (YYYY-MM-DD) of a Unix timestamp in seconds: the date of the credential scope. */
export const scopeDate = (timestamp: number): string => new Date(timestamp * 1000).toISOString().slice(0, 10);

export function stringToSign(timestamp: number, scope: string, canonical: string): string {
  return [TC3_ALGORITHM, String(timestamp), scope, sha256Hex(canonical)].join('\n');
}

export function signature(secretKey: string, date: string, service: string, toSign: string): string {
  const kDate = hmac(`TC3${secretKey}`, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(toSign, 'utf8').digest('hex');
}

export interface Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTH_RE =
  /^TC3-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([^/\s,]+)\/tc3_request\s*,\s*SignedHeaders=([a-z0-9;\-_]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/i;

/** Parses an Authorization header; undefined when it is not a well-formed TC3 header. */
export function parseAuthorization(header: string): Authorization | undefined {
  const m = AUTH_RE.exec(header);
  if (!m) return undefined;
  return {
    secretId: m[1]!,
    date: m[2]!,
    service: m[3]!,
    signedHeaders: m[4]!.toLowerCase().split(';').filter(Boolean),
    signature: m[5]!.toLowerCase(),
  };
}

export function signaturesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}
