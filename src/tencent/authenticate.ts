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
  TC3_ALGORITHM,
  TIMESTAMP_WINDOW_S,
  UNSIGNED_PAYLOAD,
} from './signature.ts';
import {
  DEFAULT_V1_METHOD,
  isV1Method,
  V1_MAX_REQUEST_BYTES,
  V1_TOO_LARGE_MESSAGE,
  v1Signature,
  v1StringToSign,
  type V1Method,
} from './signature-v1.ts';

export interface SignedRequest {
  method: string;
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** the decoded GET query or form-encoded POST body, which carries a v1 signature */
  form?: URLSearchParams;
}

export type Caller =
  | {
      scheme: 'TC3-HMAC-SHA256';
      secretId: string;
      /** the signature, and when it stops passing the timestamp window (ms) */
      signature: string;
      expiresAt: number;
    }
  | { scheme: V1Method; secretId: string };

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/**
 * Verifies a signed request and returns its caller: TC3-HMAC-SHA256 when it carries an
 * Authorization header, the legacy HmacSHA1/HmacSHA256 signature when its parameters carry
 * `Signature`. Both schemes share the key store, the timestamp window and the error codes.
 */
export function authenticate(req: SignedRequest, keys: KeyRing, nowSeconds = Date.now() / 1000): Caller {
  const raw = header(req.headers, 'authorization');
  if (raw) return authenticateTc3(req, raw, keys, nowSeconds);
  if (req.form?.has('Signature')) return authenticateV1(req, req.form, keys, nowSeconds);
  throw new TencentError(
    'AuthFailure.InvalidAuthorization',
    'The request is not signed: it has no Authorization header (TC3-HMAC-SHA256) and no Signature parameter (HmacSHA1/HmacSHA256).',
  );
}

function secretFor(keys: KeyRing, secretId: string): string {
  const secretKey = keys.secretFor(secretId);
  if (secretKey === undefined) {
    throw new TencentError('AuthFailure.SecretIdNotFound', `The SecretId ${secretId} is not found or has been revoked.`);
  }
  return secretKey;
}

function checkedTimestamp(value: string | undefined, nowSeconds: number): number {
  if (value === undefined) throw new TencentError('MissingParameter', 'The request is missing a required parameter `Timestamp`.');
  if (!/^\d{1,12}$/.test(value)) throw new TencentError('InvalidParameter', 'The parameter `Timestamp` must be Unix seconds.');
  const timestamp = Number(value);
  if (Math.abs(nowSeconds - timestamp) > TIMESTAMP_WINDOW_S) {
    throw new TencentError(
      'AuthFailure.SignatureExpire',
      `The request timestamp ${timestamp} differs from server time ${Math.floor(nowSeconds)} by more than ${TIMESTAMP_WINDOW_S} seconds.`,
    );
  }
  return timestamp;
}

const signatureMismatch = () =>
  new TencentError('AuthFailure.SignatureFailure', 'The request signature does not match. Check the SecretKey and the signing steps.');

/**
 * The host a signature may cover: the Host header as sent, and without its port (the Node
 * SDK's TC3 signer signs the URL's hostname while sending the port).
 */
function signedHosts(headers: IncomingHttpHeaders): string[] {
  const host = header(headers, 'host') ?? '';
  const hostWithoutPort = host.replace(/:\d+$/, '');
  return host === hostWithoutPort ? [host] : [host, hostWithoutPort];
}

/**
 * The credential-scope services a TC3 signature may name: `iai`, and the first label of the
 * Host the client was pointed at, which the Node SDK signs with instead (`127` for
 * 127.0.0.1:8080, `faceport` for faceport.internal:8080). A scope for any other service was
 * signed for another product and is refused.
 */
function scopeServices(headers: IncomingHttpHeaders): string[] {
  return ['iai', (header(headers, 'host') ?? '').split('.')[0]!];
}

/** TC3-HMAC-SHA256 (spec §5.3 recipe). */
function authenticateTc3(req: SignedRequest, raw: string, keys: KeyRing, nowSeconds: number): Caller {
  const auth = parseAuthorization(raw);
  if (!auth || !auth.signedHeaders.includes('host') || !auth.signedHeaders.includes('content-type')) {
    throw new TencentError(
      'AuthFailure.InvalidAuthorization',
      'The Authorization header is not a valid TC3-HMAC-SHA256 authorization (it must sign content-type and host).',
    );
  }
  const secretKey = secretFor(keys, auth.secretId);
  const timestamp = checkedTimestamp(header(req.headers, 'x-tc-timestamp'), nowSeconds);
  if (auth.date !== scopeDate(timestamp)) {
    throw new TencentError('AuthFailure.SignatureFailure', 'The credential scope date does not match X-TC-Timestamp.');
  }
  if (!scopeServices(req.headers).includes(auth.service)) {
    throw new TencentError(
      'AuthFailure.SignatureFailure',
      `The credential scope names service \`${auth.service}\`; requests to this API are signed for \`iai\`.`,
    );
  }

  const unsigned = header(req.headers, 'x-tc-content-sha256') === UNSIGNED_PAYLOAD;
  const signedValues: Record<string, string> = {};
  for (const name of auth.signedHeaders) signedValues[name] = header(req.headers, name) ?? '';
  const scope = `${auth.date}/${auth.service}/tc3_request`;

  for (const host of signedHosts(req.headers)) {
    const canonical = canonicalRequest({
      method: req.method,
      query: req.method === 'GET' ? req.query : '',
      headers: { ...signedValues, host },
      signedHeaders: auth.signedHeaders,
      payload: unsigned ? UNSIGNED_PAYLOAD : req.body,
    });
    const expected = signature(secretKey, auth.date, auth.service, stringToSign(timestamp, scope, canonical));
    if (signaturesEqual(expected, auth.signature)) {
      return { scheme: TC3_ALGORITHM, secretId: auth.secretId, signature: auth.signature, expiresAt: (timestamp + TIMESTAMP_WINDOW_S) * 1000 + 1 };
    }
  }
  throw signatureMismatch();
}

/** The legacy signature (spec §5.1), over GET or a form-encoded POST. */
function authenticateV1(req: SignedRequest, form: URLSearchParams, keys: KeyRing, nowSeconds: number): Caller {
  if (req.query.length + req.body.length > V1_MAX_REQUEST_BYTES) throw new TencentError('AuthFailure.SignatureFailure', V1_TOO_LARGE_MESSAGE);
  const secretId = form.get('SecretId');
  if (!secretId) throw new TencentError('MissingParameter', 'The request is missing a required parameter `SecretId`.');
  const method = form.get('SignatureMethod') ?? DEFAULT_V1_METHOD;
  if (!isV1Method(method)) {
    throw new TencentError(
      'AuthFailure.SignatureFailure',
      `The SignatureMethod \`${method}\` is not supported: use HmacSHA1, HmacSHA256 or a TC3-HMAC-SHA256 Authorization header.`,
    );
  }
  if (!form.get('Nonce')) throw new TencentError('MissingParameter', 'The request is missing a required parameter `Nonce`.');
  const secretKey = secretFor(keys, secretId);
  checkedTimestamp(form.get('Timestamp') ?? undefined, nowSeconds);

  const sent = form.get('Signature')!;
  for (const host of signedHosts(req.headers)) {
    const expected = v1Signature(secretKey, method, v1StringToSign(req.method, host, '/', form));
    if (signaturesEqual(expected, sent)) return { secretId, scheme: method };
  }
  throw signatureMismatch();
}
