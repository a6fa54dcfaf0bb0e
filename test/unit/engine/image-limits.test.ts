/**
 * Resolution limits are applied to the sizes in the file's header (PNG IHDR, JPEG SOFn, BMP
 * info header) before sharp or the BMP decoder sees the pixels, so a header announcing a
 * huge image is refused with the resolution error (FailedOperation.ImageResolutionExceed),
 * not with a decode error from sharp's own pixel limit, and without allocating it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { decodeImage, readImageSize } from '../../../src/engine/image.ts';
import { facesDir } from '../../support/faces.ts';

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);
const throwsWith = (f: () => unknown, code: string) => assert.throws(f, (e: { code?: string }) => e.code === code);

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG whose IHDR says width×height (8-bit RGB) followed by a tiny IDAT: one compressed row, no more. */
function craftedPng(width: number, height: number, opts: { firstChunk?: string } = {}): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width >>> 0, 0);
  ihdr.writeUInt32BE(height >>> 0, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const idat = zlib.deflateSync(Buffer.alloc(1 + Math.min(width, 64) * 3));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const first = opts.firstChunk ? [chunk(opts.firstChunk, Buffer.alloc(4))] : [];
  return new Uint8Array(Buffer.concat([signature, ...first, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]));
}

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#40a080' } });

/** Offset of the first SOFn marker's segment in a JPEG that sharp wrote (no tricks in it). */
function sofAt(b: Uint8Array): number {
  for (let i = 2; i + 1 < b.length; ) {
    if (b[i] !== 0xff) throw new Error('not at a marker');
    const m = b[i + 1]!;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return i;
    i += 2 + ((b[i + 2]! << 8) | b[i + 3]!);
  }
  throw new Error('no SOF');
}

/** A real (small) JPEG whose frame header is rewritten to claim width×height. */
async function craftedJpeg(width: number, height: number, progressive = false): Promise<Uint8Array> {
  const b = new Uint8Array(await solid(64, 64).jpeg({ progressive }).toBuffer());
  const at = sofAt(b);
  const v = new DataView(b.buffer, b.byteOffset);
  v.setUint16(at + 5, height);
  v.setUint16(at + 7, width);
  return b;
}

