/**
 * Image bytes → upright RGB pixels, enforcing the cloud's format and resolution rules:
 * PNG/JPG/JPEG/BMP only (sniffed from the bytes, never from a name or MIME type), JPG long
 * side ≤ 4000 px, other formats ≤ 2000 px, short side ≥ 64 px. Limits are checked on the
 * header before any pixel is decoded.
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

const decodeFailed = (e: unknown): CoreError =>
  e instanceof CoreError ? e : new CoreError('image.decode_failed', `image could not be decoded: ${e instanceof Error ? e.message : String(e)}`);

export interface DecodedImage extends Rgb {
  format: ImageFormat;
}

/** Decodes PNG/JPEG/BMP bytes to 8-bit RGB, EXIF orientation applied, alpha flattened onto white. */
export async function decodeImage(bytes: Uint8Array): Promise<DecodedImage> {
  if (bytes.length === 0) throw new CoreError('image.empty', 'image is empty');
  const format = sniffFormat(bytes);
  if (!format) throw new CoreError('image.decode_failed', 'unsupported image format (PNG, JPG, JPEG or BMP expected)');
  if (format === 'bmp') {
    const { width, height } = bmpSize(bytes);
    checkResolution(format, width, height);
    return { ...decodeBmp(bytes), format };
  }
  try {
    const img = sharp(bytes, { failOn: 'error', autoOrient: true });
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
