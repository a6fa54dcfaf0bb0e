/**
 * The protocol's image reference `{ image?: base64, url?: string }` → bytes. Url wins when
 * both are given, as in the cloud APIs. The 5 MB limit is on the base64 string's length,
 * which is how the cloud counts it; downloads are capped at the same number of bytes.
 */
import { CoreError } from '../core/errors.ts';
import { DEFAULT_MAX_IMAGE_BYTES, type FetchOptions, fetchImage } from './fetch-url.ts';

export interface ImageInput {
  image?: string | null;
  url?: string | null;
}

export const MAX_BASE64_LENGTH = DEFAULT_MAX_IMAGE_BYTES;

/** Standard alphabet, optional padding; line breaks (MIME-style wrapping) are tolerated. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeBase64Image(b64: string): Uint8Array {
  if (b64.length > MAX_BASE64_LENGTH) {
    throw new CoreError('image.size_exceed', `base64 image is ${b64.length} characters; at most ${MAX_BASE64_LENGTH} allowed`);
  }
  const compact = b64.replace(/[\r\n]/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) throw new CoreError('image.decode_failed', 'image is not valid base64');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length === 0) throw new CoreError('image.empty', 'image is empty');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export async function loadImageInput(input: ImageInput, fetchOptions?: FetchOptions): Promise<Uint8Array> {
  if (input.url) return fetchImage(input.url, fetchOptions);
  if (input.image) return decodeBase64Image(input.image);
  throw new CoreError('image.empty', 'no image given (Image or Url required)');
}
