/**
 * BMP decoder. The protocol accepts BMP but sharp's prebuilt libvips has no BMP loader, and
 * the format is simple enough that a dependency is not worth it. Covers what cameras, Windows
 * and image libraries write: 1/4/8-bit palettes, 16/24/32-bit with BI_RGB or bit-field masks,
 * bottom-up and top-down rows. RLE and embedded JPEG/PNG are rejected.
 */
import { CoreError } from '../core/errors.ts';
import type { Rgb } from './raster.ts';

const fail = (why: string): never => {
  throw new CoreError('image.decode_failed', `BMP: ${why}`);
};

export interface BmpHeader {
  width: number;
  height: number;
}

interface Layout extends BmpHeader {
  dataOffset: number;
  headerSize: number;
  topDown: boolean;
  bpp: number;
  compression: number;
  paletteColors: number;
}

function readLayout(b: Uint8Array): Layout {
  if (b.length < 26 || b[0] !== 0x42 || b[1] !== 0x4d) fail('not a BMP file');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dataOffset = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  if (headerSize === 12) {
    // OS/2 BITMAPCOREHEADER: 16-bit sizes, 3-byte palette entries (handled below by headerSize)
    return {
      dataOffset,
      headerSize,
      width: v.getUint16(18, true),
      height: v.getUint16(20, true),
      topDown: false,
      bpp: v.getUint16(24, true),
      compression: 0,
      paletteColors: 0,
    };
  }
  if (headerSize < 40 || b.length < 14 + 40) fail(`unsupported header size ${headerSize}`);
  const rawH = v.getInt32(22, true);
  return {
    dataOffset,
    headerSize,
    width: v.getInt32(18, true),
    height: Math.abs(rawH),
    topDown: rawH < 0,
    bpp: v.getUint16(28, true),
    compression: v.getUint32(30, true),
    paletteColors: v.getUint32(46, true),
  };
}

/** Dimensions only, for limit checks before allocating pixels. */
export function bmpSize(b: Uint8Array): BmpHeader {
  const { width, height } = readLayout(b);
  return { width, height };
}

function maskShift(mask: number): { shift: number; max: number } {
  if (mask === 0) return { shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

export function decodeBmp(b: Uint8Array): Rgb {
  const L = readLayout(b);
  const { width, height, bpp, compression } = L;
  if (width <= 0 || height <= 0) fail(`invalid size ${width}x${height}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const BI_RGB = 0;
  const BI_BITFIELDS = 3;
  const BI_ALPHABITFIELDS = 6;
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    fail(`compression ${compression} is not supported`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) fail(`${bpp} bits per pixel is not supported`);

  let masks: [number, number, number] | null = null;
  if (bpp === 16 || bpp === 32) {
    if (compression === BI_RGB) {
      masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0xff00, 0xff];
    } else {
      // masks follow a 40-byte header, or sit inside V2+ headers at the same offset
      const at = 14 + 40;
      if (b.length < at + 12) fail('truncated bit-field masks');
      masks = [v.getUint32(at, true), v.getUint32(at + 4, true), v.getUint32(at + 8, true)];
    }
  }

  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const entry = L.headerSize === 12 ? 3 : 4;
    const count = L.paletteColors || 1 << bpp;
    const at = 14 + L.headerSize + (compression === BI_BITFIELDS && L.headerSize === 40 ? 12 : 0);
    if (b.length < at + count * entry) fail('truncated palette');
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < Math.min(count, 256); i++) {
      palette[i * 3] = b[at + i * entry + 2]!;
      palette[i * 3 + 1] = b[at + i * entry + 1]!;
      palette[i * 3 + 2] = b[at + i * entry]!;
    }
  }

  const stride = Math.ceil((width * bpp) / 32) * 4;
  if (L.dataOffset + stride * height > b.length) fail('truncated pixel data');
  const out = new Uint8Array(width * height * 3);
  const chans = masks?.map(maskShift);
  for (let y = 0; y < height; y++) {
    const row = L.dataOffset + (L.topDown ? y : height - 1 - y) * stride;
    let o = y * width * 3;
    for (let x = 0; x < width; x++, o += 3) {
      if (palette) {
        const bit = x * bpp;
        const byte = b[row + (bit >> 3)]!;
        const idx = (byte >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1);
        out[o] = palette[idx * 3]!;
        out[o + 1] = palette[idx * 3 + 1]!;
        out[o + 2] = palette[idx * 3 + 2]!;
      } else if (bpp === 24) {
        const p = row + x * 3;
        out[o] = b[p + 2]!;
        out[o + 1] = b[p + 1]!;
        out[o + 2] = b[p]!;
      } else {
        const px = bpp === 16 ? v.getUint16(row + x * 2, true) : v.getUint32(row + x * 4, true);
        for (let c = 0; c < 3; c++) {
          const { shift, max } = chans![c]!;
          out[o + c] = max ? Math.round((((px & masks![c]!) >>> shift) * 255) / max) : 0;
        }
      }
    }
  }
  return { data: out, width, height };
}
