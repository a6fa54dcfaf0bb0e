import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Alibaba Cloud ROA request signing: HMAC-SHA1, signature version 1.0 (spec §3). */
export const SIGNATURE_METHOD = 'HMAC-SHA1';
export const SIGNATURE_VERSION = '1.0';

export const contentMd5 = (body: Buffer | string): string => createHash('md5').update(body).digest('base64');

// pop-core folds tabs and line breaks into spaces and trims x-acs-* values before signing.
const fold = (value: string): string => value.replace(/[\t\n\r\f]/g, ' ').trim();

export interface SignedParts {
  method: string;
  accept: string;
  contentMd5: string;
  contentType: string;
  date: string;
  /** every x-acs-* header, by lower-case name */
  acsHeaders: Readonly<Record<string, string>>;
  path: string;
  /** the query's decoded key/value pairs, in arrival order */
  query: readonly (readonly [string, string])[];
  /** how a key with an empty value is signed (default `k=`) */
  emptyValue?: EmptyValueStyle;
}

/** pop-core signs a key with an empty value as `k=`; the Java, Go, PHP and Python cores as `k`. */
export type EmptyValueStyle = 'k=' | 'k';

/**
 * The path and the query with keys sorted and values not URL-encoded. A key given twice is
 * signed once with its values joined by commas, as pop-core stringifies an array value.
 */
export function canonicalResource(path: string, query: SignedParts['query'], emptyValue: EmptyValueStyle = 'k='): string {
  if (query.length === 0) return path;
  const byKey = new Map<string, string[]>();
  for (const [k, v] of query) byKey.set(k, [...(byKey.get(k) ?? []), v]);
  const keys = [...byKey.keys()].sort();
  const pair = (k: string) => {
    const v = byKey.get(k)!.join(',');
    return v === '' && emptyValue === 'k' ? k : `${k}=${v}`;
  };
  return `${path}?${keys.map(pair).join('&')}`;
}

export function stringToSign(p: SignedParts): string {
  const headers = Object.keys(p.acsHeaders)
    .sort()
    .map((name) => `${name}:${fold(p.acsHeaders[name]!)}\n`)
    .join('');
  return `${p.method}\n${p.accept}\n${p.contentMd5}\n${p.contentType}\n${p.date}\n${headers}${canonicalResource(p.path, p.query, p.emptyValue)}`;
}

export const signature = (accessKeySecret: string, toSign: string): string =>
  createHmac('sha1', accessKeySecret).update(toSign, 'utf8').digest('base64');

export function signaturesEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}
