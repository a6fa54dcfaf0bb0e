import { createRequire } from 'node:module';
import type { TestServer } from './server.ts';

// The official SDK is CommonJS; loading one service keeps tests from pulling in all of them.
const require = createRequire(import.meta.url);
const { iai } = require('tencentcloud-sdk-nodejs/tencentcloud/services/iai/index.js') as {
  iai: Record<string, { Client: new (config: unknown) => unknown }>;
};

export const versions = ['2018-03-01', '2020-03-03'] as const;
export const methods = ['POST', 'GET'] as const;
export type Version = (typeof versions)[number];
export type Method = (typeof methods)[number];

export const signMethods = ['TC3-HMAC-SHA256', 'HmacSHA256', 'HmacSHA1'] as const;
export type SignMethod = (typeof signMethods)[number];

/** An official IAI client for the given version, HTTP method and signature, pointed at the test server. */
export function iaiClient(
  s: Pick<TestServer, 'port' | 'secretId' | 'secretKey'>,
  version: Version,
  reqMethod: Method = 'POST',
  credential = { secretId: s.secretId, secretKey: s.secretKey },
  signMethod: SignMethod = 'TC3-HMAC-SHA256',
): any {
  const ns = iai[`v${version.replaceAll('-', '')}`]!;
  return new ns.Client({
    credential,
    region: 'ap-guangzhou',
    profile: { signMethod, httpProfile: { endpoint: `127.0.0.1:${s.port}`, protocol: 'http://', reqMethod, reqTimeout: 30 } },
  });
}

/** Runs an SDK call expected to fail and returns the Tencent error code it carried. */
export async function errorCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code) return code;
    throw e;
  }
  throw new Error('expected the call to fail, it succeeded');
}
