/**
 * Image download for `Url` inputs, guarded against server-side request forgery: only
 * http/https, every redirect hop re-checked, and the host's DNS answers checked before
 * connecting to exactly the checked address (so a second, different DNS answer cannot slip
 * through). Loopback, private, link-local, unique-local and other non-public ranges are
 * refused unless FACEPORT_URL_ALLOW_PRIVATE=1, and so are IPv6 addresses that lead to one of
 * them through an embedded IPv4 address (see isPublicAddress).
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
  /** Whole download including redirects (default 3000; the server passes FACEPORT_URL_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Body size cap (default 5 MiB, the cloud's image size limit). */
  maxBytes?: number;
  maxRedirects?: number;
  /** Default false; the server passes FACEPORT_URL_ALLOW_PRIVATE. */
  allowPrivate?: boolean;
}

export const DEFAULT_MAX_IMAGE_BYTES = 5 * 1024 * 1024;
// Alibaba Green documents 3 s per download (code 592 past it); Tencent documents none, and one budget serves both.
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 3000;
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
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10],
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net6, prefix, 'ipv6');
}

/** 16 bytes of an IPv6 address in any textual form (compressed, dotted-quad tail, zone id, any case); null if it is not one. */
export function parseIpv6(text: string): Uint8Array | null {
  const address = text.replace(/%[^%]*$/, ''); // a zone id names an interface, not a destination
  if (!net.isIPv6(address)) return null;
  let groups: number[];
  const toGroups = (part: string): number[] => {
    if (!part) return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const q = g.split('.').map(Number);
        out.push((q[0]! << 8) | q[1]!, (q[2]! << 8) | q[3]!);
      } else {
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const halves = address.split('::');
  if (halves.length === 2) {
    const head = toGroups(halves[0]!);
    const tail = toGroups(halves[1]!);
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    groups = toGroups(address);
  }
  if (groups.length !== 8 || groups.some((g) => !(g >= 0 && g <= 0xffff))) return null;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

const dotted = (b: Uint8Array, at: number): string => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const zeros = (b: Uint8Array, from: number, to: number): boolean => b.subarray(from, to).every((x) => x === 0);
const isFfff = (b: Uint8Array, at: number): boolean => b[at] === 0xff && b[at + 1] === 0xff;

type Ipv6Verdict = { ipv4: string } | { refuse: string } | null;

/**
 * IPv6 forms that carry an IPv4 destination. Such an address reaches, through the kernel or a
 * translator or relay on the path, the IPv4 host it embeds, so it is judged as that host;
 * where the embedded address cannot be known (or trusted) the address is refused.
 */
function embeddedIpv4(b: Uint8Array): Ipv6Verdict {
  // ::ffff:a.b.c.d, IPv4-mapped (RFC 4291)
  if (zeros(b, 0, 10) && isFfff(b, 10)) return { ipv4: dotted(b, 12) };
  // ::ffff:0:a.b.c.d, IPv4-translated (RFC 2765)
  if (zeros(b, 0, 8) && isFfff(b, 8) && zeros(b, 10, 12)) return { ipv4: dotted(b, 12) };
  // ::a.b.c.d, IPv4-compatible (deprecated by RFC 4291; :: and ::1 land in 0.0.0.0/8 and are refused)
  if (zeros(b, 0, 12)) return { ipv4: dotted(b, 12) };
  // 64:ff9b::/32: the well-known NAT64 prefix 64:ff9b::/96 (RFC 6052) embeds the destination
  // in the last 32 bits; the local-use 64:ff9b:1::/48 (RFC 8215) puts it wherever the
  // operator's translator says, and the rest of the /32 is unassigned
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    if (zeros(b, 4, 12)) return { ipv4: dotted(b, 12) };
    return { refuse: 'NAT64 local-use or reserved prefix' };
  }
  // 2002::/16, 6to4 (RFC 3056): the relay's IPv4 address is bits 16-48
  if (b[0] === 0x20 && b[1] === 0x02) return { ipv4: dotted(b, 2) };
  // 2001::/32, Teredo (RFC 4380): the client address is obfuscated and the server is whatever the sender chose
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x00 && b[3] === 0x00) return { refuse: 'Teredo' };
  return null;
}

/**
 * Whether an image may be fetched from `address` (an IPv4 or IPv6 literal, as DNS answers
 * them): false for loopback, private, link-local, reserved and multicast ranges, for IPv6
 * addresses that embed such an IPv4 address (mapped, translated, compatible, NAT64, 6to4)
 * and for tunnels whose IPv4 end cannot be checked (Teredo, local-use NAT64), and for
 * anything that is not an address.
 */
export function isPublicAddress(address: string): boolean {
  if (net.isIPv4(address)) return !blocked.check(address, 'ipv4');
  const bytes = parseIpv6(address);
  if (!bytes) return false;
  const embedded = embeddedIpv4(bytes);
  if (embedded) return 'ipv4' in embedded && !blocked.check(embedded.ipv4, 'ipv4');
  return !blocked.check(address.replace(/%[^%]*$/, ''), 'ipv6');
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
  const allowPrivate = opts.allowPrivate ?? false;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
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
