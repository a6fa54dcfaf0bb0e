import { connect, type Socket } from 'node:net';
import { canonicalRequest, scopeDate, signature as tc3Signature, stringToSign as tc3StringToSign, UNSIGNED_PAYLOAD } from '../../src/tencent/signature.ts';

/**
 * Requests written byte for byte over a socket, as a given official SDK puts them on the wire:
 * header names in its casing and order, its Content-Type, its query encoding, Expect:
 * 100-continue, Connection: close… node:http would add or normalise some of that.
 */

/** Header lines in wire order, names in the casing the SDK writes. */
export type HeaderList = [name: string, value: string][];

export interface RawRequest {
  method: string;
  /** the request target, e.g. `/`, `/?`, `/?a=b` */
  target: string;
  headers: HeaderList;
  body?: string | Buffer;
  /**
   * With an `Expect: 100-continue` header: `wait` sends the body only after the server's
   * `100 Continue` (and not at all if a final answer comes first, as curl and Guzzle do);
   * `send` (the default) sends headers and body at once, as curl does after its 1 s wait.
   */
  expect?: 'wait' | 'send';
}

export interface RawAnswer {
  status: number;
  /** the status of every interim (1xx) answer received first */
  interim: number[];
  /** header lines in wire order, names as the server wrote them */
  rawHeaders: HeaderList;
  body: Buffer;
  text: string;
  /** the body parsed as JSON, undefined when it is not JSON */
  json: any;
  /** every value of a header, by case-insensitive name */
  all(name: string): string[];
  /** the value of a header that must appear at most once */
  header(name: string): string | undefined;
}

interface Head {
  status: number;
  headers: HeaderList;
  end: number;
}

function parseHead(buf: Buffer): Head | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!);
  if (!m) throw new Error(`not an HTTP answer: ${JSON.stringify(lines[0])}`);
  const headers: HeaderList = lines.slice(1).map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i), l.slice(i + 1).trim()];
  });
  return { status: Number(m[1]), headers, end: end + 4 };
}

const valuesOf = (headers: HeaderList, name: string) =>
  headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

/** Decodes a chunked body; undefined until the last chunk has arrived. */
function dechunk(buf: Buffer): { body: Buffer; used: number } | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = parseInt(buf.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (size === 0) {
      const trailerEnd = buf.indexOf('\r\n\r\n', eol);
      if (trailerEnd < 0 && buf.length < eol + 4) return undefined;
      return { body: Buffer.concat(parts), used: trailerEnd < 0 ? eol + 4 : trailerEnd + 4 };
    }
    if (buf.length < eol + 2 + size + 2) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

function answerOf(status: number, interim: number[], rawHeaders: HeaderList, body: Buffer): RawAnswer {
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    status,
    interim,
    rawHeaders,
    body,
    text,
    json,
    all: (name) => valuesOf(rawHeaders, name),
    header(name) {
      const v = valuesOf(rawHeaders, name);
      if (v.length > 1) throw new Error(`header ${name} sent ${v.length} times: ${JSON.stringify(v)}`);
      return v[0];
    },
  };
}

