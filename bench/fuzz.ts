/**
 * A bounded storm of malformed and hostile requests against a real `faceport serve` child on
 * 127.0.0.1, both APIs, while /healthz is polled every 50 ms. It prints how many requests of
 * each shape were sent and what the server answered that it should not have: answers outside
 * the protocols' envelopes, error codes that neither the README nor the spec lists, HTTP 5xx,
 * crashes, unanswered requests, slow health checks and the server's memory before and after.
 *
 *   npm run fuzz -- [--requests 5000] [--concurrency 32] [--seconds 120] [--seed 1]
 *
 * Every request goes to 127.0.0.1. Image URLs are sent only when the server would refuse to
 * fetch them (private, loopback and tunnel addresses, other schemes, malformed URLs): a URL
 * it would fetch is listed under "not sent" instead, so the server never connects out either.
 * The server runs with FACEPORT_VALIDATE_RESPONSES=1 unless the environment says otherwise, so
 * an answer that breaks its own schema shows up as an InternalError.
 *
 * Exit code 1 when the server crashed or answered any HTTP 5xx; 2 when the run itself failed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import { contentMd5, signature as acsSignature, stringToSign as acsStringToSign } from '../src/alibaba/signature.ts';
import { canonicalRequest, scopeDate, signature as tc3Signature, stringToSign as tc3StringToSign, UNSIGNED_PAYLOAD } from '../src/tencent/signature.ts';
import { isV1Method, v1Signature, v1StringToSign } from '../src/tencent/signature-v1.ts';
import { freePort, repoRoot } from '../test/support/process.ts';

// ───────────────────────────── the target ─────────────────────────────

/** The server under test; cases read it when they build their bytes. */
export const target = { port: 0, id: 'AKIDfuzzroot', key: 'fuzz-root-secret-0123456789' };
const HOST = (): string => `127.0.0.1:${target.port}`;

const EMPTY = Buffer.alloc(0);
const buf = (b: Buffer | string): Buffer => (typeof b === 'string' ? Buffer.from(b, 'utf8') : b);
const json = (v: unknown): string => JSON.stringify(v);
const nowS = (): number => Math.floor(Date.now() / 1000);
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
function lazy<T>(make: () => T): () => T {
  let made: { v: T } | undefined;
  return () => (made ??= { v: make() }).v;
}

// ───────────────────────────── wire messages ─────────────────────────────

type HeaderList = [string, string][];

interface MessageOptions {
  /** request line version (default HTTP/1.1) */
  version?: string;
  /** adds `Connection: close` (default true) */
  close?: boolean;
  /** no Host header at all */
  noHost?: boolean;
  /** no Content-Length even with a body */
  noLength?: boolean;
}