describe('resolution limits from the header, before decoding', () => {
  it('refuses a PNG whose IHDR says 30000x30000 with the resolution error', async () => {
    const png = craftedPng(30000, 30000);
    assert.ok(png.length < 200, `${png.length} bytes`);
    assert.deepEqual(readImageSize(png), { format: 'png', width: 30000, height: 30000 });
    await rejectsWith(decodeImage(png), 'image.resolution_exceed');
  });

  it('refuses PNG sizes up to the format maximum, and the long side over 2000 px', async () => {
    for (const [w, h] of [[0x7fffffff, 0x7fffffff], [16384, 16384], [2001, 64], [64, 100000]]) {
      await rejectsWith(decodeImage(craftedPng(w!, h!)), 'image.resolution_exceed');
    }
    await rejectsWith(decodeImage(craftedPng(100000, 10)), 'image.resolution_exceed');
    await rejectsWith(decodeImage(craftedPng(100, 63)), 'image.resolution_too_small');
  });

  it('refuses a JPEG whose frame header says 30000x30000 (baseline or progressive) with the resolution error', async () => {
    for (const progressive of [false, true]) {
      const jpeg = await craftedJpeg(30000, 30000, progressive);
      assert.deepEqual(readImageSize(jpeg), { format: 'jpeg', width: 30000, height: 30000 });
      await rejectsWith(decodeImage(jpeg), 'image.resolution_exceed');
    }
    await rejectsWith(decodeImage(await craftedJpeg(65535, 65535)), 'image.resolution_exceed');
    await rejectsWith(decodeImage(await craftedJpeg(4001, 3000)), 'image.resolution_exceed');
    await rejectsWith(decodeImage(await craftedJpeg(3000, 4001)), 'image.resolution_exceed');
    await rejectsWith(decodeImage(await craftedJpeg(4000, 63)), 'image.resolution_too_small');
  });

  it('refuses headers that cannot describe an image as image.decode_failed', async () => {
    for (const [w, h] of [[0, 100], [100, 0], [0x80000000, 100]]) {
      throwsWith(() => readImageSize(craftedPng(w!, h!)), 'image.decode_failed');
      await rejectsWith(decodeImage(craftedPng(w!, h!)), 'image.decode_failed');
    }
    // IHDR must come first
    throwsWith(() => readImageSize(craftedPng(100, 100, { firstChunk: 'tEXt' })), 'image.decode_failed');
    // a JPEG frame of zero lines (a DNL frame, which libjpeg does not read) or zero columns
    for (const [w, h] of [[0, 100], [100, 0]]) await rejectsWith(decodeImage(await craftedJpeg(w!, h!)), 'image.decode_failed');
    // no frame header before the scan, or none at all
    const jpeg = new Uint8Array(await solid(64, 64).jpeg().toBuffer());
    const at = sofAt(jpeg);
    const noSof = Buffer.concat([jpeg.subarray(0, at), jpeg.subarray(at + 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!))]);
    throwsWith(() => readImageSize(noSof), 'image.decode_failed');
    throwsWith(() => readImageSize(jpeg.subarray(0, at + 4)), 'image.decode_failed');
    throwsWith(() => readImageSize(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01])), 'image.decode_failed');
  });

  it('reads JPEG sizes past APP segments that contain marker-like bytes, fill bytes and restart markers', async () => {
    const jpeg = new Uint8Array(await solid(80, 64).jpeg().toBuffer());
    // an APP15 segment whose payload looks like a 30000x30000 frame header (as an EXIF thumbnail's would)
    const fakeSof = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x75, 0x30, 0x75, 0x30, 0x03];
    const app = Buffer.from([0xff, 0xef, 0x00, 2 + fakeSof.length, ...fakeSof]);
    const tricky = new Uint8Array(Buffer.concat([jpeg.subarray(0, 2), app, Buffer.from([0xff, 0xff, 0xff]), jpeg.subarray(2)]));
    // FF FF FF: fill bytes before the next marker, which JPEG allows
    assert.deepEqual(readImageSize(tricky), { format: 'jpeg', width: 80, height: 64 });
    const img = await decodeImage(tricky);
    assert.deepEqual([img.width, img.height], [80, 64]);
  });

  it('agrees with sharp on the sizes of real photos and of every kind of PNG and JPEG sharp writes', async () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name));
        else if (/\.(jpe?g|png)$/i.test(e.name)) files.push(path.join(dir, e.name));
      }
    };
    walk(facesDir);
    assert.ok(files.length > 100);
    const samples: [string, Uint8Array][] = files.map((f) => [path.relative(facesDir, f), new Uint8Array(readFileSync(f))]);
    const base = () => solid(123, 77);
    for (const [name, img] of [
      ['progressive', base().jpeg({ progressive: true })],
      ['grey jpeg', base().greyscale().jpeg()],
      ['cmyk jpeg', base().toColourspace('cmyk').jpeg()],
      ['4:4:4 jpeg', base().jpeg({ chromaSubsampling: '4:4:4' })],
      ['arithmetic-free optimised jpeg', base().jpeg({ optimiseCoding: true, trellisQuantisation: true })],
      ['exif-rotated jpeg', base().jpeg().withMetadata({ orientation: 6 })],
      ['16-bit png', base().png().toColourspace('rgb16')],
      ['interlaced png', base().png({ progressive: true })],
      ['palette png', base().png({ palette: true })],
      ['grey+alpha png', base().greyscale().ensureAlpha().png()],
    ] as const) {
      samples.push([name, new Uint8Array(await img.toBuffer())]);
    }
    for (const [name, bytes] of samples) {
      const meta = await sharp(bytes).metadata();
      const size = readImageSize(bytes);
      assert.deepEqual([size.width, size.height], [meta.width, meta.height], name);
    }
  });
});
