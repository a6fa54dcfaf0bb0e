/**
 * BMP header validation: every field the decoder reads through is checked against the file
 * and the format before any pixel is touched; a malformed header is image.decode_failed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bmpSize, decodeBmp } from '../../../src/engine/bmp.ts';
import { decodeImage } from '../../../src/engine/image.ts';

const throwsWith = (f: () => unknown, code: string) => assert.throws(f, (e: { code?: string }) => e.code === code);
const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);

interface Spec {
  width?: number;
  height?: number;
  topDown?: boolean;
  headerSize?: 12 | 40 | 52 | 56 | 108 | 124;
  bpp?: 1 | 4 | 8 | 16 | 24 | 32;
  compression?: number;
  masks?: [number, number, number];
  /** biClrUsed; the table written has this many entries (or 2^bpp when 0 and bpp ≤ 8). */
  clrUsed?: number;
}

/** A well-formed BMP whose pixel (x, y) has red = x, green = y, blue = 100 (palettes: grey index). */
function makeBmp(spec: Spec = {}): Uint8Array {
  const { width = 64, height = 64, topDown = false, headerSize = 40, bpp = 24, clrUsed = 0 } = spec;
  const compression = spec.compression ?? (spec.masks ? 3 : 0);
  const masksAfter = headerSize === 40 && compression === 3 ? 12 : 0;
  const entry = headerSize === 12 ? 3 : 4;
  const colours = bpp <= 8 ? clrUsed || 1 << bpp : clrUsed;
  const offset = 14 + headerSize + masksAfter + colours * entry;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  const b = new Uint8Array(offset + stride * height);
  const v = new DataView(b.buffer);
  b[0] = 0x42;
  b[1] = 0x4d;
  v.setUint32(2, b.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, headerSize, true);
  if (headerSize === 12) {
    v.setUint16(18, width, true);
    v.setUint16(20, height, true);
    v.setUint16(22, 1, true);
    v.setUint16(24, bpp, true);
  } else {
    v.setInt32(18, width, true);
    v.setInt32(22, topDown ? -height : height, true);
    v.setUint16(26, 1, true);
    v.setUint16(28, bpp, true);
    v.setUint32(30, compression, true);
    v.setUint32(46, clrUsed, true);
    if (spec.masks) spec.masks.forEach((m, i) => v.setUint32(54 + i * 4, m, true));
  }
  for (let i = 0; i < colours; i++) {
    const grey = Math.round((i * 255) / Math.max(1, (bpp <= 8 ? 1 << bpp : colours) - 1));
    b.fill(grey, 14 + headerSize + masksAfter + i * entry, 14 + headerSize + masksAfter + i * entry + 3);
  }
  for (let y = 0; y < height; y++) {
    const row = offset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      if (bpp === 24) b.set([100, y & 255, x & 255], row + x * 3);
      else if (bpp === 32) v.setUint32(row + x * 4, ((x & 255) << 16) | ((y & 255) << 8) | 100, true);
      else if (bpp === 16) v.setUint16(row + x * 2, ((x & 31) << 11) | ((y & 63) << 5) | 12, true); // 5-6-5
      else if (bpp === 8) b[row + x] = x & 255;
    }
  }
  return b;
}

/** `b` with little-endian fields overwritten: [offset, bytes, value]. */
function patch(b: Uint8Array, ...fields: [at: number, size: 2 | 4, value: number][]): Uint8Array {
  const c = b.slice();
  const v = new DataView(c.buffer);
  for (const [at, size, value] of fields) {
    if (size === 2) v.setUint16(at, value, true);
    else v.setUint32(at, value >>> 0, true);
  }
  return c;
}

const mask565: [number, number, number] = [0xf800, 0x07e0, 0x001f];