export function serialize(r: RawRequest): { head: Buffer; body: Buffer } {
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body);
  const headers = [...r.headers];
  const framed = headers.some(([n]) => /^(content-length|transfer-encoding)$/i.test(n));
  if (!framed && body.length > 0) headers.push(['Content-Length', String(body.length)]);
  const head = `${r.method} ${r.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return { head: Buffer.from(head, 'latin1'), body };
}

/**
 * One client connection; requests go one at a time (HTTP/1.1 without pipelining), as the SDKs'
 * keep-alive pools use a socket.
 */
export class RawConnection {
  private readonly socket: Socket;
  private buf = Buffer.alloc(0);
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  readonly connected: Promise<void>;
  /** resolves when the server closed the connection (or it failed) */
  readonly closed: Promise<void>;

  constructor(port: number, host = '127.0.0.1') {
    this.socket = connect({ port, host });
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake?.();
    });
    this.socket.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    this.socket.on('close', () => {
      this.ended = true;
      this.wake?.();
    });
    this.socket.on('error', (e) => {
      // A server may answer early and close while a large body is still being written
      // (EPIPE/ECONNRESET); what it answered is still read.
      this.failure = e;
      this.wake?.();
    });
  }

  get isClosed(): boolean {
    return this.ended || this.socket.destroyed;
  }

  private waitForData(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** The next answer head, interim ones included. */
  private async readHead(): Promise<Head> {
    for (;;) {
      const head = parseHead(this.buf);
      if (head) return head;
      if (this.ended || this.failure) throw this.failure ?? new Error(`connection closed before an answer (${this.buf.length} bytes read)`);
      await this.waitForData();
    }
  }

  private async readFinal(method: string, interim: number[], first?: Head): Promise<RawAnswer> {
    let head = first ?? (await this.readHead());
    while (head.status >= 100 && head.status < 200) {
      interim.push(head.status);
      this.buf = this.buf.subarray(head.end);
      head = await this.readHead();
    }
    this.buf = this.buf.subarray(head.end);
    const length = valuesOf(head.headers, 'content-length')[0];
    const chunked = /chunked/i.test(valuesOf(head.headers, 'transfer-encoding')[0] ?? '');
    const bodiless = method === 'HEAD' || head.status === 204 || head.status === 304;
    for (;;) {
      if (bodiless) return answerOf(head.status, interim, head.headers, Buffer.alloc(0));
      if (chunked) {
        const d = dechunk(this.buf);
        if (d) {
          this.buf = this.buf.subarray(d.used);
          return answerOf(head.status, interim, head.headers, d.body);
        }
      } else if (length !== undefined) {
        const n = Number(length);
        if (this.buf.length >= n) {
          const body = this.buf.subarray(0, n);
          this.buf = this.buf.subarray(n);
          return answerOf(head.status, interim, head.headers, body);
        }
      } else if (this.ended) {
        const body = this.buf;
        this.buf = Buffer.alloc(0);
        return answerOf(head.status, interim, head.headers, body);
      }
      if (this.ended || (this.failure && length !== undefined)) {
        throw this.failure ?? new Error(`connection closed inside the answer body (${this.buf.length} of ${length} bytes)`);
      }
      await this.waitForData();
    }
  }

  private write(data: Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed || this.ended) return resolve();
      this.socket.write(data, () => resolve());
    });
  }

  async send(r: RawRequest): Promise<RawAnswer> {
    await this.connected;
    const { head, body } = serialize(r);
    const interim: number[] = [];
    const expects = r.headers.some(([n, v]) => n.toLowerCase() === 'expect' && /^100-continue$/i.test(v));
    if (expects && r.expect === 'wait' && body.length > 0) {
      await this.write(head);
      const first = await this.readHead();
      if (first.status !== 100) return this.readFinal(r.method, interim, first);
      interim.push(100);
      this.buf = this.buf.subarray(first.end);
      void this.write(body);
      return this.readFinal(r.method, interim);
    }
    void this.write(Buffer.concat([head, body]));
    return this.readFinal(r.method, interim);
  }

  /** Writes bytes that are not necessarily a well-formed request and reads one answer. */
  async sendBytes(bytes: string | Buffer): Promise<RawAnswer> {
    await this.connected;
    void this.write(Buffer.from(bytes));
    return this.readFinal('GET', []);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sends one request on a connection of its own, closed afterwards. */
export async function sendRaw(port: number, r: RawRequest): Promise<RawAnswer> {
  const c = new RawConnection(port);
  try {
    return await c.send(r);
  } finally {
    c.close();
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Tc3Signing {
  secretId: string;
  secretKey: string;
  timestamp: number;
  method: 'GET' | 'POST';
  /** the query string exactly as put on the URL ('' for POST) */
  query?: string;
  contentType: string;
  /** the host the SDK signs (with or without the port, as that SDK does) */
  host: string;
  body?: string | Buffer;
  /** the credential-scope service: `iai` (Python, Go) or the endpoint's first label (the others) */
  service?: string;
  /** X-TC-Content-SHA256: UNSIGNED-PAYLOAD mode */
  unsignedPayload?: boolean;
  /** what follows `TC3-HMAC-SHA256` (.NET writes two spaces) */
  gap?: string;
}

/** A TC3-HMAC-SHA256 Authorization over `content-type;host`, as every SDK builds it (spec §5.3). */
export function tc3Authorization(o: Tc3Signing): string {
  const date = scopeDate(o.timestamp);
  const service = o.service ?? 'iai';
  const canonical = canonicalRequest({
    method: o.method,
    query: o.method === 'GET' ? (o.query ?? '') : '',
    headers: { 'content-type': o.contentType, host: o.host },
    signedHeaders: ['content-type', 'host'],
    payload: o.unsignedPayload ? UNSIGNED_PAYLOAD : (o.body ?? ''),
  });
  const scope = `${date}/${service}/tc3_request`;
  const sig = tc3Signature(o.secretKey, date, service, tc3StringToSign(o.timestamp, scope, canonical));
  return `TC3-HMAC-SHA256${o.gap ?? ' '}Credential=${o.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${sig}`;
}
