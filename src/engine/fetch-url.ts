/**
 * Image download for `Url` inputs, guarded against server-side request forgery: only
 * http/https, every redirect hop re-checked, and the host's DNS answers checked before
 * connecting to exactly the checked address (so a second, different DNS answer cannot slip
 * through). Loopback, private, link-local, unique-local and other non-public ranges are
 * refused unless FACEPORT_URL_ALLOW_PRIVATE=1.
 *
 * Errors: a forbidden scheme, malformed URL or non-public address → image.url_illegal;
 * network failure, too many redirects or a non-2xx status → image.download_failed; timeout →
 * image.download_timeout;
 * a body over `maxBytes` → image.size_exceed.
 */
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { CoreError } from '../core/errors.ts';

export interface FetchOptions {
  /** Whole download including redirects (default FACEPORT_URL_TIMEOUT_MS or 3000). */
  timeoutMs?: number;
  /** Body size cap (default 5 MiB, the cloud's image size limit). */
  maxBytes?: number;
  maxRedirects?: number;
  /** Default: FACEPORT_URL_ALLOW_PRIVATE=1. */
  allowPrivate?: boolean;
}

export const DEFAULT_MAX_IMAGE_BYTES = 5 * 1024 * 1024;
// Alibaba Green documents 3 s per download (code 592 past it); Tencent documents none, and one budget serves both.
const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_MAX_REDIRECTS = 3;

const blocked = new net.BlockList();
for (const [net4, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, including cloud metadata endpoints
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved and broadcast
] as const) {
  blocked.addSubnet(net4, prefix, 'ipv4');
}
for (const [net6, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach any IPv4 address, private ones included
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10],
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net6, prefix, 'ipv6');
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d, also written ::ffff:7f00:1) as its IPv4 address. */
function unmapIpv4(address: string): string | null {
  const m = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function isPublicAddress(address: string): boolean {
  const v4 = net.isIPv4(address) ? address : unmapIpv4(address);
  if (v4) return !blocked.check(v4, 'ipv4');
  return net.isIPv6(address) && !blocked.check(address, 'ipv6');
}

const illegal = (msg: string): CoreError => new CoreError('image.url_illegal', msg);
const failed = (msg: string): CoreError => new CoreError('image.download_failed', msg);
const timedOut = (msg: string): CoreError => new CoreError('image.download_timeout', msg);

interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** `p`, or a rejection once `signal` aborts (dns.lookup itself cannot be cancelled). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function resolveTarget(raw: string, base: URL | undefined, allowPrivate: boolean, signal: AbortSignal): Promise<Target> {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw illegal('image URL is malformed');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw illegal(`image URL scheme ${url.protocol} is not allowed (http or https only)`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw illegal('image URL has no host');
  let addresses: { address: string; family: number }[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await untilAborted(lookup(host, { all: true, verbatim: true }), signal);
    } catch (e) {
      if (signal.aborted) throw timedOut('image download timed out resolving its host');
      throw failed(`cannot resolve ${host}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
  }
  if (!addresses.length) throw failed(`cannot resolve ${host}`);
  if (!allowPrivate) {
    // every answer must be public: otherwise a host with one public and one private record could be used to reach in
    const bad = addresses.find((a) => !isPublicAddress(a.address));
    if (bad) throw illegal(`image URL host ${host} resolves to a non-public address (${bad.address})`);
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

interface Hop {
  status: number;
  location?: string;
  body?: Uint8Array;
}

function request(t: Target, signal: AbortSignal, maxBytes: number): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const mod = t.url.protocol === 'https:' ? https : http;
    const req = mod.get(
      t.url,
      {
        signal,
        headers: { 'user-agent': 'faceport', accept: 'image/*' },
        // connect to the address we checked, whatever a fresh lookup would say; TLS still verifies the hostname
        lookup: (_host, opts, cb) => {
          if ((opts as { all?: boolean }).all) (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: t.address, family: t.family }]);
          else (cb as (e: null, a: string, f: number) => void)(null, t.address, t.family);
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && res.headers.location) {
          res.resume();
          resolve({ status, location: res.headers.location });
          return;
        }
        if (status < 200 || status >= 300) {
          res.resume();
          resolve({ status });
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (declared > maxBytes) {
          res.destroy();
          reject(new CoreError('image.size_exceed', `image download is ${declared} bytes; at most ${maxBytes} allowed`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            res.destroy();
            reject(new CoreError('image.size_exceed', `image download exceeds ${maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status, body: new Uint8Array(Buffer.concat(chunks)) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

export async function fetchImage(raw: string, opts: FetchOptions = {}): Promise<Uint8Array> {
  const allowPrivate = opts.allowPrivate ?? process.env.FACEPORT_URL_ALLOW_PRIVATE === '1';
  const timeoutMs = opts.timeoutMs ?? (Number(process.env.FACEPORT_URL_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_IMAGE_BYTES;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const signal = AbortSignal.timeout(timeoutMs);
  let next = raw;
  let base: URL | undefined;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const target = await resolveTarget(next, base, allowPrivate, signal);
    let res: Hop;
    try {
      res = await request(target, signal, maxBytes);
    } catch (e) {
      if (e instanceof CoreError) throw e;
      if (signal.aborted) throw timedOut(`image download timed out after ${timeoutMs} ms`);
      throw failed(`image download failed: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (res.body) return res.body;
    if (!res.location) throw failed(`image download failed: HTTP ${res.status}`);
    next = res.location;
    base = target.url;
  }
  throw failed(`image download failed: more than ${maxRedirects} redirects`);
}
