import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeImage, sniffFormat } from '../../../src/engine/image.ts';
import { decodeBase64Image, loadImageInput, MAX_BASE64_LENGTH } from '../../../src/engine/image-input.ts';

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);
const throwsWith = (f: () => unknown, code: string) => assert.throws(f, (e: { code?: string }) => e.code === code);

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#40a080' } });
const png = async (w: number, h: number) => new Uint8Array(await solid(w, h).png().toBuffer());
const jpeg = async (w: number, h: number) => new Uint8Array(await solid(w, h).jpeg().toBuffer());

/** Minimal BMP writer (BITMAPINFOHEADER), 24-bit or 8-bit with a palette, either row order. */
function bmp(width: number, height: number, pixel: (x: number, y: number) => [number, number, number], bpp: 24 | 8, topDown = false): Uint8Array {
  const palette: [number, number, number][] = [];
  const index = new Map<string, number>();
  const stride = Math.ceil((width * bpp) / 32) * 4;
  const paletteBytes = bpp === 8 ? 256 * 4 : 0;
  const offset = 14 + 40 + paletteBytes;
  const b = new Uint8Array(offset + stride * height);
  const v = new DataView(b.buffer);
  b[0] = 0x42;
  b[1] = 0x4d;
  v.setUint32(2, b.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, topDown ? -height : height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, bpp, true);
  for (let y = 0; y < height; y++) {
    const row = offset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const [r, g, bl] = pixel(x, y);
      if (bpp === 24) {
        b[row + x * 3] = bl;
        b[row + x * 3 + 1] = g;
        b[row + x * 3 + 2] = r;
      } else {
        const key = `${r},${g},${bl}`;
        if (!index.has(key)) {
          index.set(key, palette.length);
          palette.push([r, g, bl]);
        }
        b[row + x] = index.get(key)!;
      }
    }
  }
  palette.forEach(([r, g, bl], i) => {
    b[54 + i * 4] = bl;
    b[54 + i * 4 + 1] = g;
    b[54 + i * 4 + 2] = r;
  });
  return b;
}

describe('image decoding', () => {
  it('sniffs formats from bytes', async () => {
    assert.equal(sniffFormat(await png(64, 64)), 'png');
    assert.equal(sniffFormat(await jpeg(64, 64)), 'jpeg');
    assert.equal(sniffFormat(bmp(64, 64, () => [0, 0, 0], 24)), 'bmp');
    assert.equal(sniffFormat(new TextEncoder().encode('GIF89a....')), null);
  });

  it('decodes PNG and JPEG to RGB', async () => {
    const img = await decodeImage(await png(80, 64));
    assert.equal(img.width, 80);
    assert.equal(img.height, 64);
    assert.equal(img.data.length, 80 * 64 * 3);
    assert.deepEqual([...img.data.subarray(0, 3)], [0x40, 0xa0, 0x80]);
    assert.equal((await decodeImage(await jpeg(64, 100))).format, 'jpeg');
  });

  it('honours EXIF orientation', async () => {
    const rotated = new Uint8Array(await solid(120, 64).jpeg().withMetadata({ orientation: 6 }).toBuffer());
    const img = await decodeImage(rotated);
    assert.deepEqual([img.width, img.height], [64, 120]);
  });

  it('decodes 24-bit and palette BMPs in both row orders', async () => {
    const pixel = (x: number, y: number): [number, number, number] => (x < 32 ? [255, 0, 0] : y < 40 ? [0, 0, 255] : [10, 200, 30]);
    for (const [bpp, topDown] of [[24, false], [24, true], [8, false]] as const) {
      const img = await decodeImage(bmp(65, 70, pixel, bpp, topDown));
      assert.deepEqual([img.width, img.height, img.format], [65, 70, 'bmp']);
      const at = (x: number, y: number) => [...img.data.subarray((y * 65 + x) * 3, (y * 65 + x) * 3 + 3)];
      assert.deepEqual(at(0, 0), [255, 0, 0]);
      assert.deepEqual(at(64, 0), [0, 0, 255]);
      assert.deepEqual(at(64, 69), [10, 200, 30]);
    }
  });

  it('enforces the resolution limits', async () => {
    await rejectsWith(decodeImage(await png(32, 32)), 'image.resolution_too_small');
    await rejectsWith(decodeImage(await png(2001, 64)), 'image.resolution_exceed');
    await rejectsWith(decodeImage(bmp(2001, 64, () => [0, 0, 0], 8)), 'image.resolution_exceed');
    assert.equal((await decodeImage(await jpeg(4000, 64))).width, 4000);
    await rejectsWith(decodeImage(await jpeg(4001, 64)), 'image.resolution_exceed');
  });

  it('refuses unsupported and broken images', async () => {
    const gif = new Uint8Array(await solid(64, 64).gif().toBuffer());
    await rejectsWith(decodeImage(gif), 'image.decode_failed');
    const webp = new Uint8Array(await solid(64, 64).webp().toBuffer());
    await rejectsWith(decodeImage(webp), 'image.decode_failed');
    await rejectsWith(decodeImage(new TextEncoder().encode('certainly not an image')), 'image.decode_failed');
    const truncated = (await jpeg(200, 200)).subarray(0, 300);
    await rejectsWith(decodeImage(truncated), 'image.decode_failed');
    await rejectsWith(decodeImage(new Uint8Array(0)), 'image.empty');
  });
});

describe('image input', () => {
  it('decodes base64 and refuses what the cloud refuses', async () => {
    const bytes = await png(64, 64);
    assert.deepEqual(decodeBase64Image(Buffer.from(bytes).toString('base64')), bytes);
    throwsWith(() => decodeBase64Image('not base64 at all!'), 'image.decode_failed');
    throwsWith(() => decodeBase64Image('A'.repeat(MAX_BASE64_LENGTH + 4)), 'image.size_exceed');
    await rejectsWith(loadImageInput({}), 'image.empty');
    await rejectsWith(loadImageInput({ image: '', url: '' }), 'image.empty');
  });

  it('lets the url win over the image', async () => {
    await rejectsWith(loadImageInput({ image: Buffer.from(await png(64, 64)).toString('base64'), url: 'ftp://example.com/a.png' }), 'image.url_illegal');
  });
});