/** One HTTP request as bytes: request line, headers in the given order, body. */
export function message(method: string, path: string, headers: HeaderList, body: Buffer | string = EMPTY, o: MessageOptions = {}): Buffer {
  const b = buf(body);
  const h: HeaderList = [...headers];
  if (!o.noHost && !h.some(([n]) => /^host$/i.test(n))) h.unshift(['Host', HOST()]);
  const framed = h.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
  if (!o.noLength && !framed && (b.length > 0 || method === 'POST')) h.push(['Content-Length', String(b.length)]);
  if (o.close !== false && !(o.version ?? '').startsWith('HTTP/1.0')) h.push(['Connection', 'close']);
  const head = `${method} ${path} ${o.version ?? 'HTTP/1.1'}\r\n${h.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), b]);
}

interface Tc3Options extends MessageOptions {
  method?: string;
  /** X-TC-Action / X-TC-Version; null leaves the header out */
  action?: string | null;
  apiVersion?: string | null;
  query?: string;
  body?: Buffer | string;
  contentType?: string | null;
  timestamp?: number;
  /** the X-TC-Timestamp header as sent, when it should differ from what was signed; null: none */
  timestampHeader?: string | null;
  scopeDate?: string;
  service?: string;
  id?: string;
  key?: string;
  /** the bytes the signature covers, when they should differ from the body */
  signedBody?: Buffer | string;
  signedHost?: string;
  /** replaces the computed Authorization; null sends none */
  auth?: string | null;
  /** X-TC-Content-SHA256: UNSIGNED-PAYLOAD */
  unsigned?: boolean;
  /** headers before Authorization, and after it */
  headersBefore?: HeaderList;
  headers?: HeaderList;
}

/** A TC3-HMAC-SHA256-signed Tencent request, as the SDKs sign it (content-type;host). */
export function tc3(o: Tc3Options = {}): Buffer {
  const method = o.method ?? 'POST';
  const get = method.toUpperCase() === 'GET';
  const body = buf(o.body ?? (get ? '' : '{}'));
  const contentType = o.contentType === undefined ? (get ? 'application/x-www-form-urlencoded' : 'application/json') : o.contentType;
  const timestamp = o.timestamp ?? nowS();
  const date = o.scopeDate ?? scopeDate(timestamp);
  const service = o.service ?? 'iai';
  const canonical = canonicalRequest({
    method,
    query: get ? (o.query ?? '') : '',
    headers: { 'content-type': contentType ?? '', host: o.signedHost ?? HOST() },
    signedHeaders: ['content-type', 'host'],
    payload: o.unsigned ? UNSIGNED_PAYLOAD : buf(o.signedBody ?? body),
  });
  const scope = `${date}/${service}/tc3_request`;
  const sig = tc3Signature(o.key ?? target.key, date, service, tc3StringToSign(timestamp, scope, canonical));
  const auth = o.auth !== undefined ? o.auth : `TC3-HMAC-SHA256 Credential=${o.id ?? target.id}/${scope}, SignedHeaders=content-type;host, Signature=${sig}`;
  const headers: HeaderList = [];
  if (!o.noHost) headers.push(['Host', HOST()]);
  if (contentType !== null) headers.push(['Content-Type', contentType]);
  if (o.action !== null) headers.push(['X-TC-Action', o.action ?? 'GetGroupList']);
  if (o.apiVersion !== null) headers.push(['X-TC-Version', o.apiVersion ?? '2020-03-03']);
  const ts = o.timestampHeader === undefined ? String(timestamp) : o.timestampHeader;
  if (ts !== null) headers.push(['X-TC-Timestamp', ts]);
  if (o.unsigned) headers.push(['X-TC-Content-SHA256', UNSIGNED_PAYLOAD]);
  headers.push(...(o.headersBefore ?? []));
  if (auth !== null) headers.push(['Authorization', auth]);
  headers.push(...(o.headers ?? []));
  const path = get && o.query ? `/?${o.query}` : '/';
  return message(method, path, headers, get ? EMPTY : body, o);
}

/** A signed Tencent POST of `params` (an object, or the exact body text). */
const post = (action: string, params: unknown, o: Tc3Options = {}): Buffer =>
  tc3({ action, body: typeof params === 'string' || Buffer.isBuffer(params) ? params : json(params), ...o });
/** A signed Tencent GET with the query exactly as given. */
const getQ = (action: string, query: string, o: Tc3Options = {}): Buffer => tc3({ method: 'GET', action, query, ...o });

interface V1Options {
  method?: 'GET' | 'POST';
  action?: string;
  params?: [string, string][];
  /** common parameters to leave out */
  omit?: string[];
  signatureMethod?: string;
  key?: string;
  id?: string;
  timestamp?: string;
  /** replaces the computed Signature */
  signature?: string;
  /** appended after signing (not covered) */
  after?: [string, string][];
}

/** A legacy (HmacSHA1/HmacSHA256) Tencent request: every parameter in the query or a form body. */
export function v1(o: V1Options = {}): Buffer {
  const method = o.method ?? 'GET';
  const common: [string, string][] = [
    ['Action', o.action ?? 'GetGroupList'],
    ['Version', '2020-03-03'],
    ['Region', 'ap-guangzhou'],
    ['Timestamp', o.timestamp ?? String(nowS())],
    ['Nonce', String(Math.floor(Math.random() * 1e9))],
    ['SecretId', o.id ?? target.id],
    ['SignatureMethod', o.signatureMethod ?? 'HmacSHA256'],
  ];
  const pairs = [...common.filter(([k]) => !(o.omit ?? []).includes(k)), ...(o.params ?? [])];
  const sm = o.signatureMethod ?? 'HmacSHA256';
  const sig = o.signature ?? v1Signature(o.key ?? target.key, isV1Method(sm) ? sm : 'HmacSHA256', v1StringToSign(method, HOST(), '/', pairs));
  const encoded = new URLSearchParams([...pairs, ['Signature', sig], ...(o.after ?? [])]).toString();
  if (method === 'GET') return message('GET', `/?${encoded}`, [['Content-Type', 'application/x-www-form-urlencoded']]);
  return message('POST', '/', [['Content-Type', 'application/x-www-form-urlencoded']], encoded);
}

interface AcsOptions extends MessageOptions {
  path?: string;
  method?: string;
  body?: Buffer | string;
  /** what the signature covers as Content-MD5; undefined: the body's, null: no header */
  md5?: string | null;
  /** null: no Date header */
  date?: string | null;
  nonce?: string | null;
  contentType?: string | null;
  apiVersion?: string | null;
  sigMethod?: string | null;
  sigVersion?: string | null;
  id?: string;
  key?: string;
  query?: [string, string][];
  auth?: string | null;
  /** extra x-acs-* headers (signed) */
  acs?: Record<string, string>;
  /** extra headers (not signed) */
  headers?: HeaderList;
}

/** An `acs` HMAC-SHA1-signed Alibaba Green request, as pop-core signs it. */
export function acs(o: AcsOptions = {}): Buffer {
  const method = o.method ?? 'POST';
  const path = o.path ?? '/green/sface/groups';
  const body = buf(o.body ?? '{}');
  const date = o.date === undefined ? new Date().toUTCString() : o.date;
  const md5 = o.md5 === undefined ? contentMd5(body) : o.md5;
  const contentType = o.contentType === undefined ? 'application/json' : o.contentType;
  const acsHeaders: Record<string, string> = { ...o.acs };
  if (o.apiVersion !== null) acsHeaders['x-acs-version'] = o.apiVersion ?? '2018-05-09';
  if (o.sigMethod !== null) acsHeaders['x-acs-signature-method'] = o.sigMethod ?? 'HMAC-SHA1';
  if (o.sigVersion !== null) acsHeaders['x-acs-signature-version'] = o.sigVersion ?? '1.0';
  if (o.nonce !== null) acsHeaders['x-acs-signature-nonce'] = o.nonce ?? randomUUID();
  const toSign = acsStringToSign({
    method,
    accept: 'application/json',
    contentMd5: md5 ?? '',
    contentType: contentType ?? '',
    date: date ?? '',
    acsHeaders,
    path,
    query: o.query ?? [],
  });
  const auth = o.auth !== undefined ? o.auth : `acs ${o.id ?? target.id}:${acsSignature(o.key ?? target.key, toSign)}`;
  const headers: HeaderList = [['Accept', 'application/json']];
  if (contentType !== null) headers.push(['Content-Type', contentType]);
  if (md5 !== null) headers.push(['Content-MD5', md5]);
  if (date !== null) headers.push(['Date', date]);
  for (const [k, v] of Object.entries(acsHeaders)) headers.push([k, v]);
  if (auth !== null) headers.push(['Authorization', auth]);
  headers.push(...(o.headers ?? []));
  const qs = (o.query ?? []).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return message(method, qs ? `${path}?${qs}` : path, headers, body, o);
}
const green = (path: string, params: unknown, o: AcsOptions = {}): Buffer =>
  acs({ path, body: typeof params === 'string' || Buffer.isBuffer(params) ? params : json(params), ...o });

// ───────────────────────────── exchanges ─────────────────────────────

/** What a client does on its socket, in order. */
export type Step = Buffer | { sleep: number } | { trickle: Buffer; everyMs: number } | { end: true } | { destroy: true };

export interface Plan {
  steps: Step[];
  /** final answers to wait for (pipelining; default 1) */
  answers?: number;
  /** how many of them must come (default: all, or none for malformed, slow and abandoned requests) */
  mustAnswer?: number;
  /** HTTP requests the steps hold (default: answers) */
  messages?: number;
  /** answers to HEAD carry no body */
  head?: boolean;
  /** malformed HTTP: a refusal at the socket (close or reset, no answer) is documented */
  malformedHttp?: boolean;
  /** a deliberately slow client: 408 is the documented answer */
  slow?: boolean;
  /** the client gives up itself (truncated, reset): no answer is fine */
  noAnswerOk?: boolean;
  /** the code (or label) an answer must have, e.g. an auth failure: anything else is a finding */
  want?: RegExp;
  timeoutMs?: number;
  pauseBeforeMs?: number;
}

export interface Answer {
  status: number;
  reason: string;
  headers: Record<string, string>;
  body: Buffer;
  interim: number[];
  /** the connection ended inside the body */
  truncated?: boolean;
}

type End = 'complete' | 'closed' | 'reset' | 'timeout' | 'aborted' | 'refused';
export interface Exchange {
  answers: Answer[];
  end: End;
  /** the socket error seen, if any (EPIPE, ECONNRESET…) */
  error?: string;
  ms: number;
}

function dechunk(b: Buffer, start: number): { body: Buffer; next: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const eol = b.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(b.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (Number.isNaN(size)) return { body: Buffer.concat(parts), next: b.length };
    if (size === 0) {
      const trailerEnd = b.indexOf('\r\n\r\n', eol);
      if (trailerEnd >= 0) return { body: Buffer.concat(parts), next: trailerEnd + 4 };
      if (b.length >= eol + 4 && b.subarray(eol, eol + 4).toString() === '\r\n\r\n') return { body: Buffer.concat(parts), next: eol + 4 };
      return undefined;
    }
    if (b.length < eol + 2 + size + 2) return undefined;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * The complete final answers at the start of `b` (interim 1xx ones folded into the next), and
 * how many bytes they took. At end of stream a partial answer is returned as truncated, and
 * bytes that are not an HTTP answer as status 0.
 */
export function parseAnswers(b: Buffer, o: { head?: boolean; eof: boolean }): { answers: Answer[]; used: number } {
  const answers: Answer[] = [];
  let at = 0;
  let used = 0;
  let interim: number[] = [];
  const garbage = (from: number) => {
    answers.push({ status: 0, reason: 'not an HTTP answer', headers: {}, body: b.subarray(from), interim });
    used = b.length;
  };
  while (at < b.length) {
    const end = b.indexOf('\r\n\r\n', at);
    if (end < 0) {
      if (o.eof) garbage(at);
      break;
    }
    const lines = b.subarray(at, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/\d\.\d (\d{3}) ?(.*)$/.exec(lines[0]!);
    if (!m) {
      garbage(at);
      break;
    }
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).trim().toLowerCase();
      headers[name] = headers[name] === undefined ? line.slice(i + 1).trim() : `${headers[name]}, ${line.slice(i + 1).trim()}`;
    }
    const bodyStart = end + 4;
    if (status >= 100 && status < 200) {
      interim.push(status);
      at = bodyStart;
      continue;
    }
    let body: Buffer;
    let next: number;
    let truncated = false;
    const length = headers['content-length'];
    if (o.head || status === 204 || status === 304) {
      body = EMPTY;
      next = bodyStart;
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const d = dechunk(b, bodyStart);
      if (!d && !o.eof) break;
      ({ body, next } = d ?? { body: b.subarray(bodyStart), next: b.length });
      truncated = !d;
    } else if (length !== undefined) {
      const n = Number(length);
      if (b.length - bodyStart < n) {
        if (!o.eof) break;
        truncated = true;
      }
      body = b.subarray(bodyStart, Math.min(b.length, bodyStart + n));
      next = bodyStart + body.length;
    } else {
      if (!o.eof) break;
      body = b.subarray(bodyStart);
      next = b.length;
    }
    answers.push({ status, reason: m[2]!, headers, body, interim, ...(truncated ? { truncated } : {}) });
    interim = [];
    at = used = next;
  }
  return { answers, used };
}

function write(sock: net.Socket, data: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (!sock.writable) return resolve();
    sock.write(data, () => resolve());
  });
}

async function runSteps(sock: net.Socket, steps: Step[], signal: AbortSignal): Promise<void> {
  for (const s of steps) {
    if (signal.aborted || sock.destroyed) return;
    if (Buffer.isBuffer(s)) await write(sock, s);
    else if ('sleep' in s) await sleep(s.sleep, signal);
    else if ('trickle' in s) {
      for (const byte of s.trickle) {
        if (signal.aborted || !sock.writable) return;
        await write(sock, Buffer.from([byte]));
        await sleep(s.everyMs, signal);
      }
    } else if ('end' in s) sock.end();
    else {
      sock.destroy();
      return;
    }
  }
}

/** Runs a plan on a connection of its own and collects what came back. */
export function exchange(plan: Plan, abortAll: AbortSignal, port = target.port): Promise<Exchange> {
  const t0 = performance.now();
  const wanted = plan.answers ?? 1;
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    const stepsAbort = new AbortController();
    let data: Buffer = EMPTY;
    const answers: Answer[] = [];
    let errorCode: string | undefined;
    let done = false;
    const collect = (eof: boolean) => {
      const p = parseAnswers(data, { head: plan.head, eof });
      answers.push(...p.answers);
      data = data.subarray(p.used);
    };
    const finish = (end: End) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      abortAll.removeEventListener('abort', onAbort);
      stepsAbort.abort();
      sock.destroy();
      resolve({ answers, end, ...(errorCode ? { error: errorCode } : {}), ms: performance.now() - t0 });
    };
    const onAbort = () => finish('aborted');
    const timer = setTimeout(() => finish('timeout'), plan.timeoutMs ?? 20_000);
    abortAll.addEventListener('abort', onAbort, { once: true });
    sock.setNoDelay(true);
    sock.on('connect', () => void runSteps(sock, plan.steps, stepsAbort.signal));
    sock.on('data', (d: Buffer) => {
      data = data.length ? Buffer.concat([data, d]) : d;
      collect(false);
      if (answers.length >= wanted) finish('complete');
    });
    sock.on('error', (e: NodeJS.ErrnoException) => (errorCode ??= e.code ?? e.message));
    sock.on('close', () => {
      collect(true);
      if (answers.length >= wanted) return finish('complete');
      finish(errorCode === 'ECONNREFUSED' ? 'refused' : errorCode === 'ECONNRESET' ? 'reset' : 'closed');
    });
  });
}

const one = (bytes: Buffer, o: Partial<Plan> = {}): Plan => ({ steps: [bytes], ...o });

// ───────────────────────────── documented codes ─────────────────────────────

export interface Docs {
  tencent: Set<string>;
  greenBusiness: Set<number>;
  greenGateway: Set<string>;
  sources: string[];
}

// The platform-wide codes of spec §5.5 and the README's, should neither file be readable.
const FALLBACK_TENCENT = [
  'AuthFailure.InvalidAuthorization', 'AuthFailure.SecretIdNotFound', 'AuthFailure.SignatureExpire', 'AuthFailure.SignatureFailure',
  'FailedOperation', 'InternalError', 'InvalidAction', 'InvalidParameter', 'InvalidParameterValue', 'InvalidRequest', 'LimitExceeded',
  'MissingParameter', 'NoSuchVersion', 'RequestLimitExceeded', 'RequestSizeLimitExceeded', 'UnsupportedOperation', 'UnsupportedProtocol',
];
const FALLBACK_GREEN_BUSINESS = [200, 400, 401, 404, 480, 500, 586, 588, 589, 590, 592];
const FALLBACK_GREEN_GATEWAY = [
  'SignatureDoesNotMatch', 'InvalidAccessKeyId.NotFound', 'InvalidAccessKeyId.Inactive', 'InvalidTimeStamp.Expired', 'InvalidTimeStamp.Format',
  'SignatureNonceUsed', 'ContentMD5NotMatched', 'IncompleteSignature', 'InvalidSignatureMethod', 'MissingDate', 'InvalidAction.NotFound',
  'InvalidApi.NotFound', 'Throttling.User',
];
const TENCENT_CODE =
  /^(ActionOffline|AuthFailure|DryRunOperation|FailedOperation|InternalError|InvalidAction|InvalidParameter|InvalidParameterValue|InvalidRequest|LimitExceeded|MissingParameter|NoSuchProduct|NoSuchVersion|RequestLimitExceeded|RequestSizeLimitExceeded|ResourceInUse|ResourceInsufficient|ResourceNotFound|ResourceUnavailable|ResourcesSoldOut|ResponseSizeLimitExceeded|ServiceUnavailable|UnauthorizedOperation|UnknownParameter|UnsupportedOperation|UnsupportedProtocol|UnsupportedRegion|IpInBlacklist|IpNotInWhitelist)(\.[A-Za-z0-9]+)*$/;

const backticked = (text: string): string[] => [...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
const between = (text: string, from: string, to: string): string => {
  const i = text.indexOf(from);
  if (i < 0) return '';
  const j = text.indexOf(to, i + from.length);
  return text.slice(i, j < 0 ? undefined : j);
};

/**
 * The codes the documentation lists, read at run time: Tencent's from the README, spec §5.5
 * and §7 and the per-action lists; Green's business and gateway codes from the README.
 */
export function loadDocs(root = repoRoot): Docs {
  const docs: Docs = { tencent: new Set(FALLBACK_TENCENT), greenBusiness: new Set(), greenGateway: new Set(), sources: [] };
  const read = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);
  const readme = read(join(root, 'README.md'));
  if (readme) {
    docs.sources.push('README.md');
    for (const t of backticked(readme)) if (TENCENT_CODE.test(t)) docs.tencent.add(t);
    const ali = between(readme, '## Alibaba Cloud Green sface', '\n## ');
    for (const m of between(ali, 'Codes:', '\n- ').matchAll(/\b([2-5]\d\d)\b/g)) docs.greenBusiness.add(Number(m[1]));
    for (const t of backticked(between(ali, 'Gateway failures', '\n- '))) if (/^[A-Z][A-Za-z0-9]+(\.[A-Z][A-Za-z0-9]+)*$/.test(t)) docs.greenGateway.add(t);
  }
  const spec = read(join(root, '..', 'shared', 'spec', 'tencent-iai.md'));
  if (spec) {
    docs.sources.push('../shared/spec/tencent-iai.md §5.5 §7');
    let base = '';
    for (const t of backticked(between(spec, '### 5.5', '\n## 6') + between(spec, '## 7.', '\n## 8'))) {
      const code = t.startsWith('.') ? base + t : t;
      if (!t.startsWith('.')) base = t;
      if (/^[A-Z][A-Za-z]+(\.[A-Za-z0-9]+)*$/.test(code)) docs.tencent.add(code);
    }
  }
  const perAction = read(join(root, '..', 'shared', 'spec', 'tencent-iai-action-errors.json'));
  if (perAction) {
    docs.sources.push('../shared/spec/tencent-iai-action-errors.json');
    for (const byAction of Object.values(JSON.parse(perAction) as Record<string, Record<string, string[]>>)) {
      for (const codes of Object.values(byAction)) for (const c of codes) docs.tencent.add(c);
    }
  }
  if (docs.greenBusiness.size === 0) FALLBACK_GREEN_BUSINESS.forEach((c) => docs.greenBusiness.add(c));
  if (docs.greenGateway.size === 0) FALLBACK_GREEN_GATEWAY.forEach((c) => docs.greenGateway.add(c));
  if (docs.sources.length === 0) docs.sources.push('embedded fallback lists');
  return docs;
}

// ───────────────────────────── judging an answer ─────────────────────────────

export type Api = 'tencent' | 'alibaba' | 'other';
export type ProblemKind = 'non-envelope' | 'undocumented' | 'internal';
export interface Judged {
  /** the error code, `OK`, or a short label such as `HTTP 408` */
  code: string;
  problems: { kind: ProblemKind; detail: string }[];
}

const parseJson = (b: Buffer): unknown => {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return undefined;
  }
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const TENCENT_INTERNAL = new Set(['InternalError', 'FailedOperation.ServerError', 'FailedOperation.UnKnowError', 'FailedOperation.RpcFail']);
const GREEN_INTERNAL = new Set([500, 586]);

/** Whether an answer is the protocol's envelope with a documented code. */
export function judge(api: Api, a: Answer, o: { slow?: boolean; head?: boolean }, docs: Docs): Judged {
  const non = (code: string, detail: string): Judged => ({ code, problems: [{ kind: 'non-envelope', detail }] });
  if (a.status === 0) return non('not HTTP', 'bytes that are not an HTTP answer');
  if (a.truncated) return non(`HTTP ${a.status} cut short`, 'the connection ended inside the answer body');
  if (a.status === 408 && o.slow) return { code: 'HTTP 408', problems: [] };
  if (api === 'other') return { code: `HTTP ${a.status}`, problems: [] };
  const body = o.head ? undefined : parseJson(a.body);
  if (api === 'tencent') {
    if (a.status !== 200) return non(`HTTP ${a.status}`, `HTTP ${a.status} instead of 200`);
    const type = a.headers['content-type'];
    if (type !== 'application/json') return non('Content-Type', `Content-Type ${type ?? '(none)'} instead of application/json`);
    if (o.head) return { code: 'HEAD', problems: [] };
    const r = isObject(body) ? body.Response : undefined;
    if (!isObject(r)) return non('no Response', 'the body is not {"Response":{…}}');
    if (typeof r.RequestId !== 'string') return non('no RequestId', 'Response.RequestId is not a string');
    if (r.Error === undefined) return { code: 'OK', problems: [] };
    const e = r.Error;
    if (!isObject(e) || typeof e.Code !== 'string' || typeof e.Message !== 'string') return non('bad Error', 'Response.Error lacks a string Code or Message');
    const problems: Judged['problems'] = [];
    if (!docs.tencent.has(e.Code)) problems.push({ kind: 'undocumented', detail: `code ${e.Code} is in no documented list` });
    if (TENCENT_INTERNAL.has(e.Code)) problems.push({ kind: 'internal', detail: `${e.Code}: ${e.Message}` });
    return { code: e.Code, problems };
  }
  // alibaba
  if (a.status === 200) {
    if (o.head) return { code: 'HEAD 200', problems: [] };
    if (!isObject(body) || typeof body.code !== 'number' || typeof body.msg !== 'string' || typeof body.requestId !== 'string' || !('data' in body)) {
      return non('HTTP 200 not {code,msg,requestId,data}', 'HTTP 200 without the business envelope {code,msg,requestId,data}');
    }
    const problems: Judged['problems'] = [];
    const codes = [body.code, ...(Array.isArray(body.data) ? body.data.map((t) => (isObject(t) ? t.code : undefined)) : [])];
    for (const c of codes) {
      if (typeof c !== 'number') problems.push({ kind: 'non-envelope', detail: 'a scan task without a numeric code' });
      else if (!docs.greenBusiness.has(c)) problems.push({ kind: 'undocumented', detail: `business code ${c} is not in the README's list` });
      else if (GREEN_INTERNAL.has(c)) problems.push({ kind: 'internal', detail: `code ${c}: ${body.msg}` });
    }
    if (isObject(body.data) && body.data.code !== body.code) problems.push({ kind: 'non-envelope', detail: `data.code ${String(body.data.code)} differs from code ${body.code}` });
    return { code: String(body.code), problems };
  }
  if (a.status >= 400 && a.status < 500) {
    if (o.head) return { code: `HEAD ${a.status}`, problems: [] };
    const shaped = isObject(body) && ['RequestId', 'HostId', 'Code', 'Message', 'Recommend'].every((k) => typeof body[k] === 'string');
    if (!shaped) return non(`HTTP ${a.status}`, `HTTP ${a.status} without the gateway shape {RequestId,HostId,Code,Message,Recommend}`);
    const code = String(body.Code);
    return { code, problems: docs.greenGateway.has(code) ? [] : [{ kind: 'undocumented', detail: `gateway code ${code} is not in the README's list` }] };
  }
  return non(`HTTP ${a.status}`, `HTTP ${a.status}: neither the business envelope at 200 nor the gateway shape at 4xx`);
}

// ───────────────────────────── payloads ─────────────────────────────

function pngChunk(type: string, data: Buffer, badCrc = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((crc32(Buffer.concat([head.subarray(4), data])) ^ (badCrc ? 1 : 0)) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A PNG of zero pixels (or no pixel data at all), any declared size and depth. */
function png(width: number, height: number, o: { bitDepth?: number; colorType?: number; pixels?: boolean; badCrc?: boolean; cut?: number } = {}): Buffer {
  const bitDepth = o.bitDepth ?? 8;
  const colorType = o.colorType ?? 2;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, colorType, 0, 0, 0], 8);
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType] ?? 1;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr, o.badCrc)];
  if (o.pixels !== false) {
    const row = 1 + Math.ceil((width * channels * bitDepth) / 8);
    parts.push(pngChunk('IDAT', deflateSync(Buffer.alloc(row * height), { level: 9 })));
  }
  parts.push(pngChunk('IEND', EMPTY));
  const file = Buffer.concat(parts);
  return o.cut ? file.subarray(0, o.cut) : file;
}

/** A JPEG whose frame header declares any size, with no scan after it. */
function jpegHeaderOnly(width: number, height: number): Buffer {
  const sof = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 255, width >> 8, width & 255, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Buffer.from([0xff, 0xd8, ...sof, 0xff, 0xd9]);
}

