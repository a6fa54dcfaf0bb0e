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
  /** Palette entries to read (bpp ≤ 8), and where they start. */
  paletteColors: number;
  paletteOffset: number;
  /** Red, green and blue bit masks for 16/32 bpp. */
  masks: [number, number, number] | null;
}

const FILE_HEADER = 14;
/** BITMAPCOREHEADER (OS/2 1.x), BITMAPINFOHEADER, V2 and V3 (Adobe), V4, V5. OS/2 2.x (16, 64) is not supported. */
const HEADER_SIZES = [12, 40, 52, 56, 108, 124];
const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;
const INT32_MAX = 0x7fffffff;

/** A non-empty run of set bits within the low `bits` bits. */
const contiguousMask = (mask: number, bits: number): boolean => {
  if (mask === 0 || (bits < 32 && mask >>> bits !== 0)) return false;
  const low = mask >>> (31 - Math.clz32(mask & -mask)); // shifted down to its lowest set bit
  return (low & (low + 1)) === 0;
};

/**
 * Reads and validates the headers: the header size must be a known one and lie within the
 * file, every offset must point inside the file and past the headers, the sizes and bit
 * depth must be ones a BMP can have, and the palette and bit-field masks must be where the
 * header says. The pixel array's length is checked by decodeBmp, after the caller had the
 * chance to refuse the dimensions. Fields nothing is read through (bfSize, biSizeImage, the
 * resolution, biClrImportant) are not trusted and not checked: writers fill them loosely.
 */
function readLayout(b: Uint8Array): Layout {
  if (b.length < FILE_HEADER + 12 || b[0] !== 0x42 || b[1] !== 0x4d) fail('not a BMP file');
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dataOffset = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  if (!HEADER_SIZES.includes(headerSize)) fail(`unsupported header size ${headerSize}`);
  const headersEnd = FILE_HEADER + headerSize;
  if (headersEnd > b.length) fail(`header of ${headerSize} bytes is truncated`);

  let width: number;
  let height: number;
  let topDown = false;
  let planes: number;
  let bpp: number;
  let compression = BI_RGB;
  let clrUsed = 0;
  if (headerSize === 12) {
    // OS/2 BITMAPCOREHEADER: 16-bit unsigned sizes, bottom-up, 3-byte palette entries
    width = v.getUint16(18, true);
    height = v.getUint16(20, true);
    planes = v.getUint16(22, true);
    bpp = v.getUint16(24, true);
    if (![1, 4, 8, 24].includes(bpp)) fail(`${bpp} bits per pixel is not supported`);
  } else {
    width = v.getInt32(18, true);
    const rawH = v.getInt32(22, true);
    if (rawH === -INT32_MAX - 1) fail('invalid height');
    height = Math.abs(rawH);
    topDown = rawH < 0;
    planes = v.getUint16(26, true);
    bpp = v.getUint16(28, true);
    compression = v.getUint32(30, true);
    clrUsed = v.getUint32(46, true);
    if (![1, 4, 8, 16, 24, 32].includes(bpp)) fail(`${bpp} bits per pixel is not supported`);
    if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
      fail(`compression ${compression} is not supported`);
    }
    if (compression !== BI_RGB && bpp !== 16 && bpp !== 32) fail(`bit-field masks need 16 or 32 bits per pixel, not ${bpp}`);
  }
  if (width <= 0 || height <= 0) fail(`invalid size ${width}x${topDown ? -height : height}`);
  if (planes !== 1) fail(`${planes} colour planes (1 expected)`);

  // bit-field masks: inside V2+ headers, else right after the 40-byte header (RGB or RGBA)
  let masks: [number, number, number] | null = null;
  let tablesStart = headersEnd;
  if (bpp === 16 || bpp === 32) {
    if (compression === BI_RGB) {
      masks = bpp === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0xff00, 0xff];
    } else {
      const at = FILE_HEADER + 40;
      if (headerSize === 40) tablesStart += compression === BI_ALPHABITFIELDS ? 16 : 12;
      if (tablesStart > b.length) fail('truncated bit-field masks');
      masks = [v.getUint32(at, true), v.getUint32(at + 4, true), v.getUint32(at + 8, true)];
      for (const m of masks) if (!contiguousMask(m, bpp)) fail(`bit-field mask 0x${m.toString(16)} is not a run of bits within ${bpp} bits`);
      if ((masks[0] & masks[1]) | (masks[0] & masks[2]) | (masks[1] & masks[2])) fail('bit-field masks overlap');
    }
  }

  // the colour table sits between the headers and the pixels
  const entry = headerSize === 12 ? 3 : 4;
  if (bpp <= 8 && clrUsed > 1 << bpp) fail(`${clrUsed} palette colours for ${bpp} bits per pixel`);
  const paletteColors = bpp <= 8 ? clrUsed || 1 << bpp : 0;
  const tableEntries = bpp <= 8 ? paletteColors : clrUsed;
  const tablesEnd = tablesStart + tableEntries * entry;
  if (dataOffset < tablesEnd) fail(`pixel data offset ${dataOffset} lies inside the headers or colour table (which end at ${tablesEnd})`);
  if (dataOffset >= b.length) fail(`pixel data offset ${dataOffset} is past the end of the file (${b.length} bytes)`);

  return { dataOffset, headerSize, width, height, topDown, bpp, compression, paletteColors, paletteOffset: tablesStart, masks };
}

/** Dimensions only, for limit checks before allocating pixels; throws image.decode_failed on a malformed header. */
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
  const { width, height, bpp, masks } = L;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);

  let palette: Uint8Array | null = null;
  if (bpp <= 8) {
    const entry = L.headerSize === 12 ? 3 : 4;
    const at = L.paletteOffset;
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < L.paletteColors; i++) {
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
