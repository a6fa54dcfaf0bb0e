import { createRequire } from 'node:module';
import type { TestServer } from '../support/server.ts';

// The official generic ROA client (CommonJS), which signs requests exactly as Alibaba's SDKs do.
const require = createRequire(import.meta.url);
const { ROAClient } = require('@alicloud/pop-core') as {
  ROAClient: new (config: Record<string, unknown>) => RoaClient;
};

interface RoaClient {
  request(
    method: string,
    path: string,
    query?: Record<string, string>,
    body?: string,
    headers?: Record<string, string>,
    opts?: Record<string, unknown>,
  ): Promise<any>;
}

export const GREEN_VERSION = '2018-05-09';

// pop-core parses with json-bigint, which builds null-prototype objects (numbers stay numbers
// below 2^53, as faceport's ids are); plain copies compare with deepEqual.
const plain = (v: unknown): any => JSON.parse(JSON.stringify(v));

export interface GreenOptions {
  accessKeyId?: string;
  accessKeySecret?: string;
  apiVersion?: string;
}

/** pop-core's ROAClient pointed at the test server, calling Green paths with JSON bodies. */
export function greenClient(s: Pick<TestServer, 'port' | 'secretId' | 'secretKey'>, o: GreenOptions = {}) {
  const client = new ROAClient({
    accessKeyId: o.accessKeyId ?? s.secretId,
    accessKeySecret: o.accessKeySecret ?? s.secretKey,
    endpoint: `http://127.0.0.1:${s.port}`,
    apiVersion: o.apiVersion ?? GREEN_VERSION,
  });
  const request: RoaClient['request'] = (...args) => client.request(...args).then(plain);
  return {
    /** POSTs `body` as JSON (pop-core leaves Content-Type to the caller); extra headers override pop-core's own. */
    call(path: string, body: unknown = {}, extra: { query?: Record<string, string>; headers?: Record<string, string> } = {}) {
      return request('POST', path, extra.query ?? {}, JSON.stringify(body), { 'content-type': 'application/json', ...extra.headers });
    },
    /** pop-core's own request(method, path, query, body, headers, opts) */
    request,
  };
}

/** Runs a call expected to fail at the gateway and returns pop-core's error (`.code`, `.statusCode`). */
export async function gatewayError(call: Promise<unknown>): Promise<{ code: string; statusCode: number; message: string }> {
  try {
    await call;
  } catch (e) {
    const err = e as { code?: string; statusCode?: number; message: string };
    if (err.code && err.statusCode) return { code: err.code, statusCode: err.statusCode, message: err.message };
    throw e;
  }
  throw new Error('expected the call to fail, it succeeded');
}
