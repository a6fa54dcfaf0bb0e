import type { IncomingHttpHeaders } from 'node:http';
import type { KeyRing } from '../auth/keys.ts';
import { GatewayError } from './errors.ts';
import type { ReplayGuard } from '../auth/replay-guard.ts';
import { contentMd5, SIGNATURE_METHOD, SIGNATURE_VERSION, signature, signaturesEqual, stringToSign, type EmptyValueStyle } from './signature.ts';

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
/** What every SDK sends (`toUTCString`, `http.TimeFormat`, RFC 822 in Java and Python): Date.parse alone would take ISO 8601 too. */
const RFC_1123 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Verifies an `acs` HMAC-SHA1 request and returns the caller's AccessKeyId: signature over
 * the spec's string-to-sign, Content-MD5 against the body when there is one, Date within the
 * window, and the nonce, when the client sends one, unused (recorded only once everything
 * else holds, so forged requests cannot burn a client's nonces).
 */
export function authenticate(req: AcsRequest, keys: KeyRing, replays: ReplayGuard, now = Date.now()): string {
  const h = flatten(req.headers);
  const auth = AUTHORIZATION.exec(h.authorization ?? '');
  if (!auth) {
    const acs3 = h.authorization?.startsWith('ACS3-');
    throw new GatewayError(
      'IncompleteSignature',
      acs3
        ? 'ACS3-HMAC-SHA256 is not served: sign with "acs <AccessKeyId>:<Signature>" (the Tea clients\' signatureAlgorithm: \'v2\').'
        : 'Authorization must be "acs <AccessKeyId>:<Signature>".',
    );
  }
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
  // Optional even with a body: PHP's jsonBody() and the Tea clients never send it, Python only
  // with a body. Unsent, its line in the string to sign is empty and the body is not covered.
  const md5 = h['content-md5'];

  const secret = keys.secretFor(accessKeyId);
  if (secret === undefined) {
    // The gateway tells a disabled key from one that never existed.
    if (keys.isRevoked(accessKeyId)) throw new GatewayError('InvalidAccessKeyId.Inactive', `(${accessKeyId} has been revoked)`);
    throw new GatewayError('InvalidAccessKeyId.NotFound', `(${accessKeyId})`);
  }
  const dateMs = RFC_1123.test(date) ? Date.parse(date) : NaN;
  if (Number.isNaN(dateMs)) throw new GatewayError('InvalidTimeStamp.Format', 'Date must be an RFC 1123 GMT date, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".');
  if (Math.abs(now - dateMs) > DATE_WINDOW_MS) {
    throw new GatewayError('InvalidTimeStamp.Expired', `Date ${date} differs from the server's clock by more than 15 minutes.`);
  }
  if (md5 !== undefined && md5 !== contentMd5(req.body)) throw new GatewayError('ContentMD5NotMatched');

  const acsHeaders = Object.fromEntries(Object.entries(h).filter(([name]) => name.startsWith('x-acs-'))) as Record<string, string>;
  const query = [...new URLSearchParams(req.query)];
  // An empty value is signed as `k=` by pop-core and as a bare `k` by the Java, Go, PHP and Python cores.
  const styles: EmptyValueStyle[] = query.some(([, v]) => v === '') ? ['k=', 'k'] : ['k='];
  const candidates = styles.map((emptyValue) =>
    stringToSign({
      method: req.method,
      accept: h.accept ?? '',
      contentMd5: md5 ?? '',
      contentType: h['content-type'] ?? '',
      date,
      acsHeaders,
      path: req.path,
      query,
      emptyValue,
    }),
  );
  if (!candidates.some((toSign) => signaturesEqual(signature(secret, toSign), sent))) {
    // As Alibaba does: the server's string to sign, lines joined by '#', lets a client find its mistake.
    throw new GatewayError('SignatureDoesNotMatch', `server string to sign is:${candidates[0]!.replaceAll('\n', '#')}`);
  }

  if (!nonce) return accessKeyId;
  // Remembered until the Date leaves the window: from then on a replay is refused as expired.
  if (replays.firstUse(`acs ${accessKeyId}`, nonce, '', dateMs + DATE_WINDOW_MS + 1, now) !== undefined) {
    throw new GatewayError('SignatureNonceUsed');
  }
  return accessKeyId;
}
