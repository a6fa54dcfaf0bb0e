import type { IncomingHttpHeaders } from 'node:http';
import type { KeyRing } from '../auth/keys.ts';
import { TencentError } from './errors.ts';
import {
  canonicalRequest,
  parseAuthorization,
  scopeDate,
  signature,
  signaturesEqual,
  stringToSign,
  TIMESTAMP_WINDOW_S,
  UNSIGNED_PAYLOAD,
} from './signature.ts';

export interface SignedRequest {
  method: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/**
 * Verifies a TC3-HMAC-SHA256 request (spec §5.3 recipe) and returns the caller's SecretId.
 *
 * Two quirks of the official Node SDK are honoured: it signs the host without the port the
 * Host header carries, and derives the credential-scope service from the endpoint's first
 * label (`127` for 127.0.0.1:8080), so the service is taken from the scope, not assumed.
 */
export function authenticate(req: SignedRequest, keys: KeyRing, nowSeconds = Date.now() / 1000): string {
  const raw = header(req.headers, 'authorization');
  if (!raw) throw new TencentError('AuthFailure.InvalidAuthorization', 'The request has no Authorization header.');
  const auth = parseAuthorization(raw);
  if (!auth || !auth.signedHeaders.includes('host') || !auth.signedHeaders.includes('content-type')) {
    throw new TencentError(
      'AuthFailure.InvalidAuthorization',
      'The Authorization header is not a valid TC3-HMAC-SHA256 authorization (it must sign content-type and host).',
    );
  }
  const secretKey = keys.secretFor(auth.secretId);
  if (secretKey === undefined) {
    throw new TencentError('AuthFailure.SecretIdNotFound', `The SecretId ${auth.secretId} is not found or has been revoked.`);
  }
  const tsHeader = header(req.headers, 'x-tc-timestamp');
  if (tsHeader === undefined) throw new TencentError('MissingParameter', 'The request is missing a required parameter `Timestamp`.');
  if (!/^\d{1,12}$/.test(tsHeader)) throw new TencentError('InvalidParameter', 'The parameter `Timestamp` must be Unix seconds.');
  const timestamp = Number(tsHeader);
  if (Math.abs(nowSeconds - timestamp) > TIMESTAMP_WINDOW_S) {
    throw new TencentError(
      'AuthFailure.SignatureExpire',
      `The request timestamp ${timestamp} differs from server time ${Math.floor(nowSeconds)} by more than ${TIMESTAMP_WINDOW_S} seconds.`,
    );
  }
  if (auth.date !== scopeDate(timestamp)) {
    throw new TencentError('AuthFailure.SignatureFailure', 'The credential scope date does not match X-TC-Timestamp.');
  }

  const unsigned = header(req.headers, 'x-tc-content-sha256') === UNSIGNED_PAYLOAD;
  const signedValues: Record<string, string> = {};
  for (const name of auth.signedHeaders) signedValues[name] = header(req.headers, name) ?? '';
  const host = signedValues.host ?? '';
  const hostWithoutPort = host.replace(/:\d+$/, '');
  const scope = `${auth.date}/${auth.service}/tc3_request`;

  for (const h of host === hostWithoutPort ? [host] : [host, hostWithoutPort]) {
    const canonical = canonicalRequest({
      method: req.method,
      query: req.method === 'GET' ? req.query : '',
      headers: { ...signedValues, host: h },
      signedHeaders: auth.signedHeaders,
      payload: unsigned ? UNSIGNED_PAYLOAD : req.body,
    });
    const expected = signature(secretKey, auth.date, auth.service, stringToSign(timestamp, scope, canonical));
    if (signaturesEqual(expected, auth.signature)) return auth.secretId;
  }
  throw new TencentError('AuthFailure.SignatureFailure', 'The request signature does not match. Check the SecretKey and the signing steps.');
}