/** A BMP with a BITMAPINFOHEADER (or the 12-byte OS/2 one) and zero pixels. */
function bmp(width: number, height: number, o: { bpp?: number; headerSize?: number; compression?: number; clrUsed?: number; dataOffset?: number; data?: number; masks?: number[] } = {}): Buffer {
  const bpp = o.bpp ?? 24;
  const headerSize = o.headerSize ?? 40;
  const header = Buffer.alloc(Math.max(headerSize, 12));
  header.writeUInt32LE(headerSize, 0);
  if (headerSize === 12) {
    header.writeUInt16LE(width & 0xffff, 4);
    header.writeUInt16LE(height & 0xffff, 6);
    header.writeUInt16LE(1, 8);
    header.writeUInt16LE(bpp, 10);
  } else {
    header.writeInt32LE(width, 4);
    header.writeInt32LE(height, 8);
    header.writeUInt16LE(1, 12);
    header.writeUInt16LE(bpp, 14);
    header.writeUInt32LE(o.compression ?? 0, 16);
    header.writeUInt32LE(o.clrUsed ?? 0, 32);
  }
  const masks = Buffer.alloc((o.masks ?? []).length * 4);
  (o.masks ?? []).forEach((m, i) => masks.writeUInt32LE(m >>> 0, i * 4));
  const paletteColors = bpp <= 8 ? Math.min(256, o.clrUsed || 1 << bpp) : 0;
  const palette = Buffer.alloc(paletteColors * (headerSize === 12 ? 3 : 4));
  const stride = Math.ceil((Math.abs(width) * bpp) / 32) * 4;
  const pixels = Buffer.alloc(o.data ?? Math.min(16 << 20, stride * Math.abs(height)));
  const offset = o.dataOffset ?? 14 + header.length + masks.length + palette.length;
  const file = Buffer.alloc(14);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(14 + header.length + masks.length + palette.length + pixels.length, 2);
  file.writeUInt32LE(offset >>> 0, 10);
  return Buffer.concat([file, header, masks, palette, pixels]);
}

const b64 = (b: Buffer): string => b.toString('base64');

/** A real face photo from the test fixtures, and images made from it or with sharp. */
export async function makeImages(): Promise<Record<string, Buffer>> {
  const { default: sharp } = await import('sharp');
  const photo = readFileSync(join(repoRoot, 'test', 'fixtures', 'faces', 'lfw-dev', 'Al_Gore', '1.jpg'));
  const solid = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#808080' } });
  const corrupted = Buffer.from(photo);
  for (let i = 600; i < corrupted.length - 2; i += 97) corrupted[i] = corrupted[i]! ^ 0x5a;
  return {
    'png 1x1': png(1, 1),
    'png 0x0': png(0, 0),
    'png 64x64 grey': png(64, 64),
    'png 64x64 16-bit RGBA': png(64, 64, { bitDepth: 16, colorType: 6 }),
    'png 2000x2000 (largest allowed)': png(2000, 2000, { colorType: 0 }),
    'png 2001x64': png(2001, 64),
    'png 1x100000': png(1, 100_000, { colorType: 0, bitDepth: 1 }),
    'png header 100000x100000, no pixels': png(100_000, 100_000, { pixels: false }),
    'png bomb 16000x16000 1-bit (zlib of zeros)': png(16_000, 16_000, { colorType: 0, bitDepth: 1 }),
    'png bad CRC': png(64, 64, { badCrc: true }),
    'png cut inside IDAT': png(64, 64, { cut: 60 }),
    'png signature only': png(64, 64).subarray(0, 8),
    'png bit depth 7': png(64, 64, { bitDepth: 7 }),
    'jpeg SOI then garbage': Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(512, 0xab)]),
    'jpeg frame 65500x65500, no scan': jpegHeaderOnly(65_500, 65_500),
    'jpeg frame 0x0': jpegHeaderOnly(0, 0),
    'jpeg 1x1': await solid(1, 1).jpeg().toBuffer(),
    'jpeg 63x640 (short side < 64)': await solid(63, 640).jpeg().toBuffer(),
    'jpeg 4001x64 (long side > 4000)': await solid(4001, 64).jpeg().toBuffer(),
    'jpeg CMYK 64x64': await solid(64, 64).toColourspace('cmyk').jpeg().toBuffer(),
    'jpeg EXIF orientation 8': await sharp(photo).withMetadata({ orientation: 8 }).jpeg().toBuffer(),
    'jpeg face photo cut in half': photo.subarray(0, photo.length >> 1),
    'jpeg face photo with flipped bits': corrupted,
    'jpeg face photo + 1 MB trailer': Buffer.concat([photo, Buffer.alloc(1 << 20, 0x41)]),
    'bmp 64x64 24-bit': bmp(64, 64),
    'bmp 64x-64 top-down 32-bit': bmp(64, -64, { bpp: 32 }),
    'bmp header 100000x100000': bmp(100_000, 100_000, { data: 64 }),
    'bmp height INT32_MIN': bmp(64, -0x80000000, { data: 64 }),
    'bmp width -64': bmp(-64, 64, { data: 64 }),
    'bmp 0 bits per pixel': bmp(64, 64, { bpp: 0, data: 64 }),
    'bmp 8-bit, 2^32-1 palette colours': bmp(64, 64, { bpp: 8, clrUsed: 0xffffffff, data: 64 }),
    'bmp data offset past the end': bmp(64, 64, { dataOffset: 0x7fffffff, data: 64 }),
    'bmp pixels cut short': bmp(64, 64, { data: 100 }),
    'bmp OS/2 12-byte header': bmp(64, 64, { headerSize: 12 }),
    'bmp header size 64 (OS/2 2.x)': bmp(64, 64, { headerSize: 64 }),
    'bmp RLE8': bmp(64, 64, { bpp: 8, compression: 1 }),
    'bmp 32-bit overlapping bit fields': bmp(64, 64, { bpp: 32, compression: 3, masks: [0xff00, 0xff00, 0xff] }),
    'bmp 16-bit mask 0xffffffff': bmp(64, 64, { bpp: 16, compression: 3, masks: [0xffffffff, 0, 0] }),
    'bmp 1-bit 2000x2000': bmp(2000, 2000, { bpp: 1 }),
    'bmp "BM" only': Buffer.from('BM'),
    'gif 1x1': await solid(1, 1).gif().toBuffer(),
    'webp 64x64': await solid(64, 64).webp().toBuffer(),
    'tiff 64x64': await solid(64, 64).tiff().toBuffer(),
    'svg 64x64 linking 127.0.0.1': Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><image xlink:href="http://127.0.0.1:1/x.png" width="64" height="64"/></svg>`,
    ),
    'svg entity expansion': Buffer.from(
      `<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><text>&d;&d;&d;&d;&d;</text></svg>`,
    ),
    'heic ftyp header': Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic'), Buffer.alloc(64)]),
    'plain text': Buffer.from('hello, not an image'),
    '1 KB of 0xff': Buffer.alloc(1024, 0xff),
  };
}

/** Tencent actions that take one photo, and how each carries it. */
const PHOTO_ACTIONS: [string, (image: Record<string, string>) => Record<string, unknown>][] = [
  ['DetectFace', (i) => ({ ...i, MaxFaceNum: 2, NeedFaceAttributes: 1, NeedQualityDetection: 1 })],
  ['CompareFace', (i) => ({ ImageA: i.Image, UrlA: i.Url, ImageB: i.Image, UrlB: i.Url })],
  ['SearchFaces', (i) => ({ GroupIds: ['fz-g'], ...i, MaxFaceNum: 1 })],
  ['SearchPersons', (i) => ({ GroupIds: ['fz-g'], ...i })],
  ['VerifyFace', (i) => ({ PersonId: 'fz-p', ...i })],
  ['AnalyzeFace', (i) => ({ ...i, Mode: 1 })],
  ['DetectLiveFaceAccurate', (i) => ({ ...i })],
  ['CreateFace', (i) => ({ PersonId: 'fz-p', Images: i.Image === undefined ? undefined : [i.Image], Urls: i.Url === undefined ? undefined : [i.Url] })],
];
let rng: () => number = Math.random;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
/** A signed Tencent request of a randomly chosen photo action carrying `image` ({Image} or {Url}). */
function photoRequest(image: Record<string, string>): Buffer {
  const [action, params] = pick(PHOTO_ACTIONS);
  return post(action, params(image));
}

// Image URLs. Only those the server refuses before connecting are sent (see urlIsSafe).
const URLS: [string, string][] = [
  ['loopback, the server itself', 'http://127.0.0.1:PORT/healthz'],
  ['loopback 127.1', 'http://127.1/'],
  ['loopback decimal', 'http://2130706433/'],
  ['loopback hex', 'http://0x7f000001/'],
  ['loopback octal', 'http://0177.0.0.1/'],
  ['localhost', 'http://localhost:PORT/'],
  ['0.0.0.0', 'http://0.0.0.0:PORT/'],
  ['private 10/8', 'http://10.0.0.1/x.jpg'],
  ['private 192.168/16', 'https://192.168.1.1/x.jpg'],
  ['private 172.16/12', 'http://172.31.255.255/x.jpg'],
  ['link-local metadata', 'http://169.254.169.254/latest/meta-data/'],
  ['carrier-grade NAT', 'http://100.64.0.1/'],
  ['userinfo before loopback', 'http://user:pass@127.0.0.1:PORT/'],
  ['IPv6 loopback', 'http://[::1]:PORT/'],
  ['IPv6 unspecified', 'http://[::]/'],
  ['IPv4-mapped IPv6', 'http://[::ffff:127.0.0.1]:PORT/'],
  ['IPv4-mapped IPv6, hex', 'http://[::ffff:7f00:1]/'],
  ['IPv4-translated IPv6', 'http://[::ffff:0:7f00:1]/'],
  ['IPv4-compatible IPv6', 'http://[::127.0.0.1]/'],
  ['NAT64 of 127.0.0.1', 'http://[64:ff9b::7f00:1]/'],
  ['NAT64 local-use', 'http://[64:ff9b:1::a00:1]/'],
  ['6to4 of 127.0.0.1', 'http://[2002:7f00:1::1]/'],
  ['6to4 of 10.0.0.1', 'http://[2002:a00:1::]/'],
  ['Teredo (client 127.0.0.1)', 'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/'],
  ['IPv6 unique-local', 'http://[fd00::1]/'],
  ['IPv6 link-local', 'http://[fe80::1]/'],
  ['IPv6 zone id', 'http://[fe80::1%25eth0]/'],
  ['IPv6 multicast', 'http://[ff02::1]/'],
  ['file scheme', 'file:///etc/passwd'],
  ['ftp scheme', 'ftp://127.0.0.1/x.jpg'],
  ['gopher scheme', 'gopher://127.0.0.1:6379/_INFO'],
  ['dict scheme', 'dict://127.0.0.1:11211/stat'],
  ['data URI', `data:image/png;base64,${b64(png(1, 1))}`],
  ['javascript scheme', 'javascript:alert(1)'],
  ['scheme-relative', '//127.0.0.1/x.jpg'],
  ['upper-case scheme to loopback', 'HTTP://127.0.0.1:PORT/'],
  ['no host', 'http:///x.jpg'],
  ['not a URL', 'not a url'],
  ['CRLF in path', 'http://127.0.0.1/%0d%0aHost:%20evil/'],
  ['64 KB URL to loopback', `http://127.0.0.1/${'a'.repeat(64 * 1024)}`],
  ['empty', ''],
];

let isPublicAddress: ((address: string) => boolean) | undefined;
const hostsHasLocalhost = lazy(() => existsSync('/etc/hosts') && /^\s*127\.0\.0\.1\s.*\blocalhost\b/m.test(readFileSync('/etc/hosts', 'utf8')));

/**
 * The address the server would connect to for `raw`, or undefined when it refuses the URL
 * first. Judged with the server's own isPublicAddress when it can be imported, else by a
 * conservative list; a host name other than localhost always counts as "would connect".
 */