describe('BMP header validation', () => {
  it('decodes well-formed headers of every supported kind', () => {
    for (const headerSize of [40, 52, 56, 108, 124] as const) {
      const img = decodeBmp(makeBmp({ headerSize, bpp: 32, masks: [0xff0000, 0xff00, 0xff] }));
      assert.deepEqual([img.width, img.height], [64, 64], `header ${headerSize}`);
      assert.deepEqual([...img.data.subarray((5 * 64 + 7) * 3, (5 * 64 + 7) * 3 + 3)], [7, 5, 100], `header ${headerSize}`);
    }
    const core = decodeBmp(makeBmp({ headerSize: 12 }));
    assert.deepEqual([...core.data.subarray((5 * 64 + 7) * 3, (5 * 64 + 7) * 3 + 3)], [7, 5, 100]);
    const rgb565 = decodeBmp(makeBmp({ bpp: 16, masks: mask565 }));
    assert.deepEqual([...rgb565.data.subarray((5 * 64 + 7) * 3, (5 * 64 + 7) * 3 + 3)], [Math.round((7 * 255) / 31), Math.round((5 * 255) / 63), Math.round((12 * 255) / 31)]);
    assert.equal(decodeBmp(makeBmp({ bpp: 24, topDown: true })).data[(5 * 64 + 7) * 3], 7);
    for (const bpp of [1, 4, 8] as const) assert.equal(decodeBmp(makeBmp({ bpp })).width, 64, `${bpp} bpp`);
    assert.equal(decodeBmp(makeBmp({ bpp: 8, clrUsed: 16 })).width, 64, 'short palette announced by biClrUsed');
    assert.equal(decodeBmp(makeBmp({ headerSize: 12, bpp: 8 })).width, 64, 'OS/2 palette');
  });

  it('refuses a header size of 0xffffffff and every other unknown header size', () => {
    for (const size of [0xffffffff, 0, 11, 16, 39, 41, 64, 100, 125, 0x80000000]) {
      throwsWith(() => bmpSize(patch(makeBmp(), [14, 4, size])), 'image.decode_failed');
    }
  });

  it('refuses headers longer than the file', () => {
    const v5 = makeBmp({ headerSize: 124 });
    throwsWith(() => bmpSize(v5.subarray(0, 14 + 100)), 'image.decode_failed');
    throwsWith(() => bmpSize(makeBmp().subarray(0, 14 + 30)), 'image.decode_failed');
    throwsWith(() => bmpSize(makeBmp().subarray(0, 20)), 'image.decode_failed');
  });

  it('refuses a pixel data offset outside the file or inside the headers and colour table', () => {
    const b = makeBmp();
    throwsWith(() => bmpSize(patch(b, [10, 4, b.length])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(b, [10, 4, 0xffffffff])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(b, [10, 4, 0])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(b, [10, 4, 14 + 39])), 'image.decode_failed');
    const pal = makeBmp({ bpp: 8 }); // table of 256 entries ends at 14 + 40 + 1024
    throwsWith(() => bmpSize(patch(pal, [10, 4, 14 + 40 + 1023])), 'image.decode_failed');
    const fields = makeBmp({ bpp: 16, masks: mask565 }); // masks end at 14 + 40 + 12
    throwsWith(() => bmpSize(patch(fields, [10, 4, 14 + 40 + 8])), 'image.decode_failed');
  });

  it('refuses impossible sizes', () => {
    const b = makeBmp();
    for (const [w, h] of [[0, 64], [-64, 64], [64, 0], [0x7fffffff + 1, 64], [64, -0x80000000]]) {
      throwsWith(() => bmpSize(patch(b, [18, 4, w!], [22, 4, h!])), 'image.decode_failed');
    }
    const core = makeBmp({ headerSize: 12 });
    throwsWith(() => bmpSize(patch(core, [18, 2, 0])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(core, [20, 2, 0])), 'image.decode_failed');
  });

  it('refuses bit depths, plane counts and compressions a BMP cannot have or faceport does not read', () => {
    const b = makeBmp();
    for (const bpp of [0, 2, 7, 48, 64, 0xffff]) throwsWith(() => bmpSize(patch(b, [28, 2, bpp])), 'image.decode_failed');
    for (const planes of [0, 2, 0xffff]) throwsWith(() => bmpSize(patch(b, [26, 2, planes])), 'image.decode_failed');
    for (const compression of [1, 2, 4, 5, 11, 0xffffffff]) throwsWith(() => bmpSize(patch(b, [30, 4, compression])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(b, [30, 4, 3])), 'image.decode_failed'); // bit fields on 24 bpp
    const core = makeBmp({ headerSize: 12 });
    for (const bpp of [16, 32]) throwsWith(() => bmpSize(patch(core, [24, 2, bpp])), 'image.decode_failed');
  });

  it('refuses palettes larger than the bit depth allows or than the file holds', () => {
    const pal = makeBmp({ bpp: 4 });
    throwsWith(() => bmpSize(patch(pal, [46, 4, 17])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(pal, [46, 4, 0xffffffff])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(makeBmp(), [46, 4, 0x40000000])), 'image.decode_failed'); // a colour table on 24 bpp that is not there
  });

  it('refuses bit-field masks that are empty, scattered, overlapping or wider than the pixel', () => {
    const at = 54;
    const b = makeBmp({ bpp: 16, masks: mask565 });
    throwsWith(() => bmpSize(patch(b, [at, 4, 0])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(b, [at, 4, 0xf801])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(b, [at, 4, 0xffe0])), 'image.decode_failed');
    throwsWith(() => bmpSize(patch(b, [at, 4, 0x1f800])), 'image.decode_failed');
    const b32 = makeBmp({ bpp: 32, headerSize: 108, masks: [0xff0000, 0xff00, 0xff] });
    throwsWith(() => bmpSize(patch(b32, [at + 8, 4, 0xffffffff])), 'image.decode_failed');
    // masks after a 40-byte header must be in the file
    throwsWith(() => bmpSize(makeBmp({ bpp: 16, masks: mask565, width: 64, height: 64 }).subarray(0, 14 + 40 + 6)), 'image.decode_failed');
  });

  it('refuses truncated pixel data when decoding', () => {
    const b = makeBmp();
    assert.deepEqual(bmpSize(b.subarray(0, b.length - 1)), { width: 64, height: 64 });
    throwsWith(() => decodeBmp(b.subarray(0, b.length - 1)), 'image.decode_failed');
  });

  it('answers image.decode_failed through decodeImage, and the resolution error for a well-formed but oversized header', async () => {
    await rejectsWith(decodeImage(patch(makeBmp(), [14, 4, 0xffffffff])), 'image.decode_failed');
    await rejectsWith(decodeImage(patch(makeBmp(), [28, 2, 0])), 'image.decode_failed');
    // 30000x30000 claimed, a few bytes of pixels: refused on the header, nothing allocated
    await rejectsWith(decodeImage(patch(makeBmp(), [18, 4, 30000], [22, 4, 30000])), 'image.resolution_exceed');
    await rejectsWith(decodeImage(patch(makeBmp(), [18, 4, 30000], [22, 4, -30000])), 'image.resolution_exceed');
  });
});
