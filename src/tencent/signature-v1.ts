import { createHmac } from 'node:crypto';

/**
 * Tencent Cloud API's legacy signature ("v1", spec §5.1): every parameter, common ones
 * included, travels in the GET query or the form-encoded POST body, and `Signature` is the
 * Base64 HMAC of `METHOD + host + path + "?" + k=v&…` over the parameters sorted by name,
 * values as they are, not URL-encoded.
 */
export const V1_METHODS = { HmacSHA1: 'sha1', HmacSHA256: 'sha256' } as const;
export type V1Method = keyof typeof V1_METHODS;

/** Without `SignatureMethod` the cloud assumes HmacSHA1. */
export const DEFAULT_V1_METHOD: V1Method = 'HmacSHA1';

/**
 * The cloud verifies a legacy signature only over requests of at most 1 MB, and answers
 * larger ones (those that carry a photo, in practice: the SDKs tell image actions to use TC3)
 * with AuthFailure.SignatureFailure and this message.
 */
export const V1_MAX_REQUEST_BYTES = 1024 * 1024;
export const V1_TOO_LARGE_MESSAGE =
  'The provided credentials could not be validated because of exceeding request size limit, please use new signature method `TC3-HMAC-SHA256`.';

export const isV1Method = (m: string): m is V1Method => Object.hasOwn(V1_METHODS, m);

/** The string to sign; `params` are the decoded parameters, `Signature` among them or not. */
export function v1StringToSign(method: string, host: string, path: string, params: Iterable<readonly [string, string]>): string {
  const pairs = [...params].filter(([k]) => k !== 'Signature');
  // Code-unit order, as every SDK sorts the names (Python `sorted`, Node `Array.sort`, Java TreeMap).
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${method.toUpperCase()}${host}${path}?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

export const v1Signature = (secretKey: string, method: V1Method, toSign: string): string =>
  createHmac(V1_METHODS[method], secretKey).update(toSign, 'utf8').digest('base64');