export function wouldConnect(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' && hostsHasLocalhost()) return undefined;
  if (!net.isIP(host)) return host || undefined;
  if (isPublicAddress) return isPublicAddress(host) ? host : undefined;
  const privateV4 = /^(127\.|10\.|0\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(host);
  const v4 = hex ? [parseInt(hex[1]!, 16) >> 8, parseInt(hex[1]!, 16) & 255, parseInt(hex[2]!, 16) >> 8, parseInt(hex[2]!, 16) & 255].join('.') : host;
  return privateV4.test(v4) || /^(::1?|f[cd][0-9a-f]{2}:.*|fe[89ab][0-9a-f]:.*)$/i.test(host) ? undefined : host;
}

/** `s` cut to about `n` characters, keeping its start and end. */
const short = (s: string, n = 50): string => (s.length <= n ? s : `${s.slice(0, n - 16)}…${s.slice(-12)} (${s.length} chars)`);

const deep = (n: number, open: string, close: string, inner = ''): string => open.repeat(n) + inner + close.repeat(n);

// Large bodies are built once, when first sent.
const BIG = {
  str4MB: lazy(() => 'x'.repeat(4 << 20)),
  arrays1e5: lazy(() => deep(100_000, '[', ']')),
  arrays1e6: lazy(() => deep(1_000_000, '[', ']')),
  objects1e5: lazy(() => deep(100_000, '{"a":', '}', '1')),
  objects1e6: lazy(() => deep(1_000_000, '{"a":', '}', '1')),
  groupIds8MB: lazy(() => json({ GroupIds: Array.from({ length: 1_100_000 }, (_, i) => `g${i % 1000}`), Image: 'x' })),
  zeros100k: lazy(() => json({ GroupIds: ['fz-g'], Image: 'x', Extra: new Array(100_000).fill(0) })),
  base64Over5MB: lazy(() => 'A'.repeat((5 << 20) + 4)),
  base64Exactly5MB: lazy(() => 'A'.repeat(5 << 20)),
  over10MB: lazy(() => json({ Image: 'A'.repeat((10 << 20) + 16) })),
  aliOver1MB: lazy(() => json({ personId: 'fz-ap', note: 'n'.repeat((1 << 20) + 16) })),
  pad20MB: lazy(() => json({ personId: 'fz-ap', PersonId: 'fz-p', Pad: 'p'.repeat(20 << 20) })),
  formDeep1e5: lazy(() => `${'a.'.repeat(100_000)}a=1`),
  formDeep1e6: lazy(() => `${'a.'.repeat(1_000_000)}a=1`),
  v1Over1MB: lazy(() => 'x'.repeat((1 << 20) + 16)),
};

// ───────────────────────────── the cases ─────────────────────────────

export type Category = 'malformed' | 'auth' | 'protocol';
export interface Case {
  /** `api: name`, unique */
  key: string;
  category: Category;
  /** the shape of request, for the counts */
  shape: string;
  name: string;
  api: Api;
  /** relative frequency after every case has run once (default 1) */
  weight?: number;
  /** runs once, in its own lane, beside the storm */
  slow?: boolean;
  plan: () => Plan | Plan[];
}

export interface CaseTable {
  cases: Case[];
  /** hostile URLs the server would have fetched, so not sent */
  notSent: { label: string; url: string; address: string }[];
}

/** Every case, as a table of small generators. Needs the images of makeImages(). */
export function buildCases(images: Record<string, Buffer>): CaseTable {
  const cases: Case[] = [];
  const notSent: CaseTable['notSent'] = [];
  const add = (category: Category, api: Api, shape: string, name: string, plan: Case['plan'], extra: Partial<Case> = {}) =>
    cases.push({ key: `${api}: ${name}`, category, api, shape, name, plan, ...extra });
  const heavy = { weight: 0.05 };
  const AUTH_T = /^(AuthFailure\.|MissingParameter$|InvalidParameter$)/;
  const GATEWAY = /^[A-Z]/; // a gateway code, not a business one

  // ── malformed: bad JSON and non-object JSON
  const badJson = [
    '{', '{"GroupId":', '{"GroupId":"fz-j",}', "{'GroupId':'fz-j'}", '{"GroupId":"fz-j","GroupName":"j"} trailing', '\ufeff{"GroupId":"fz-j","GroupName":"j"}',
    '{"GroupId":NaN}', '{"Limit":1e999}', '{"GroupId":"\\x41"}', '{"GroupId":"\\ud800"', '{"GroupId":"a"\u0000}', '{"a":1,"a":2,"a":{"b":[]}}', '[', ']]]]',
    '[]', 'null', '"string"', '42', 'true', '[{"GroupId":"fz-j"}]', '{"GroupId":"fz-j","GroupName":"j"}\u0000\u0000',
  ];
  for (const body of badJson) {
    add('malformed', 'tencent', 'bad JSON', `CreateGroup ${short(json(body))}`, () => one(post('CreateGroup', body)));
    add('malformed', 'alibaba', 'bad JSON', `person/add ${short(json(body))}`, () => one(green('/green/sface/person/add', body)));
  }

  // ── malformed: wrong types
  const wrongTencent: [string, unknown][] = [
    ['CreateGroup', { GroupId: 123, GroupName: 'x' }],
    ['CreateGroup', { GroupId: 'fz-t', GroupName: ['x'] }],
    ['CreateGroup', { GroupId: 'fz-t', GroupName: 'x', GroupExDescriptions: 'Desk' }],
    ['CreateGroup', { GroupId: 'fz-t', GroupName: 'x', GroupExDescriptions: [1, 2] }],
    ['CreateGroup', { GroupId: null, GroupName: null, Tag: false }],
    ['CreateGroup', { GroupId: {}, GroupName: true, FaceModelVersion: 3 }],
    ['GetGroupList', { Offset: 'abc', Limit: -1 }],
    ['GetGroupList', { Offset: 1e308, Limit: 1.5 }],
    ['GetGroupList', '{"Offset":18446744073709551616,"Limit":9007199254740993}'],
    ['GetGroupInfo', { GroupId: ['fz-g'] }],
    ['GetPersonList', { GroupId: 'fz-g', Offset: -5, Limit: 0 }],
    ['GetPersonListNum', { GroupId: 42 }],
    ['SearchFaces', { GroupIds: 'fz-g', Image: 'x' }],
    ['SearchFaces', { GroupIds: [['fz-g']], Image: 1 }],
    ['SearchFaces', { GroupIds: ['fz-g'], Image: 'x', MaxFaceNum: '1', MaxPersonNum: -1, FaceMatchThreshold: 'NaN', QualityControl: 9, NeedPersonInfo: 2 }],
    ['SearchFacesReturnsByGroup', { GroupIds: ['fz-g'], Image: 'x', MaxPersonNumPerGroup: 1e9 }],
    ['CreatePerson', { GroupId: 'fz-g', PersonId: 'fz-new', PersonName: 'x', Gender: 'male', Image: 'x' }],
    ['CreatePerson', { GroupId: 'fz-g', PersonId: 'fz-new', PersonName: 'x', PersonExDescriptionInfos: { a: 1 }, Image: 'x' }],
    ['CreatePerson', { GroupId: 'fz-g', PersonId: 'fz-new', PersonName: 'x', PersonExDescriptionInfos: [{ PersonExDescriptionIndex: '0', PersonExDescription: 5 }], Image: 'x' }],
    ['ModifyPersonBaseInfo', { PersonId: 'fz-p', Gender: 3.5, PersonName: [] }],
    ['ModifyPersonGroupInfo', { GroupId: 'fz-g', PersonId: 'fz-p', PersonExDescriptionInfos: [{ PersonExDescriptionIndex: -1, PersonExDescription: 'x' }] }],
    ['DeleteFace', { PersonId: 'fz-p', FaceIds: 'abc' }],
    ['CopyPerson', { PersonId: 'fz-p', GroupIds: [null] }],
    ['CompareFace', { ImageA: 1, ImageB: [] }],
    ['VerifyFace', { PersonId: 'fz-p', Image: {} }],
    ['DetectFace', { MaxFaceNum: 1e9, MinFaceSize: -1, NeedFaceAttributes: 'yes', Image: 'x' }],
    ['AnalyzeFace', { Mode: 99, Image: 'x', FaceModelVersion: 3.0 }],
    ['UpgradeGroupFaceModelVersion', { GroupId: 'fz-g2', FaceModelVersion: 2 }],
    ['GetUpgradeGroupFaceModelVersionResult', { JobId: 5 }],
    ['GetUpgradeGroupFaceModelVersionJobList', { Offset: -1, Limit: 'all' }],
    ['RevertGroupFaceModelVersion', { JobId: ['x'] }],
  ];
  for (const [action, params] of wrongTencent) add('malformed', 'tencent', 'wrong types', `${action} ${short(typeof params === 'string' ? params : json(params), 90)}`, () => one(post(action, params)));
  for (const [action, version] of [
    ['DoesNotExist', '2020-03-03'], ['constructor', '2020-03-03'], ['__proto__', '2020-03-03'], ['toString', '2018-03-01'], ['GetGroupList', '2017-01-01'],
    ['GetGroupList', '__proto__'], ['', '2020-03-03'], ['GetGroupList', ''], ['x'.repeat(5000), '2020-03-03'], ['CompareMaskFace', '2018-03-01'],
    ['DetectLiveFace', '2020-03-03'], ['getgrouplist', '2020-03-03'],
  ]) {
    add('malformed', 'tencent', 'wrong types', `action ${json(action!.slice(0, 20))} version ${json(version)}`, () => one(post(action!, {}, { apiVersion: version })));
  }
  add('malformed', 'tencent', 'wrong types', 'no X-TC-Action', () => one(post('GetGroupList', {}, { action: null })));
  add('malformed', 'tencent', 'wrong types', 'no X-TC-Version', () => one(post('GetGroupList', {}, { apiVersion: null })));
  const wrongGreen: [string, unknown][] = [
    ['/green/sface/person/add', { personId: 1, groupIds: ['fz-ag'] }],
    ['/green/sface/person/add', { personId: 'fz-t', groupIds: 'fz-ag' }],
    ['/green/sface/person/add', { personId: 'fz-t', groupIds: [1] }],
    ['/green/sface/person/add', { personId: 'fz-t', groupIds: [] }],
    ['/green/sface/person/add', { personId: ['fz-t'], groupIds: null }],
    ['/green/sface/person/groups/add', { personId: 'fz-t', groupIds: [{}] }],
    ['/green/sface/person/groups/delete', { personId: {}, groupIds: ['fz-ag'] }],
    ['/green/sface/group/persons', { groupId: 'fz-ag', currentPage: 'a', pageSize: -1 }],
    ['/green/sface/group/persons', { groupId: 'fz-ag', currentPage: 1.5, pageSize: 1e9 }],
    ['/green/sface/group/persons', { groupId: ['fz-ag'] }],
    ['/green/sface/person/update', { personId: 'fz-ap', name: 5, note: {} }],
    ['/green/sface/person', { personId: { $ne: null } }],
    ['/green/sface/person/delete', { personId: true }],
    ['/green/sface/face/add', { personId: 'fz-ap', urls: 'http://10.0.0.1/x.jpg' }],
    ['/green/sface/face/add', { personId: 'fz-ap', urls: [1] }],
    ['/green/sface/face/delete', { personId: 'fz-ap', faceIds: [1.5] }],
    ['/green/sface/face/delete', { personId: 'fz-ap', faceIds: 'all' }],
    ['/green/sface/faces', { personId: 7 }],
    ['/green/image/scan', { scenes: 'sface-n', tasks: [] }],
    ['/green/image/scan', { scenes: ['sface-n'], tasks: 'x' }],
    ['/green/image/scan', { scenes: ['sface-n'], tasks: [{ url: 5 }] }],
    ['/green/image/scan', { scenes: [], tasks: [{ url: 'x' }] }],
    ['/green/image/scan', { scenes: ['porn'], tasks: [{ url: 'x' }] }],
    ['/green/image/scan', { scenes: ['sface-n'], tasks: [{ url: 'x', extras: 'x' }] }],
    ['/green/image/scan', { scenes: ['sface-n'], tasks: [{ url: 'x', extras: { groupId: 5 } }] }],
    ['/green/image/scan', { scenes: ['sface-n'], tasks: [null] }],
  ];
  for (const [path, params] of wrongGreen) add('malformed', 'alibaba', 'wrong types', `${path.slice(7)} ${short(json(params), 90)}`, () => one(green(path, params)));

  // ── malformed: huge strings
  add('malformed', 'tencent', 'huge strings', 'CreateGroup GroupName 4 MB', () => one(post('CreateGroup', { GroupId: 'fz-h', GroupName: BIG.str4MB() })), heavy);
  add('malformed', 'tencent', 'huge strings', 'CreatePerson PersonName 4 MB (a photo action)', () => one(post('CreatePerson', { GroupId: 'fz-g', PersonId: 'fz-h', PersonName: BIG.str4MB(), Image: 'x' })), heavy);
  add('malformed', 'tencent', 'huge strings', 'SearchFaces GroupIds [4 MB id]', () => one(post('SearchFaces', { GroupIds: [BIG.str4MB()], Image: 'x' })), heavy);
  add('malformed', 'tencent', 'huge strings', 'DetectFace Url 4 MB', () => one(post('DetectFace', { Url: `http://127.0.0.1/${BIG.str4MB()}` })), heavy);
  add('malformed', 'tencent', 'huge strings', 'CreateGroup GroupName 60 KB', () => one(post('CreateGroup', { GroupId: 'fz-h', GroupName: 'x'.repeat(60_000) })));
  add('malformed', 'tencent', 'huge strings', 'GetGroupInfo GroupId 60 KB', () => one(post('GetGroupInfo', { GroupId: 'g'.repeat(60_000) })));
  add('malformed', 'tencent', 'huge strings', 'GET CreateGroup GroupName 60 KB query', () => one(getQ('CreateGroup', `GroupId=fz-h&GroupName=${'x'.repeat(60_000)}`)));
  add('malformed', 'tencent', 'huge strings', 'GET GetGroupList with a 70 KB query (over the header limit)', () => one(getQ('GetGroupList', `Offset=0&Junk=${'x'.repeat(70_000)}`)));
  add('malformed', 'tencent', 'huge strings', 'GET GetGroupList with a 200 KB query', () => one(getQ('GetGroupList', `Offset=0&Junk=${'x'.repeat(200_000)}`)));
  add('malformed', 'alibaba', 'huge strings', 'person/add personId 900 KB', () => one(green('/green/sface/person/add', { personId: 'p'.repeat(900_000), groupIds: ['fz-ag'] })), { weight: 0.2 });
  add('malformed', 'alibaba', 'huge strings', 'person/update name 900 KB', () => one(green('/green/sface/person/update', { personId: 'fz-ap', name: 'n'.repeat(900_000) })), { weight: 0.2 });
  add('malformed', 'alibaba', 'huge strings', 'face/add url 900 KB', () => one(green('/green/sface/face/add', { personId: 'fz-ap', urls: [`http://10.0.0.1/${'a'.repeat(900_000)}`] })), { weight: 0.2 });
  add('malformed', 'alibaba', 'huge strings', 'a 60 KB query string', () => one(green('/green/sface/groups', {}, { query: [['clientInfo', 'c'.repeat(60_000)]] })));

  // ── malformed: deep nesting
  add('malformed', 'tencent', 'deep nesting', 'CreateGroup GroupExDescriptions 1e5-deep arrays', () => one(post('CreateGroup', `{"GroupId":"fz-d","GroupName":"d","GroupExDescriptions":${BIG.arrays1e5()}}`)), heavy);
  add('malformed', 'tencent', 'deep nesting', 'SearchFaces GroupIds 1e6-deep arrays', () => one(post('SearchFaces', `{"GroupIds":${BIG.arrays1e6()},"Image":"x"}`)), heavy);
  add('malformed', 'tencent', 'deep nesting', 'CreatePerson 1e5-deep objects', () => one(post('CreatePerson', `{"GroupId":"fz-g","PersonId":"fz-d","Image":"x","PersonExDescriptionInfos":${BIG.objects1e5()}}`)), heavy);
  add('malformed', 'tencent', 'deep nesting', 'DetectFace 1e6-deep objects', () => one(post('DetectFace', `{"Image":"x","X":${BIG.objects1e6()}}`)), heavy);
  add('malformed', 'tencent', 'deep nesting', 'GET 20,000-deep a.a.a… key', () => one(getQ('GetGroupList', `${'a.'.repeat(20_000)}a=1`)));
  add('malformed', 'tencent', 'deep nesting', 'form POST 1e5-deep a.a.a… key (DetectFace)', () => one(tc3({ action: 'DetectFace', contentType: 'application/x-www-form-urlencoded', body: BIG.formDeep1e5() })), heavy);
  add('malformed', 'tencent', 'deep nesting', 'form POST 1e6-deep a.a.a… key (DetectFace)', () => one(tc3({ action: 'DetectFace', contentType: 'application/x-www-form-urlencoded', body: BIG.formDeep1e6() })), heavy);
  add('malformed', 'tencent', 'deep nesting', '17-deep arrays (just past the guard)', () => one(post('GetGroupList', `{"Offset":0,"X":${deep(17, '[', ']')}}`)));
  add('malformed', 'tencent', 'deep nesting', '16-deep arrays (at the guard)', () => one(post('GetGroupList', `{"Offset":0,"X":${deep(15, '[', ']')}}`)));
  add('malformed', 'alibaba', 'deep nesting', 'person/add groupIds 1e5-deep arrays', () => one(green('/green/sface/person/add', `{"personId":"fz-d","groupIds":${BIG.arrays1e5()}}`)), heavy);
  add('malformed', 'alibaba', 'deep nesting', 'image/scan tasks 1e5-deep objects', () => one(green('/green/image/scan', `{"scenes":["sface-n"],"tasks":${BIG.objects1e5().slice(0, 900_000)}`)), heavy);

  // ── malformed: huge arrays
  add('malformed', 'tencent', 'huge arrays', 'SearchFaces 8 MB GroupIds (1.1M ids)', () => one(post('SearchFaces', BIG.groupIds8MB())), heavy);
  add('malformed', 'tencent', 'huge arrays', 'SearchFaces 100k numbers', () => one(post('SearchFaces', BIG.zeros100k())), heavy);
  add('malformed', 'tencent', 'huge arrays', 'SearchFaces 101 GroupIds', () => one(post('SearchFaces', { GroupIds: Array.from({ length: 101 }, (_, i) => `g${i}`), Image: 'x' })));
  add('malformed', 'tencent', 'huge arrays', 'CreateFace 1000 Images', () => one(post('CreateFace', { PersonId: 'fz-p', Images: new Array(1000).fill('x') })));
  add('malformed', 'tencent', 'huge arrays', 'GET 5000 GroupIds.N', () => one(getQ('SearchFaces', Array.from({ length: 5000 }, (_, i) => `GroupIds.${i}=g`).join('&'))));
  add('malformed', 'alibaba', 'huge arrays', 'person/add 100k groupIds', () => one(green('/green/sface/person/add', { personId: 'fz-a', groupIds: new Array(100_000).fill('g') })), { weight: 0.2 });
  add('malformed', 'alibaba', 'huge arrays', 'image/scan 10k tasks', () => one(green('/green/image/scan', { scenes: ['sface-n'], tasks: new Array(10_000).fill({ url: 'x' }) })), { weight: 0.2 });
  add('malformed', 'alibaba', 'huge arrays', 'image/scan 101 tasks to 10.0.0.1', () => one(green('/green/image/scan', { scenes: ['sface-n'], tasks: new Array(101).fill({ url: 'http://10.0.0.1/x.jpg' }) })));
  add('malformed', 'alibaba', 'huge arrays', 'face/add 1000 urls to 10.0.0.1', () => one(green('/green/sface/face/add', { personId: 'fz-ap', urls: new Array(1000).fill('http://10.0.0.1/x.jpg') })));

  // ── malformed: lone surrogates, invalid UTF-8, NUL and control characters
  const oddStrings: [string, string | Buffer][] = [
    ['lone high surrogate (escaped)', '"\\ud800"'],
    ['lone low surrogate (escaped)', '"a\\udfffb"'],
    ['reversed pair (escaped)', '"\\udc00\\ud800"'],
    ['surrogate as raw UTF-8 ED A0 80', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
    ['invalid UTF-8 FF FE', Buffer.from([0x22, 0x61, 0xff, 0xfe, 0x22])],
    ['overlong UTF-8 C0 AF', Buffer.from([0x22, 0xc0, 0xaf, 0x22])],
    ['NUL (escaped)', '"a\\u0000b"'],
    ['every C0 control (escaped)', json(Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join(''))],
    ['raw control bytes', Buffer.from([0x22, 0x61, 0x01, 0x1f, 0x62, 0x22])],
    ['bidi override and BOM', json('a\u202eb\ufeffc\uffff')],
    ['U+2028/U+2029', json('a\u2028b\u2029c')],
  ];
  const jsonWith = (prefix: string, value: string | Buffer, suffix: string) => Buffer.concat([Buffer.from(prefix), buf(value), Buffer.from(suffix)]);
  for (const [label, value] of oddStrings) {
    add('malformed', 'tencent', 'odd characters', `CreateGroup GroupName ${label}`, () => one(post('CreateGroup', jsonWith('{"GroupId":"fz-u","GroupName":', value, '}'))));
    add('malformed', 'tencent', 'odd characters', `GetGroupInfo GroupId ${label}`, () => one(post('GetGroupInfo', jsonWith('{"GroupId":', value, '}'))));
    add('malformed', 'tencent', 'odd characters', `CreatePerson PersonName ${label}`, () => one(post('CreatePerson', jsonWith('{"GroupId":"fz-g","PersonId":"fz-u","Image":"x","PersonName":', value, '}'))));
    add('malformed', 'alibaba', 'odd characters', `person/add name ${label}`, () => one(green('/green/sface/person/add', jsonWith('{"personId":"fz-u","groupIds":["fz-ag"],"name":', value, '}'))));
    add('malformed', 'alibaba', 'odd characters', `person personId ${label}`, () => one(green('/green/sface/person', jsonWith('{"personId":', value, '}'))));
  }
  for (const q of ['GroupId=a%00b', 'GroupId=%ED%A0%80', 'GroupId=%FF%FE', 'GroupId=%C0%AF', 'GroupId=a%0D%0Ab', 'GroupId=%E2%80%AE']) {
    add('malformed', 'tencent', 'odd characters', `GET GetGroupInfo ${q}`, () => one(getQ('GetGroupInfo', q)));
  }

  // ── malformed: unknown fields and prototype keys
  add('malformed', 'tencent', 'unknown fields', 'CreateGroup with extra and common-parameter fields', () =>
    one(post('CreateGroup', { GroupId: 'fz-x', GroupName: 'x', Extra: 1, Action: 'DeleteGroup', Version: '2018-03-01', 'X-TC-Action': 'DeleteGroup', Nested: { a: [1] } })));
  add('malformed', 'tencent', 'unknown fields', 'GetGroupList with unknown nested field', () => one(post('GetGroupList', { Offset: 0, Limit: 1, Foo: { Bar: [1, { Baz: null }] } })));
  add('malformed', 'tencent', 'unknown fields', 'GET with Action=DeleteGroup in the query (TC3)', () => one(getQ('GetGroupInfo', 'GroupId=fz-g2&Action=DeleteGroup&Version=2018-03-01')));
  add('malformed', 'alibaba', 'unknown fields', 'person with bizType and extras', () => one(green('/green/sface/person', { personId: 'fz-ap', bizType: 'x', extra: { a: [1] } })));
  const protoTencent = [
    '{"__proto__":{"GroupId":"fz-proto","GroupName":"x"}}',
    '{"GroupId":"fz-pp","GroupName":"x","__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"polluted":1}},"GroupId":"fz-pc","GroupName":"x"}',
    '{"GroupId":"__proto__","GroupName":"__proto__"}',
    '{"GroupId":"constructor","GroupName":"hasOwnProperty"}',
  ];
  for (const body of protoTencent) add('malformed', 'tencent', '__proto__', `CreateGroup ${body.slice(0, 50)}`, () => one(post('CreateGroup', body)));
  add('malformed', 'tencent', '__proto__', 'GetPersonBaseInfo PersonId __proto__', () => one(post('GetPersonBaseInfo', { PersonId: '__proto__' })));
  for (const q of ['__proto__.GroupId=x', 'GroupIds.__proto__=x', 'constructor.prototype.x=1', 'toString=x&GroupId=fz-g', 'GroupIds.0=fz-g&GroupIds.length=9']) {
    add('malformed', 'tencent', '__proto__', `GET GetGroupInfo ${q}`, () => one(getQ('GetGroupInfo', q)));
  }
  for (const body of ['{"__proto__":{"personId":"x"}}', '{"personId":"__proto__","groupIds":["__proto__","constructor"]}', '{"personId":"fz-pp","groupIds":["fz-ag"],"constructor":{"prototype":{"x":1}}}']) {
    add('malformed', 'alibaba', '__proto__', `person/add ${body.slice(0, 50)}`, () => one(green('/green/sface/person/add', body)));
  }

  // ── malformed: Content-Type, empty, oversized and truncated bodies
  for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'APPLICATION/JSON', '', 'application/json, text/plain', 'application/x-www-form-urlencoded']) {
    add('malformed', 'tencent', 'content type', `GetGroupList as ${json(type)}`, () => one(post('GetGroupList', { Offset: 0, Limit: 1 }, { contentType: type })));
    add('malformed', 'alibaba', 'content type', `groups as ${json(type)}`, () => one(green('/green/sface/groups', {}, { contentType: type })));
  }
  add('malformed', 'tencent', 'content type', 'no Content-Type', () => one(post('GetGroupList', {}, { contentType: null })));
  add('malformed', 'alibaba', 'content type', 'no Content-Type', () => one(green('/green/sface/groups', {}, { contentType: null })));
  add('malformed', 'tencent', 'content type', 'form POST CreateGroup GroupId=…&GroupName=…', () => one(tc3({ action: 'GetGroupInfo', contentType: 'application/x-www-form-urlencoded', body: 'GroupId=fz-g' })));
  add('malformed', 'tencent', 'empty body', 'CreateGroup, empty body', () => one(post('CreateGroup', '')));
  add('malformed', 'tencent', 'empty body', 'DetectFace, empty body, no Content-Length', () => one(post('DetectFace', '', { noLength: true })));
  add('malformed', 'alibaba', 'empty body', 'person/add, empty body', () => one(green('/green/sface/person/add', '')));
  add('malformed', 'alibaba', 'empty body', 'image/scan, empty body, no Content-MD5', () => one(green('/green/image/scan', '', { md5: null })));
  add('malformed', 'tencent', 'oversized body', 'DetectFace 10 MB + 16 bytes', () => one(post('DetectFace', BIG.over10MB())), { weight: 0.2 });
  add('malformed', 'tencent', 'oversized body', 'GetGroupList 70 KB (text action limit)', () => one(post('GetGroupList', { Offset: 0, Pad: 'x'.repeat(70_000) })));
  // more than the socket buffers hold: the client is still writing when the server answers
  add('malformed', 'tencent', 'oversized body', 'GetPersonBaseInfo 20 MB', () => one(post('GetPersonBaseInfo', BIG.pad20MB())), { weight: 0.2 });
  add('malformed', 'tencent', 'oversized body', 'Content-Length 50 MB, 1 KB sent', () => ({
    steps: [message('POST', '/', [['Content-Type', 'application/json'], ['Content-Length', String(50 << 20)], ['X-TC-Action', 'DetectFace']], '{"Image":"' + 'A'.repeat(1000))],
    noAnswerOk: true,
    timeoutMs: 40_000,
  }));
  add('malformed', 'alibaba', 'oversized body', 'person/update 1 MB + 16 bytes', () => one(green('/green/sface/person/update', BIG.aliOver1MB())), { weight: 0.2 });
  add('malformed', 'alibaba', 'oversized body', 'person/update 20 MB', () => one(green('/green/sface/person/update', BIG.pad20MB())), { weight: 0.2 });
  add('malformed', 'alibaba', 'oversized body', 'Content-Length 50 MB, 1 KB sent', () => ({
    steps: [message('POST', '/green/sface/groups', [['Content-Type', 'application/json'], ['Content-Length', String(50 << 20)]], '{"x":"' + 'A'.repeat(1000))],
    noAnswerOk: true,
    timeoutMs: 40_000,
  }));
  for (const [api, path] of [['tencent', '/'], ['alibaba', '/green/sface/groups']] as const) {
    const head = (n: number) => message('POST', path, [['Content-Type', 'application/json'], ['Content-Length', String(n)], ['X-TC-Action', 'GetGroupList']]);
    add('malformed', api, 'truncated body', 'Content-Length 1000, 10 bytes, then reset', () => ({ steps: [head(1000), Buffer.from('{"Offset":'), { sleep: 50 }, { destroy: true }], noAnswerOk: true }));
    add('malformed', api, 'truncated body', 'Content-Length 1000, 10 bytes, then half-close', () => ({ steps: [head(1000), Buffer.from('{"Offset":'), { end: true }], noAnswerOk: true, timeoutMs: 40_000 }));
  }

  // ── malformed: form flattening (GET, TC3 and legacy, and form POST)
  const badForms = [
    'GroupIds.0=fz-g&GroupIds.2=fz-g2', 'GroupId=fz-g&GroupId=fz-g2', 'a..b=1', '.a=1', 'a.=1', 'GroupIds.0=fz-g&GroupIds=fz-g2', 'GroupIds=fz-g2&GroupIds.0=fz-g',
    'GroupIds.01=fz-g', 'GroupIds.-1=fz-g', 'GroupIds.99999999999999999999=fz-g', 'GroupIds.1=fz-g', 'GroupIds.0.0.0=fz-g', 'GroupIds.4294967295=fz-g',
    'GroupIds.0=fz-g&GroupIds.1.x=fz-g', 'Limit=1&Limit=2', 'Offset=1e3&Limit=0x10', 'Limit=%2010', '=', '&&&', '%', '%zz=1', 'a=%E0%A4%A', 'GroupIds.0',
  ];
  for (const q of badForms) {
    add('malformed', 'tencent', 'form flattening', `GET SearchFaces ${q.slice(0, 40)}`, () => one(getQ('SearchFaces', `${q}&Image=x`)));
    add('malformed', 'tencent', 'form flattening', `form POST GetPersonList ${q.slice(0, 40)}`, () => one(tc3({ action: 'GetPersonList', contentType: 'application/x-www-form-urlencoded', body: q })));
  }
  for (const q of badForms.slice(0, 8)) add('malformed', 'tencent', 'form flattening', `legacy GET ${q.slice(0, 40)}`, () => one(v1({ action: 'GetPersonList', params: [...new URLSearchParams(q)] })));

  // ── malformed: base64 and image bytes
  const badBase64: [string, () => string][] = [
    ['not base64 "!!!!"', () => '!!!!'], ['one char', () => 'A'], ['only padding', () => '===='], ['padding in the middle', () => 'AA==AA=='],
    ['base64url alphabet', () => '-_-_'], ['spaces', () => 'AAAA AAAA'], ['MIME line breaks', () => b64(images['jpeg 1x1']!).replace(/(.{76})/g, '$1\r\n')],
    ['data URI prefix', () => `data:image/png;base64,${b64(images['png 64x64 grey']!)}`], ['non-ASCII', () => 'AAAAé'], ['empty string', () => ''],
    ['base64 of nothing but zeros', () => 'AAAAAAAA'], ['5 MB of "A" (at the limit)', BIG.base64Exactly5MB], ['5 MB + 4 of "A" (over)', BIG.base64Over5MB],
  ];
  for (const [label, value] of badBase64) add('malformed', 'tencent', 'bad base64', `Image ${label}`, () => one(photoRequest({ Image: value() })), label.includes('MB') ? { weight: 0.1 } : {});
  for (const [label, bytes] of Object.entries(images)) {
    const weight = /2000x2000|bomb|face photo/.test(label) ? 0.3 : 1;
    add('malformed', 'tencent', 'image bytes', label, () => one(photoRequest({ Image: b64(bytes) })), { weight });
  }

  // ── malformed: image URLs (private, loopback, tunnel addresses, other schemes)
  for (const [label, raw] of URLS) {
    const url = raw.replaceAll('PORT', String(target.port));
    const address = wouldConnect(url);
    if (address !== undefined) {
      notSent.push({ label, url, address });
      continue;
    }
    add('malformed', 'tencent', 'image URLs', label, () => one(photoRequest({ Url: url })));
    add('malformed', 'alibaba', 'image URLs', `scan ${label}`, () => one(green('/green/image/scan', { scenes: ['sface-n'], tasks: [{ url, dataId: 'd1', extras: { groupId: 'fz-ag' } }] })));
    add('malformed', 'alibaba', 'image URLs', `face/add ${label}`, () => one(green('/green/sface/face/add', { personId: 'fz-ap', urls: [url] })));
  }

  // ── auth: Tencent TC3
  const t = (name: string, plan: Case['plan'], extra: Partial<Case> = {}) => add('auth', 'tencent', 'TC3', name, plan, extra);
  const list = (o: Tc3Options) => one(post('GetGroupList', { Offset: 0, Limit: 1 }, o), { want: AUTH_T });
  t('no Authorization', () => list({ auth: null }));
  for (const garbled of [
    'TC3-HMAC-SHA256', 'TC3-HMAC-SHA256 Credential=', 'Bearer abc', 'x'.repeat(8000), 'TC3-HMAC-SHA256 Credential=AKIDfuzzroot/2020-01-01/iai/tc3_request, SignedHeaders=content-type;host, Signature=' + 'a'.repeat(63),
    'TC3-HMAC-SHA256 Credential=AKIDfuzzroot/2020-01-01/iai/tc3_request, SignedHeaders=host, Signature=' + '0'.repeat(64),
    'TC3-HMAC-SHA256 Credential=/2020-01-01/iai/tc3_request, SignedHeaders=content-type;host, Signature=' + '0'.repeat(64),
    'TC3-HMAC-SHA256 Credential=AKIDfuzzroot/2020-01-01/iai/tc3_request, SignedHeaders=content-type;host, Signature=' + 'g'.repeat(64),
    'TC3-HMAC-SHA256 Credential=AKID\u00e9/2020-01-01/iai/tc3_request, SignedHeaders=content-type;host, Signature=' + '0'.repeat(64),
    'SKIP', 'HmacSHA256', '',
  ]) {
    t(`garbled Authorization ${json(short(garbled, 60))}`, () => list({ auth: garbled }));
  }
  t('a garbled Authorization, then the valid one', () => list({ headersBefore: [['Authorization', 'TC3-HMAC-SHA256 Credential=x']] }));
  t('lower-case algorithm name (accepted)', () =>
    one(Buffer.from(post('GetGroupList', {}).toString('latin1').replace('TC3-HMAC-SHA256 Credential', 'tc3-hmac-sha256 Credential'), 'latin1'), { want: /^OK$/ }));
  t('wrong SecretKey', () => list({ key: 'wrong-secret' }));
  t('unknown SecretId', () => list({ id: 'AKIDnobody' }));
  t('expired timestamp (-1 h)', () => list({ timestamp: nowS() - 3600 }));
  t('future timestamp (+1 h)', () => list({ timestamp: nowS() + 3600 }));
  for (const ts of ['abc', '', '99999999999999999999', '-5', '1e9', ' 1700000000', '0x65', '2024-01-01T00:00:00Z', `${nowS()}.5`]) {
    t(`X-TC-Timestamp ${json(ts)}`, () => list({ timestampHeader: ts }));
  }
  t('no X-TC-Timestamp', () => list({ timestampHeader: null }));
  t('timestamp header differs from the signed one', () => list({ timestamp: nowS(), timestampHeader: String(nowS() - 10) }));
  t('scope date of yesterday', () => list({ scopeDate: scopeDate(nowS() - 86_400) }));
  t('scope date "2024-13-45"', () => list({ scopeDate: '2024-13-45' }));
  t('scope service cvm', () => list({ service: 'cvm' }));
  t('scope service from the Host (127, accepted)', () => one(post('GetGroupList', {}, { service: '127' }), { want: /^OK$/ }));
  t('signed Host other than sent', () => list({ signedHost: 'iai.tencentcloudapi.com' }));
  t('body other than signed', () => list({ signedBody: '{"Offset":0,"Limit":2}' }));
  t('UNSIGNED-PAYLOAD with a tampered body (accepted)', () => one(post('GetGroupList', '{"Offset":0,"Limit":3}', { unsigned: true }), { want: /^OK$/ }));
  t('swapped X-TC-Action after 2 s, reused signature', () => {
    const timestamp = nowS();
    const body = json({ GroupId: 'fz-g2' });
    return [one(post('GetGroupInfo', body, { timestamp }), { want: /^OK$/ }), { ...one(post('DeleteGroup', body, { timestamp }), { want: AUTH_T }), pauseBeforeMs: 2100 }];
  }, { weight: 0.1 });
  t('swapped X-TC-Version after 2 s, reused signature', () => {
    const timestamp = nowS();
    return [one(post('GetGroupList', '{}', { timestamp }), { want: /^OK$/ }), { ...one(post('GetGroupList', '{}', { timestamp, apiVersion: '2018-03-01' }), { want: AUTH_T }), pauseBeforeMs: 2100 }];
  }, { weight: 0.1 });
  t('same request twice (accepted: TC3 keeps no nonce)', () => {
    const bytes = post('GetGroupList', '{}');
    return [one(bytes, { want: /^OK$/ }), one(bytes, { want: /^OK$/ })];
  });

  // ── auth: Tencent legacy signature
  const l = (name: string, o: V1Options, want = AUTH_T) => add('auth', 'tencent', 'legacy signature', `legacy: ${name}`, () => one(v1(o), { want }));
  l('GET, correct (accepted)', {}, /^OK$/);
  l('POST form, correct (accepted)', { method: 'POST' }, /^OK$/);
  l('missing Nonce', { omit: ['Nonce'] });
  l('missing SecretId', { omit: ['SecretId'] });
  l('missing Timestamp', { omit: ['Timestamp'] });
  l('SignatureMethod HmacMD5', { signatureMethod: 'HmacMD5' });
  l('wrong SecretKey', { key: 'wrong-secret' });
  l('unknown SecretId', { id: 'AKIDnobody' });
  l('garbage Signature', { signature: '!!!' });
  l('expired Timestamp', { timestamp: String(nowS() - 3600) });
  l('ISO Timestamp', { timestamp: new Date().toISOString() });
  l('unsigned parameter appended', { after: [['Limit', '100']] });
  add('auth', 'tencent', 'legacy signature', 'POST form over 1 MB', () => one(v1({ method: 'POST', params: [['Pad', BIG.v1Over1MB()]] }), { want: AUTH_T }), { weight: 0.2 });
  add('auth', 'tencent', 'legacy signature', 'Signature parameter beside an Authorization header', () =>
    one(message('GET', `/?${new URLSearchParams([['Signature', 'x'], ['Action', 'GetGroupList']])}`, [['Content-Type', 'application/x-www-form-urlencoded'], ['Authorization', 'garbage']]), { want: AUTH_T }));

  // ── auth: Alibaba acs
  const a = (name: string, o: AcsOptions, want: RegExp = GATEWAY) => add('auth', 'alibaba', 'acs', name, () => one(green('/green/sface/groups', {}, o), { want }));
  a('no Authorization', { auth: null });
  for (const garbled of ['acs', 'acs AKIDfuzzroot', 'acs :c2ln', 'acs AKIDfuzzroot:', 'Bearer x', 'acs  AKIDfuzzroot:c2ln', 'x'.repeat(8000)]) a(`Authorization ${json(garbled.slice(0, 30))}`, { auth: garbled });
  a('ACS3-HMAC-SHA256 headers', {
    auth: 'ACS3-HMAC-SHA256 Credential=AKIDfuzzroot,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date,Signature=' + '0'.repeat(64),
    acs: { 'x-acs-action': 'GetGroups', 'x-acs-date': new Date().toISOString().replace(/\.\d+Z$/, 'Z'), 'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
  });
  a('wrong secret', { key: 'wrong-secret' });
  a('unknown AccessKeyId', { id: 'AKIDnobody' });
  a('Date -20 min', { date: new Date(Date.now() - 20 * 60_000).toUTCString() });
  a('Date +20 min', { date: new Date(Date.now() + 20 * 60_000).toUTCString() });
  a('ISO 8601 Date', { date: new Date().toISOString() });
  a('Date "yesterday"', { date: 'yesterday' });
  a('empty Date', { date: '' });
  a('no Date', { date: null });
  a('two Date headers', { headers: [['Date', new Date().toUTCString()]] });
  a('no signature method', { sigMethod: null });
  a('HMAC-SM3', { sigMethod: 'HMAC-SM3' });
  a('signature version 2.0', { sigVersion: '2.0' });
  a('no x-acs-version', { apiVersion: null });
  a('x-acs-version 2017-01-12', { apiVersion: '2017-01-12' });
  a('Content-MD5 of another body', { md5: contentMd5('{"x":1}') });
  a('Content-MD5 garbage', { md5: '!!' });
  add('auth', 'alibaba', 'acs', '16 KB nonce (accepted)', () => one(green('/green/sface/groups', {}, { nonce: randomUUID() + 'n'.repeat(16 * 1024) }), { want: /^200$/ }));
  add('auth', 'alibaba', 'acs', 'replayed nonce', () => {
    const bytes = green('/green/sface/groups', {}, { nonce: `replay-${randomUUID()}` });
    return [one(bytes, { want: /^200$/ }), one(bytes, { want: /^SignatureNonceUsed$/ })];
  });
  add('auth', 'alibaba', 'acs', 'signed query with odd keys (accepted)', () =>
    one(green('/green/sface/groups', {}, { query: [['RegionId', 'cn-shanghai'], ['clientInfo', '{"a":"b c&d=e"}'], ['', ''], ['x', '']] }), { want: /^(200|[A-Z].*)$/ }));
  add('auth', 'other', 'acs', 'signed, path in upper case', () => one(green('/GREEN/SFACE/GROUPS', {})));

  // ── protocol: methods
  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'QUERY', 'FOO', 'get', 'M-SEARCH', 'MKCOL', 'LINK']) {
    add('protocol', 'tencent', 'methods', `${method} /`, () => one(message(method, '/', [['Content-Type', 'application/json']], '{}'), { malformedHttp: true }));
    add('protocol', 'alibaba', 'methods', `${method} /green/sface/groups`, () => one(message(method, '/green/sface/groups', [['Content-Type', 'application/json']], '{}'), { malformedHttp: true }));
  }
  add('protocol', 'tencent', 'methods', 'HEAD /', () => one(message('HEAD', '/', []), { head: true }));
  add('protocol', 'alibaba', 'methods', 'HEAD /green/sface/groups', () => one(message('HEAD', '/green/sface/groups', []), { head: true }));
  add('protocol', 'tencent', 'methods', 'CONNECT 127.0.0.1:1', () => one(message('CONNECT', '127.0.0.1:1', []), { malformedHttp: true }));
  add('protocol', 'tencent', 'methods', 'OPTIONS *', () => one(message('OPTIONS', '*', []), { malformedHttp: true }));
  add('protocol', 'tencent', 'methods', 'GET / signed, with a body', () =>
    one(Buffer.concat([tc3({ method: 'GET', query: 'Offset=0', headers: [['Content-Length', '2']] }), Buffer.from('{}')])));
  for (const path of ['/favicon.ico', '//', '/%2e%2e/etc/passwd', '/index.html', '/green', '/greenx', '/healthz/../', `/${'a'.repeat(30_000)}`]) {
    add('protocol', 'other', 'other paths', `GET ${path.slice(0, 30)}`, () => one(message('GET', path, [])));
  }
  add('protocol', 'other', 'other paths', 'POST /healthz with a body', () => one(message('POST', '/healthz', [['Content-Type', 'application/json']], '{"x":1}')));
  add('protocol', 'alibaba', 'other paths', 'POST /green/../', () => one(green('/green/../', {})));
  add('protocol', 'alibaba', 'other paths', 'POST /green/sface/nothing', () => one(green('/green/sface/nothing', {})));

  // ── protocol: Expect, pipelining, half-open sockets, versions
  add('protocol', 'tencent', 'expect', 'Expect: 100-continue, Content-Length: 0', () => one(post('GetGroupList', '', { headers: [['Expect', '100-continue']] })));
  add('protocol', 'alibaba', 'expect', 'Expect: 100-continue, Content-Length: 0', () => one(green('/green/sface/groups', '', { headers: [['Expect', '100-continue']] })));
  add('protocol', 'tencent', 'expect', 'Expect: 100-continue, signed body sent at once', () => one(post('GetGroupList', '{}', { headers: [['Expect', '100-continue']] })));
  add('protocol', 'tencent', 'expect', 'Expect: bogus', () => one(post('GetGroupList', '{}', { headers: [['Expect', 'bogus']] })));
  add('protocol', 'alibaba', 'expect', 'Expect: bogus', () => one(green('/green/sface/groups', {}, { headers: [['Expect', 'bogus']] })));
  add('protocol', 'tencent', 'pipelining', '8 signed requests in one write', () => {
    const reqs = Array.from({ length: 8 }, (_, i) => post('GetGroupList', { Offset: i, Limit: 1 }, { close: i === 7 }));
    return { steps: [Buffer.concat(reqs)], answers: 8 };
  });
  add('protocol', 'alibaba', 'pipelining', '8 signed requests in one write', () => {
    const reqs = Array.from({ length: 8 }, (_, i) => green('/green/sface/groups', {}, { close: i === 7 }));
    return { steps: [Buffer.concat(reqs)], answers: 8 };
  });
  add('protocol', 'tencent', 'pipelining', '2 signed requests, then a garbage line', () => {
    const reqs = [post('GetGroupList', {}, { close: false }), post('GetGroupList', { Offset: 1 }, { close: false }), Buffer.from('GARBAGE\r\n\r\n')];
    return { steps: [Buffer.concat(reqs)], answers: 3, mustAnswer: 2, malformedHttp: true };
  });
  add('protocol', 'tencent', 'pipelining', '50 healthz-free GET requests in one write', () => {
    const reqs = Array.from({ length: 50 }, (_, i) => getQ('GetGroupList', `Offset=${i}&Limit=1`, { close: i === 49 }));
    return { steps: [Buffer.concat(reqs)], answers: 50 };
  }, { weight: 0.3 });
  add('protocol', 'tencent', 'half-open', 'whole request, then half-close', () => ({ steps: [post('GetGroupList', {}), { end: true }] }));
  add('protocol', 'alibaba', 'half-open', 'whole request, then half-close', () => ({ steps: [green('/green/sface/groups', {}), { end: true }] }));
  add('protocol', 'tencent', 'half-open', 'half a request line, then half-close', () => ({ steps: [Buffer.from('POST / HT'), { end: true }], malformedHttp: true, timeoutMs: 40_000 }));
  add('protocol', 'tencent', 'half-open', 'headers without the blank line, then half-close', () => ({ steps: [Buffer.from(`POST / HTTP/1.1\r\nHost: ${HOST()}\r\n`), { end: true }], malformedHttp: true, timeoutMs: 40_000 }));
  add('protocol', 'tencent', 'half-open', 'connect and close at once', () => ({ steps: [{ end: true }], noAnswerOk: true }));
  add('protocol', 'tencent', 'half-open', 'whole request, then reset', () => ({ steps: [post('CompareFace', { ImageA: b64(images['png 64x64 grey']!), ImageB: 'x' }), { destroy: true }], noAnswerOk: true }));
  add('protocol', 'tencent', 'HTTP versions', 'HTTP/1.0 signed', () => one(post('GetGroupList', {}, { version: 'HTTP/1.0' })));
  add('protocol', 'tencent', 'HTTP versions', 'HTTP/1.0 without Host', () => one(post('GetGroupList', {}, { version: 'HTTP/1.0', noHost: true, signedHost: '' })));
  add('protocol', 'alibaba', 'HTTP versions', 'HTTP/1.0 signed', () => one(green('/green/sface/groups', {}, { version: 'HTTP/1.0' })));
  add('protocol', 'tencent', 'HTTP versions', 'HTTP/1.1 without Host', () => one(post('GetGroupList', {}, { noHost: true, signedHost: '' }), { malformedHttp: true }));
  add('protocol', 'tencent', 'HTTP versions', 'HTTP/0.9 "GET /\\r\\n" (an unfinished request to HTTP/1)', () => one(Buffer.from('GET /\r\n'), { malformedHttp: true, slow: true, timeoutMs: 40_000 }), { slow: true });
  for (const raw of ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', `GET / HTTP/1.2\r\nHost: x\r\n\r\n`, `GET / HTTP/2.0\r\nHost: x\r\n\r\n`, `GET / HTTP/0.9\r\n\r\n`, `GET / HTTP/1.1x\r\n\r\n`]) {
    add('protocol', 'tencent', 'HTTP versions', json(raw.slice(0, 24)), () => one(Buffer.from(raw), { malformedHttp: true, timeoutMs: 40_000 }));
  }

  // ── protocol: invalid request lines and headers
  const invalid: [Api, string, string | Buffer][] = [
    ['tencent', 'garbage line', 'GARBAGE\r\n\r\n'],
    ['tencent', 'two spaces', 'GET  / HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['tencent', 'extra token', 'GET / HTTP/1.1 x\r\nHost: x\r\n\r\n'],
    ['tencent', 'no target', 'GET\r\n\r\n'],
    ['tencent', 'NUL in target', 'GET /\0 HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['tencent', 'space in target', 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['tencent', '100 KB target', `GET /?${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['tencent', 'absolute-form target', `GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['tencent', 'bare LF line ends', 'GET / HTTP/1.1\nHost: x\n\n'],
    ['tencent', 'header without colon', 'GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n'],
    ['tencent', 'space before colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'],
    ['tencent', 'obsolete line folding', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\n\r\n'],
    ['tencent', 'NUL in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n'],
    ['tencent', 'bare CR in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n'],
    ['tencent', 'UTF-8 in a header name', Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nX-'), Buffer.from('é', 'utf8'), Buffer.from(': 1\r\n\r\n')])],
    ['tencent', '70 KB header', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`],
    ['alibaba', '70 KB header', `POST /green/sface/groups HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`],
    ['tencent', '3000 headers', `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-${i}: 1\r\n`).join('')}\r\n`],
    ['tencent', 'two different Content-Lengths', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    ['alibaba', 'two different Content-Lengths', 'POST /green/sface/groups HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}'],
    ['tencent', 'Content-Length and chunked', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['tencent', 'Content-Length -1', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n'],
    ['tencent', 'Content-Length abc', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'],
    ['tencent', 'Content-Length 2^64', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n'],
    ['tencent', 'bad chunk size', 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
    ['tencent', 'Transfer-Encoding gzip, chunked', 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n'],
    ['tencent', 'Transfer-Encoding chunked, gzip', 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n'],
    ['tencent', '20 KB chunk extension', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2;${'e'.repeat(20_000)}\r\n{}\r\n0\r\n\r\n`],
    ['tencent', 'two Host headers', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'],
    ['alibaba', 'NUL in a header value', 'POST /green/sface/groups HTTP/1.1\r\nHost: x\r\nDate: a\0b\r\n\r\n'],
  ];
  for (const [api, name, raw] of invalid) add('protocol', api, 'invalid HTTP', name, () => one(buf(raw), { malformedHttp: true, timeoutMs: 40_000 }));
  add('protocol', 'tencent', 'chunked', 'signed body sent chunked', () => {
    const body = json({ Offset: 0, Limit: 2 });
    const bytes = post('GetGroupList', body, { headers: [['Transfer-Encoding', 'chunked']], noLength: true });
    const head = bytes.subarray(0, bytes.indexOf('\r\n\r\n') + 4);
    return one(Buffer.concat([head, Buffer.from(`${(body.length - 5).toString(16)}\r\n${body.slice(0, -5)}\r\n5\r\n${body.slice(-5)}\r\n0\r\n\r\n`)]));
  });
  add('protocol', 'tencent', 'chunked', '11 MB sent chunked', () => {
    const body = BIG.over10MB();
    const bytes = post('DetectFace', '', { headers: [['Transfer-Encoding', 'chunked']], noLength: true, signedBody: body });
    const head = bytes.subarray(0, bytes.indexOf('\r\n\r\n') + 4);
    const chunks = [];
    for (let i = 0; i < body.length; i += 1 << 20) {
      const part = body.slice(i, i + (1 << 20));
      chunks.push(`${part.length.toString(16)}\r\n${part}\r\n`);
    }
    return one(Buffer.concat([head, Buffer.from(chunks.join('') + '0\r\n\r\n')]));
  }, heavy);

  // ── protocol: slow clients (a few, in their own lane: each holds a connection up to the request timeout)
  const slow = { slow: true } as const;
  const slowPlan = (steps: Step[]): Plan => ({ steps, slow: true, timeoutMs: 45_000 });
  add('protocol', 'tencent', 'slow clients', 'body trickled 1 byte / 500 ms', () =>
    slowPlan([message('POST', '/', [['Content-Type', 'application/json'], ['Content-Length', '200'], ['X-TC-Action', 'GetGroupList']]), { trickle: Buffer.alloc(200, 0x20), everyMs: 500 }]), slow);
  add('protocol', 'alibaba', 'slow clients', 'body trickled 1 byte / 500 ms', () =>
    slowPlan([message('POST', '/green/sface/groups', [['Content-Type', 'application/json'], ['Content-Length', '200']]), { trickle: Buffer.alloc(200, 0x20), everyMs: 500 }]), slow);
  add('protocol', 'tencent', 'slow clients', 'headers trickled 1 byte / 300 ms', () =>
    slowPlan([{ trickle: Buffer.from(`POST / HTTP/1.1\r\nHost: ${HOST()}\r\nX-Pad: ${'p'.repeat(200)}\r\n\r\n`), everyMs: 300 }]), slow);
  add('protocol', 'tencent', 'slow clients', 'Expect: 100-continue, body never sent', () =>
    slowPlan([message('POST', '/', [['Content-Type', 'application/json'], ['Content-Length', '20'], ['Expect', '100-continue']])]), slow);
  add('protocol', 'tencent', 'slow clients', 'connect and send nothing', () => ({ ...slowPlan([]), noAnswerOk: true }), slow);

  return { cases, notSent };
}

// ───────────────────────────── the server ─────────────────────────────

interface Served {
  child: ChildProcess;
  exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  log: { tail: string[]; errors: number; examples: Map<string, number> };
}

function startServer(dataDir: string, port: number): Served {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      FACEPORT_LOG_LEVEL: process.env.FACEPORT_LOG_LEVEL ?? 'warn',
      FACEPORT_VALIDATE_RESPONSES: process.env.FACEPORT_VALIDATE_RESPONSES ?? '1',
      FACEPORT_DATA_DIR: dataDir,
      FACEPORT_PORT: String(port),
      FACEPORT_HOST: '127.0.0.1',
      FACEPORT_SECRET_ID: target.id,
      FACEPORT_SECRET_KEY: target.key,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const served: Served = { child, log: { tail: [], errors: 0, examples: new Map() } };
  const onLine = (line: string) => {
    if (!line.trim()) return;
    served.log.tail.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
    if (served.log.tail.length > 60) served.log.tail.shift();
    let entry: { level?: number; msg?: string; err?: { message?: string } } | undefined;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      entry = undefined;
    }
    if (!entry || (entry.level ?? 0) >= 50) {
      served.log.errors++;
      const key = entry ? `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`.slice(0, 200) : line.slice(0, 200);
      served.log.examples.set(key, (served.log.examples.get(key) ?? 0) + 1);
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.on('data', (d: Buffer) => {
      const lines = (rest + d.toString('utf8')).split('\n');
      rest = lines.pop()!;
      lines.forEach(onLine);
    });
  }
  child.on('exit', (code, signal) => (served.exit = { code, signal, at: Date.now() }));
  return served;
}

async function waitHealthy(served: Served, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (served.exit) throw new Error(`the server exited (${served.exit.code ?? served.exit.signal}) before it was healthy:\n${served.log.tail.join('\n')}`);
    const r = await healthz(2000).catch(() => undefined);
    if (r?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`the server was not healthy after ${timeoutMs} ms:\n${served.log.tail.join('\n')}`);
    await sleep(200);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`. */
async function stopServer(served: Served, graceMs = 6000): Promise<{ ms: number; how: string }> {
  const t0 = Date.now();
  if (served.exit) return { ms: 0, how: `had already exited (${served.exit.code ?? served.exit.signal})` };
  const exited = new Promise<void>((resolve) => served.child.once('exit', () => resolve()));
  served.child.kill('SIGTERM');
  const inTime = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!inTime) {
    served.child.kill('SIGKILL');
    await exited;
  }
  const exit = served.exit as Served['exit']; // set by the exit listener meanwhile
  return { ms: Date.now() - t0, how: inTime ? `SIGTERM, exit code ${exit?.code ?? exit?.signal}` : 'SIGKILL after SIGTERM timed out' };
}

const healthAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function healthz(timeoutMs: number): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: target.port, path: '/healthz', agent: healthAgent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const rssMB = (pid: number | undefined): number | undefined => {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
};

function cpuModel(): string {
  try {
    const m = /^Model name:\s*(.+)$/m.exec(execFileSync('lscpu', { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } }));
    if (m) return m[1]!.trim();
  } catch {
    // no lscpu
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** The library the cases aim at: groups fz-g (with a person fz-p and a face) and fz-g2, an Alibaba person fz-ap. */
export async function seed(abort: AbortSignal): Promise<void> {
  const photo = b64(readFileSync(join(repoRoot, 'test', 'fixtures', 'faces', 'lfw-dev', 'Al_Gore', '1.jpg')));
  const steps: [string, Buffer, (j: any) => boolean][] = [
    ['CreateGroup fz-g', post('CreateGroup', { GroupId: 'fz-g', GroupName: 'fuzz', GroupExDescriptions: ['Desk'], FaceModelVersion: '3.0' }), (j) => !j?.Response?.Error],
    ['CreateGroup fz-g2', post('CreateGroup', { GroupId: 'fz-g2', GroupName: 'fuzz 2' }), (j) => !j?.Response?.Error],
    ['CreatePerson fz-p', post('CreatePerson', { GroupId: 'fz-g', PersonId: 'fz-p', PersonName: 'Fuzz', Image: photo }), (j) => !j?.Response?.Error],
    ['AddPerson fz-ap', green('/green/sface/person/add', { personId: 'fz-ap', groupIds: ['fz-ag'] }), (j) => j?.code === 200],
  ];
  for (const [what, bytes, ok] of steps) {
    const x = await exchange(one(bytes), abort);
    const a = x.answers[0];
    const j = a ? parseJson(a.body) : undefined;
    if (!ok(j)) throw new Error(`seeding failed at ${what}: ${a ? `${a.status} ${a.body.toString('utf8').slice(0, 300)}` : x.end}`);
  }
}

// ───────────────────────────── the storm ─────────────────────────────

interface Finding {
  kind: ProblemKind | 'no-answer' | 'unexpected' | '5xx';
  category: Category;
  api: Api;
  status: string;
  code: string;
  detail: string;
  count: number;
  cases: Set<string>;
  request: string;
  answer: string;
}

interface Stats {
  runs: number;
  messages: number;
  byShape: Map<string, { category: Category; runs: number; messages: number }>;
  answers: Map<string, number>;
  fiveXX: number;
  findings: Map<string, Finding>;
  aborted: number;
  caseMs: Map<string, number[]>;
  scriptErrors: Map<string, number>;
}

/** A short, printable form of a request: its line, headers (Authorization cut) and a body excerpt. */
export function describeRequest(bytes: Buffer | undefined): string {
  if (!bytes) return '(no bytes: a connection only)';
  const end = bytes.indexOf('\r\n\r\n');
  const headEnd = end < 0 ? Math.min(bytes.length, 600) : end;
  const lines = bytes.subarray(0, Math.min(headEnd, 4000)).toString('latin1').split(/\r?\n/);
  const firstLength = (bytes.indexOf('\n') < 0 ? bytes.length : bytes.indexOf('\n')) - (bytes[bytes.indexOf('\n') - 1] === 13 ? 1 : 0);
  const shown = lines.slice(0, 14).map((l, i) => {
    if (i === 0) return l.length > 160 ? `${l.slice(0, 160)}… (${firstLength} chars)` : l;
    const short = /^authorization:/i.test(l) ? `${l.slice(0, 72)}…` : l;
    return short.length > 120 ? `${short.slice(0, 120)}… (${short.length} chars)` : short;
  });
  if (lines.length > 14) shown.push(`… ${lines.length - 14} more header lines`);
  const body = end < 0 ? EMPTY : bytes.subarray(end + 4);
  if (body.length) shown.push(`body (${body.length} bytes): ${JSON.stringify(body.subarray(0, 160).toString('latin1'))}${body.length > 160 ? '…' : ''}`);
  return shown.join('\n      ');
}
const describeAnswer = (a: Answer | undefined, end: End): string =>
  a ? `${a.status} ${a.reason} | ${a.headers['content-type'] ?? '(no Content-Type)'} | ${JSON.stringify(a.body.subarray(0, 240).toString('utf8'))}` : `no answer (${end})`;

function record(stats: Stats, c: Case, p: Plan, x: Exchange, docs: Docs): void {
  const messages = p.messages ?? p.answers ?? 1;
  stats.runs++;
  stats.messages += messages;
  const shapeKey = `${c.category}\t${c.shape}`;
  const shape = stats.byShape.get(shapeKey) ?? { category: c.category, runs: 0, messages: 0 };
  shape.runs++;
  shape.messages += messages;
  stats.byShape.set(shapeKey, shape);
  const first = p.steps.find((s): s is Buffer => Buffer.isBuffer(s)) ?? (p.steps.find((s) => 'trickle' in (s as object)) as { trickle: Buffer } | undefined)?.trickle;
  const note = (kind: Finding['kind'], status: string, code: string, detail: string, a: Answer | undefined) => {
    const key = [kind, c.category, c.api, status, code].join('|');
    const f = stats.findings.get(key) ?? { kind, category: c.category, api: c.api, status, code, detail, count: 0, cases: new Set(), request: describeRequest(first), answer: describeAnswer(a, x.end) };
    f.count++;
    f.cases.add(c.key);
    stats.findings.set(key, f);
  };
  if (x.end === 'aborted') {
    stats.aborted++;
    return;
  }
  const ms = stats.caseMs.get(c.key) ?? [];
  ms.push(x.ms);
  stats.caseMs.set(c.key, ms);
  for (const a of x.answers) {
    const j = judge(c.api, a, p, docs);
    const label = `${c.api}\t${a.status}\t${j.code}`;
    stats.answers.set(label, (stats.answers.get(label) ?? 0) + 1);
    if (a.status >= 500) {
      stats.fiveXX++;
      note('5xx', String(a.status), j.code, `HTTP ${a.status}`, a);
    }
    for (const pr of j.problems) note(pr.kind, String(a.status), j.code, pr.detail, a);
    if (p.want && !p.want.test(j.code)) note('unexpected', String(a.status), j.code, `expected a code matching ${p.want}`, a);
  }
  const required = p.mustAnswer ?? (p.malformedHttp || p.noAnswerOk || p.slow ? 0 : (p.answers ?? 1));
  if (x.answers.length < required || (x.end === 'timeout' && x.answers.length < (p.answers ?? 1))) {
    stats.answers.set(`${c.api}\t-\t${x.end}`, (stats.answers.get(`${c.api}\t-\t${x.end}`) ?? 0) + 1);
    note('no-answer', '-', x.end, `${x.answers.length} of ${p.answers ?? 1} answers, then ${x.end}${x.error ? ` (${x.error})` : ''}`, x.answers[0]);
  } else if (x.answers.length === 0) {
    stats.answers.set(`${c.api}\t-\t${x.end} (accepted)`, (stats.answers.get(`${c.api}\t-\t${x.end} (accepted)`) ?? 0) + 1);
  }
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every fast case once (shuffled), then weighted draws up to `total`. */
function schedule(cases: Case[], total: number): Case[] {
  const out = [...cases];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  const weights = cases.map((c) => c.weight ?? 1);
  const sum = weights.reduce((s, w) => s + w, 0);
  while (out.length < total) {
    let r = rng() * sum;
    let i = 0;
    while (i < cases.length - 1 && (r -= weights[i]!) > 0) i++;
    out.push(cases[i]!);
  }
  return out.slice(0, Math.max(total, 0));
}

const pct = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
const f1 = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(1));

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '5000' },
      concurrency: { type: 'string', default: '32' },
      seconds: { type: 'string', default: '120' },
      seed: { type: 'string', default: '1' },
    },
  });
  const total = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const seconds = Number(values.seconds);
  if (![total, concurrency, seconds].every((n) => Number.isFinite(n) && n > 0) || total > 100_000 || concurrency > 256 || seconds > 1800) {
    throw new Error('--requests (≤ 100000), --concurrency (≤ 256) and --seconds (≤ 1800) must be positive numbers');
  }
  rng = mulberry32(Number(values.seed));

  const dataDir = mkdtempSync(join(tmpdir(), 'faceport-fuzz-'));
  let served: Served | undefined;
  const abortAll = new AbortController();
  setMaxListeners(0, abortAll.signal); // every exchange in flight listens
  const cleanup = async () => {
    abortAll.abort();
    healthAgent.destroy();
    if (served) await stopServer(served);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    if (served && !served.exit) served.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  try {
    try {
      ({ isPublicAddress } = (await import('../src/engine/fetch-url.ts')) as { isPublicAddress?: (a: string) => boolean });
    } catch {
      isPublicAddress = undefined;
    }
    const docs = loadDocs();
    const images = await makeImages();
    target.port = await freePort();
    const t0 = Date.now();
    served = startServer(dataDir, target.port);
    await waitHealthy(served, 180_000);
    const startMs = Date.now() - t0;
    await seed(abortAll.signal);
    const { cases, notSent } = buildCases(images);
    const fast = cases.filter((c) => !c.slow);
    const slowCases = cases.filter((c) => c.slow);
    const slowNames = new Set(slowCases.map((c) => c.key));
    const plan = schedule(fast, total - slowCases.length);

    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push((await healthz(5000)).ms);
    const rssBefore = rssMB(served.child.pid);
    let rssPeak = rssBefore ?? 0;

    const stats: Stats = { runs: 0, messages: 0, byShape: new Map(), answers: new Map(), fiveXX: 0, findings: new Map(), aborted: 0, caseMs: new Map(), scriptErrors: new Map() };
    const inflight = new Map<number, string>();
    const suspects = new Map<string, number>();
    const health: number[] = [];
    const healthFailures: string[] = [];
    let slowPolls = 0;
    let stopped = false;
    let seq = 0;
    const stormStart = Date.now();
    const capTimer = setTimeout(() => {
      stopped = true;
      setTimeout(() => abortAll.abort(), 5000).unref();
    }, seconds * 1000);
    served.child.once('exit', () => {
      stopped = true;
      abortAll.abort();
    });

    const runCase = async (c: Case) => {
      const id = seq++;
      inflight.set(id, c.key);
      try {
        const plans = [c.plan()].flat();
        for (const p of plans) {
          if (p.pauseBeforeMs) await sleep(p.pauseBeforeMs, abortAll.signal);
          if (abortAll.signal.aborted) break;
          record(stats, c, p, await exchange(p, abortAll.signal), docs);
        }
      } catch (e) {
        const key = `${c.key}: ${(e as Error).message}`.slice(0, 200);
        stats.scriptErrors.set(key, (stats.scriptErrors.get(key) ?? 0) + 1);
      } finally {
        inflight.delete(id);
      }
    };
    let next = 0;
    const worker = async () => {
      while (!stopped && next < plan.length) await runCase(plan[next++]!);
    };
    let storming = true;
    const poller = (async () => {
      while (storming) {
        const started = performance.now();
        const during = new Set(inflight.values());
        try {
          const r = await healthz(5000);
          health.push(r.ms);
          if (r.status !== 200) healthFailures.push(`HTTP ${r.status}`);
          if (r.ms > 250) {
            slowPolls++;
            for (const name of new Set([...during, ...inflight.values()])) {
              if (!slowNames.has(name)) suspects.set(name, (suspects.get(name) ?? 0) + 1);
            }
          }
        } catch (e) {
          healthFailures.push((e as Error).message);
          health.push(performance.now() - started);
        }
        const r = rssMB(served?.child.pid);
        if (r !== undefined) rssPeak = Math.max(rssPeak, r);
        await sleep(Math.max(0, 50 - (performance.now() - started)));
      }
    })();
    process.stderr.write(`fuzz: ${plan.length + slowCases.length} requests (${cases.length} cases), concurrency ${concurrency}, cap ${seconds} s …\n`);
    await Promise.all([...Array.from({ length: concurrency }, worker), ...slowCases.map(runCase)]);
    storming = false;
    await poller;
    clearTimeout(capTimer);
    const stormMs = Date.now() - stormStart;
    const crashed = served.exit;
    await sleep(1000);
    const rssAfter = rssMB(served.child.pid);
    await sleep(9000); // what stays once the storm's garbage could be collected
    const rssSettled = rssMB(served.child.pid);
    const stop = await stopServer(served);

    // ── report
    const out: string[] = [];
    const line = (s = '') => out.push(s);
    const sortedHealth = [...health].sort((x, y) => x - y);
    const sortedIdle = [...idle].sort((x, y) => x - y);
    line(`faceport fuzz — ${new Date().toISOString()}`);
    line(`CPU: ${cpuModel()} (${cpus().length} cores), node ${process.version}, seed ${values.seed}`);
    line(`server: healthy ${startMs} ms after spawn; FACEPORT_VALIDATE_RESPONSES=${process.env.FACEPORT_VALIDATE_RESPONSES ?? '1'}; stopped with ${stop.how} in ${stop.ms} ms`);
    line(`documented codes from: ${docs.sources.join(', ')} (${docs.tencent.size} Tencent, ${docs.greenBusiness.size} Green business, ${docs.greenGateway.size} Green gateway)`);
    line(`storm: ${stats.runs} exchanges, ${stats.messages} HTTP requests, ${stats.caseMs.size} of ${cases.length} cases run, concurrency ${concurrency}, ${(stormMs / 1000).toFixed(1)} s (cap ${seconds} s)${stats.aborted ? `, ${stats.aborted} cut at the cap` : ''}`);
    line();
    line('requests by category and shape (exchanges / HTTP requests)');
    for (const category of ['malformed', 'auth', 'protocol'] as Category[]) {
      const shapes = [...stats.byShape.entries()].filter(([, v]) => v.category === category);
      const sum = shapes.reduce((s, [, v]) => s + v.messages, 0);
      line(`  ${category.padEnd(10)} ${String(sum).padStart(6)}   ${shapes.map(([k, v]) => `${k.split('\t')[1]} ${v.runs}${v.messages !== v.runs ? `/${v.messages}` : ''}`).join(', ')}`);
    }
    line();
    line('answers by API, HTTP status and code (top 12 each)');
    for (const api of ['tencent', 'alibaba', 'other'] as Api[]) {
      const rows = [...stats.answers.entries()].filter(([k]) => k.startsWith(`${api}\t`)).sort((x, y) => y[1] - x[1]);
      if (!rows.length) continue;
      line(`  ${api}: ${rows.slice(0, 12).map(([k, n]) => `${k.split('\t').slice(1).join(' ')} ×${n}`).join(', ')}${rows.length > 12 ? `, … ${rows.length - 12} more` : ''}`);
    }
    const byKind = (k: Finding['kind']) => [...stats.findings.values()].filter((f) => f.kind === k);
    const sumOf = (fs: Finding[]) => fs.reduce((s, f) => s + f.count, 0);
    line();
    line(`server crashes (child exit during the storm): ${crashed ? `1 (${crashed.code ?? crashed.signal})` : 0}`);
    line(`HTTP 5xx: ${stats.fiveXX}`);
    line(`non-envelope answers: ${sumOf(byKind('non-envelope'))} (${byKind('non-envelope').length} distinct)`);
    line(`undocumented codes: ${sumOf(byKind('undocumented'))} (${byKind('undocumented').length} distinct)`);
    line(`internal-error answers (documented, but a bug under fuzzing): ${sumOf(byKind('internal'))}`);
    line(`unexpected outcomes (an auth case not refused, or refused with another code): ${sumOf(byKind('unexpected'))}`);
    line(`well-formed requests left unanswered: ${sumOf(byKind('no-answer'))}`);
    line(`server log lines at level error or above: ${served.log.errors}`);
    line(`/healthz during the storm: ${health.length} polls, p50 ${f1(pct(sortedHealth, 0.5))} ms, p99 ${f1(pct(sortedHealth, 0.99))} ms, max ${f1(sortedHealth.at(-1))} ms, over 250 ms ${slowPolls}, failures ${healthFailures.length} (idle before: p50 ${f1(pct(sortedIdle, 0.5))} ms)`);
    line(`server RSS: before ${f1(rssBefore)} MB, peak ${f1(rssPeak)} MB, after ${f1(rssAfter)} MB (1 s), ${f1(rssSettled)} MB (10 s idle)`);
    if (notSent.length) {
      line();
      line('image URLs not sent (the server would have connected to a non-loopback address):');
      for (const n of notSent) line(`  ${n.label}: ${n.url} → ${n.address}`);
    }
    const findings = [...stats.findings.values()].sort((x, y) => x.kind.localeCompare(y.kind) || y.count - x.count);
    if (findings.length) {
      line();
      line('findings, once per (kind, category, API, status, code):');
      for (const f of findings) {
        const names = [...f.cases];
        line(`  [${f.kind}] ${f.category} ${f.api} HTTP ${f.status} ${f.code} — ${f.count}× — ${f.detail}`);
        line(`    cases: ${names.slice(0, 4).join(' | ')}${names.length > 4 ? ` | … ${names.length - 4} more` : ''}`);
        line(`    request: ${f.request}`);
        line(`    answer:  ${f.answer}`);
      }
    }
    if (slowPolls) {
      line();
      line(`cases in flight during the ${slowPolls} slow /healthz polls (> 250 ms; slow-lane clients left out), most often first:`);
      for (const [name, n] of [...suspects.entries()].sort((x, y) => y[1] - x[1]).slice(0, 10)) line(`  ${n}× ${name} (of ${stats.caseMs.get(name)?.length ?? 0} runs)`);
    }
    line();
    line('slowest exchanges outside the slow lane (max ms, runs):');
    const timed = [...stats.caseMs.entries()].filter(([name]) => !slowNames.has(name));
    for (const [name, ms] of timed.sort((x, y) => Math.max(...y[1]) - Math.max(...x[1])).slice(0, 10)) {
      line(`  ${f1(Math.max(...ms)).padStart(8)} ms  ×${ms.length}  ${name}`);
    }
    if (healthFailures.length) line(`\n/healthz failures: ${[...new Set(healthFailures)].slice(0, 5).join('; ')}`);
    if (served.log.examples.size) {
      line();
      line('server error log lines (distinct, first 10):');
      for (const [msg, n] of [...served.log.examples.entries()].slice(0, 10)) line(`  ${n}× ${msg}`);
    }
    if (crashed) {
      line();
      line('last server output before it exited:');
      for (const l of served.log.tail.slice(-30)) line(`  ${l}`);
    }
    if (stats.scriptErrors.size) {
      line();
      line('fuzzer errors (bugs in this script, not the server):');
      for (const [msg, n] of stats.scriptErrors) line(`  ${n}× ${msg}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return crashed || stats.fiveXX > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`fuzz failed: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(2);
    },
  );
}
