/**
 * Image bytes → upright RGB pixels, enforcing the cloud's format and resolution rules:
 * PNG/JPG/JPEG/BMP only (sniffed from the bytes, never from a name or MIME type), JPG long
 * side ≤ 4000 px, other formats ≤ 2000 px, short side ≥ 64 px. Limits are checked on the
 * sizes in the file's own header (readImageSize: PNG IHDR, JPEG frame header, BMP info
 * header) before sharp or the BMP decoder is given the bytes, so an image announcing 30000 px
 * costs nothing and gets the resolution error; sharp is then capped at the format's largest
 * allowed pixel count in case it ever reads a size other than ours.
 */
import sharp from 'sharp';
import { CoreError } from '../core/errors.ts';
import { bmpSize, decodeBmp } from './bmp.ts';
import type { Rgb } from './raster.ts';

export type ImageFormat = 'jpeg' | 'png' | 'bmp';

export const MIN_SHORT_SIDE = 64;
export const MAX_LONG_SIDE: Record<ImageFormat, number> = { jpeg: 4000, png: 2000, bmp: 2000 };

export function sniffFormat(b: Uint8Array): ImageFormat | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    return 'png';
  }
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return null;
}

function checkResolution(format: ImageFormat, width: number, height: number): void {
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  if (long > MAX_LONG_SIDE[format]) {
    throw new CoreError('image.resolution_exceed', `${format} image is ${width}x${height}; the long side may be at most ${MAX_LONG_SIDE[format]} px`);
  }
  if (short < MIN_SHORT_SIDE) {
    throw new CoreError('image.resolution_too_small', `image is ${width}x${height}; the short side must be at least ${MIN_SHORT_SIDE} px`);
  }
}

const malformed = (why: string): never => {
  throw new CoreError('image.decode_failed', `image could not be decoded: ${why}`);
};

/** PNG: the first chunk must be IHDR (13 bytes: width, height as 31-bit big-endian, …). */
function pngSize(b: Uint8Array): { width: number; height: number } {
  if (b.length < 8 + 8 + 13) malformed('PNG header is truncated');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (v.getUint32(8) !== 13 || String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!) !== 'IHDR') malformed('PNG does not start with an IHDR chunk');
  const width = v.getUint32(16);
  const height = v.getUint32(20);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) malformed(`PNG header says ${width}x${height}`);
  return { width, height };
}

/**
 * JPEG: the first frame header (SOF0-3, 5-7, 9-11, 13-15), found by walking the marker
 * segments as libjpeg does: bytes before a marker are skipped, 0xFF fill bytes allowed,
 * segments skipped by their length (so an EXIF thumbnail's frame header is never taken for
 * the image's). A scan or the end of the image before any frame header is malformed.
 */
function jpegSize(b: Uint8Array): { width: number; height: number } {
  let i = 2; // after SOI
  for (;;) {
    // next marker: skip anything up to 0xFF, then fill bytes; FF 00 is not a marker
    while (i < b.length && b[i] !== 0xff) i++;
    while (i < b.length && b[i] === 0xff) i++;
    if (i >= b.length) return malformed('JPEG has no frame header');
    const marker = b[i++]!;
    if (marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue; // no length field
    if (marker === 0xd8 || marker === 0xd9 || marker === 0xda) return malformed('JPEG has no frame header before its scan data');
    if (i + 2 > b.length) return malformed('JPEG header is truncated');
    const length = (b[i]! << 8) | b[i + 1]!;
    if (length < 2) return malformed(`JPEG marker segment of length ${length}`);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (length < 8 || i + 7 > b.length) return malformed('JPEG frame header is truncated');
      const height = (b[i + 3]! << 8) | b[i + 4]!;
      const width = (b[i + 5]! << 8) | b[i + 6]!;
      // a height of 0 defers it to a DNL marker, which libjpeg does not support
      if (width === 0 || height === 0) return malformed(`JPEG frame header says ${width}x${height}`);
      return { width, height };
    }
    i += length;
  }
}

/**
 * The image's stored size (before EXIF orientation, which does not change the long or short
 * side), read from its header only; image.decode_failed if the format is not PNG/JPEG/BMP or
 * the header is malformed.
 */
export function readImageSize(bytes: Uint8Array): { format: ImageFormat; width: number; height: number } {
  const format = sniffFormat(bytes);
  if (!format) return malformed('unsupported image format (PNG, JPG, JPEG or BMP expected)');
  const size = format === 'png' ? pngSize(bytes) : format === 'jpeg' ? jpegSize(bytes) : bmpSize(bytes);
  return { format, width: size.width, height: size.height };
}

const decodeFailed = (e: unknown): CoreError =>
  e instanceof CoreError ? e : new CoreError('image.decode_failed', `image could not be decoded: ${e instanceof Error ? e.message : String(e)}`);

export interface DecodedImage extends Rgb {
  format: ImageFormat;
}

/** Decodes PNG/JPEG/BMP bytes to 8-bit RGB, EXIF orientation applied, alpha flattened onto white. */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  if (bytes.length === 0) throw new CoreError('image.empty', 'image is empty');
  const { format, width, height } = readImageSize(bytes);
  checkResolution(format, width, height);
  if (format === 'bmp') return { ...decodeBmp(bytes), format };
  try {
    const img = sharp(bytes, { failOn: 'error', autoOrient: true, limitInputPixels: MAX_LONG_SIDE[format] ** 2 });
    const meta = await img.metadata();
    checkResolution(format, meta.autoOrient.width, meta.autoOrient.height);
    const { data, info } = await img
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected ${info.channels} channels after conversion`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, format };
  } catch (e) {
    throw decodeFailed(e);
  }
}

/**
 * libvips settings for an engine worker thread (libvips' settings are process-wide, so every
 * worker sets the same): one libvips thread per operation, as the pool already runs one
 * worker per core; no operation cache, which only pays off for repeated identical inputs
 * and would otherwise keep up to 50 MB of decoded images per process.
 */
export function configureWorkerSharp(): void {
  sharp.concurrency(1);
  sharp.cache(false);
}
