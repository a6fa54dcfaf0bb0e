import type { IncomingHttpHeaders } from 'node:http';
import type { KeyRing } from '../auth/keys.ts';
import { GatewayError } from './errors.ts';
import type { NonceCache } from './nonces.ts';
import { contentMd5, SIGNATURE_METHOD, SIGNATURE_VERSION, signature, signaturesEqual, stringToSign } from './signature.ts';

/** Alibaba's gateway refuses a Date more than 15 minutes from its clock, either way. */
export const DATE_WINDOW_MS = 15 * 60 * 1000;

export interface AcsRequest {
  method: string;
  path: string;
  /** raw query string without '?' */
  query: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One string per header (Node lists only set-cookie), by lower-case name. */
const flatten = (h: IncomingHttpHeaders): Partial<Record<string, string>> =>
  Object.fromEntries(Object.entries(h).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(',') : v]])));

const AUTHORIZATION = /^acs\s+([^:\s]+):(\S+)$/;

/**
 * Verifies an `acs` HMAC-SHA1 request and returns the caller's AccessKeyId: signature over
 * the spec's string-to-sign, Content-MD5 against the body when there is one, Date within the
 * window, and the nonce, when the client sends one, unused (recorded only once everything
 * else holds, so forged requests cannot burn a client's nonces).
 */
export function authenticate(req: AcsRequest, keys: KeyRing, nonces: NonceCache, now = Date.now()): string {
  const h = flatten(req.headers);
  const auth = AUTHORIZATION.exec(h.authorization ?? '');
  if (!auth) throw new GatewayError('IncompleteSignature', 'Authorization must be "acs <AccessKeyId>:<Signature>".');
  const accessKeyId = auth[1]!;
  const sent = auth[2]!;
  const method = h['x-acs-signature-method'];
  const version = h['x-acs-signature-version'];
  if (method !== SIGNATURE_METHOD || (version !== undefined && version !== SIGNATURE_VERSION)) {
    throw new GatewayError('InvalidSignatureMethod', `Only ${SIGNATURE_METHOD} signature version ${SIGNATURE_VERSION} is supported.`);
  }
  const date = h.date;
  if (date === undefined) throw new GatewayError('MissingDate');
  // aliyun-python-sdk-core sends no nonce at all: the Date window alone bounds its replays.
  const nonce = h['x-acs-signature-nonce'];
  // Without a body there is nothing to digest, and aliyun-python-sdk-core sends no Content-MD5.
  const md5 = h['content-md5'];
  if (md5 === undefined && req.body.length > 0) throw new GatewayError('MissingContentMD5');

  const secret = keys.secretFor(accessKeyId);
  if (secret === undefined) {
    // The gateway tells a disabled key from one that never existed.
    if (keys.isRevoked(accessKeyId)) throw new GatewayError('InvalidAccessKeyId.Inactive', `(${accessKeyId} has been revoked)`);
    throw new GatewayError('InvalidAccessKeyId.NotFound', `(${accessKeyId})`);
  }
  const dateMs = Date.parse(date);
  if (Number.isNaN(dateMs)) throw new GatewayError('InvalidTimeStamp.Format', 'Date must be an RFC 1123 GMT date.');
  if (Math.abs(now - dateMs) > DATE_WINDOW_MS) {
    throw new GatewayError('InvalidTimeStamp.Expired', `Date ${date} differs from the server's clock by more than 15 minutes.`);
  }
  if (md5 !== undefined && md5 !== contentMd5(req.body)) throw new GatewayError('ContentMD5NotMatched');

  const acsHeaders = Object.fromEntries(Object.entries(h).filter(([name]) => name.startsWith('x-acs-'))) as Record<string, string>;
  const toSign = stringToSign({
    method: req.method,
    accept: h.accept ?? '',
    contentMd5: md5 ?? '',
    contentType: h['content-type'] ?? '',
    date,
    acsHeaders,
    path: req.path,
    query: [...new URLSearchParams(req.query)],
  });
  if (!signaturesEqual(signature(secret, toSign), sent)) {
    // As Alibaba does: the server's string to sign, lines joined by '#', lets a client find its mistake.
    throw new GatewayError('SignatureDoesNotMatch', `server string to sign is:${toSign.replaceAll('\n', '#')}`);
  }

  if (!nonce) return accessKeyId;
  const use = nonces.use(accessKeyId, nonce, dateMs, now);
  if (use === 'replayed') throw new GatewayError('SignatureNonceUsed');
  if (use === 'full') throw new GatewayError('Throttling.User', 'Too many signed requests within the Date window; retry shortly.');
  return accessKeyId;
}
