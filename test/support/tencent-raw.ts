import { request } from 'node:http';
import { createRequire } from 'node:module';

// Raw requests are signed by the official SDK's own signer, so the server is checked against
// Tencent's implementation, not against a second copy of ours.
const require = createRequire(import.meta.url);
const Sign = (require('tencentcloud-sdk-nodejs/tencentcloud/common/sign.js') as {
  default: { sign3(o: Record<string, unknown>): string };
}).default;

export interface RawOptions {
  port: number;
  secretId: string;
  secretKey: string;
  method?: string;
  action?: string;
  version?: string;
  query?: string;
  body?: string | Buffer;
  /** the body the signature covers, when it should differ from the one sent */
  signedBody?: string | Buffer;
  contentType?: string;
  timestamp?: number;
  /** replaces the computed Authorization header; null sends none */
  authorization?: string | null;
  headers?: Record<string, string>;
  /** the host the signature covers (the SDK signs the hostname without the port) */
  signedHost?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export function rawTencent(o: RawOptions): Promise<RawResponse> {
  const method = o.method ?? 'POST';
  const contentType = o.contentType ?? (method === 'GET' ? 'application/x-www-form-urlencoded' : 'application/json');
  const body = o.body === undefined ? Buffer.alloc(0) : Buffer.from(o.body);
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const path = o.query ? `/?${o.query}` : '/';
  const authorization =
    o.authorization !== undefined
      ? o.authorization
      : Sign.sign3({
          method: method === 'GET' ? 'GET' : 'POST',
          url: `http://${o.signedHost ?? '127.0.0.1'}:${o.port}${path}`,
          payload: method === 'GET' ? undefined : o.signedBody === undefined ? body : Buffer.from(o.signedBody),
          timestamp,
          service: 'iai',
          secretId: o.secretId,
          secretKey: o.secretKey,
          multipart: false,
          boundary: '',
          headers: { 'Content-Type': contentType },
        });
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'X-TC-Timestamp': String(timestamp),
    ...(o.action === undefined ? {} : { 'X-TC-Action': o.action }),
    ...(o.version === undefined ? {} : { 'X-TC-Version': o.version }),
    ...(authorization === null ? {} : { Authorization: authorization }),
    ...o.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: o.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body.length ? body : undefined);
  });
}
