import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { IndexImage, RowEncoding } from '../index/index.ts';

/**
 * The search index saved to one file, so a restart reads ~1.1 KB a face sequentially
 * instead of stepping SQLite through every 2 KB embedding and re-encoding it (13 s at 1M).
 *
 * Layout: 8 magic bytes, a u32 length and a JSON header (padded to HEADER_BYTES) naming where
 * each section starts; then 8-byte aligned sections: each image's slot ids and rows, and the
 * person of each face slot. A file is written whole under a temporary name, synced and then
 * renamed, so a reader sees an old snapshot or the new one, never half of one. Writing is
 * asynchronous: the server keeps serving while 1 GB goes to disk.
 */
export interface IndexSnapshot {
  /** Pairs the file with the store's mark (see FaceChanges): a snapshot the store does not name is stale. */
  readonly token: string;
  /** The last store change the snapshot holds. */
  readonly seq: number;
  readonly faces: IndexImage;
  /** The person of each face slot, aligned with faces.ids (anything for a free slot). */
  readonly facePersons: Int32Array;
  readonly persons: IndexImage;
}

const MAGIC = Buffer.from('FPINDEX1');
const HEADER_BYTES = 4096;

interface Section {
  offset: number;
  bytes: number;
}

interface ImageLayout {
  encoding: RowEncoding;
  dim: number;
  width: number;
  blockRows: number;
  slots: number;
  ids: Section;
  rows: Section;
}

interface Header {
  token: string;
  seq: number;
  faces: ImageLayout;
  facePersons: Section;
  persons: ImageLayout;
  bytes: number;
}

const bytesPerValue = (encoding: RowEncoding) => (encoding === 'f32' ? 4 : 2);
const align8 = (n: number) => Math.ceil(n / 8) * 8;
const asBytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes the snapshot to `path` durably (temporary file, fsync, rename, fsync of the
 * directory) and returns its size. Rows are written from the images as they are while the
 * write runs; see IndexSnapshots for why rows changing meanwhile are harmless.
 */
export async function writeIndexSnapshot(path: string, snapshot: IndexSnapshot): Promise<number> {
  let at = HEADER_BYTES;
  const section = (bytes: number): Section => {
    const s = { offset: at, bytes };
    at = align8(at + bytes);
    return s;
  };
  const layout = (image: IndexImage): ImageLayout => ({
    encoding: image.encoding,
    dim: image.dim,
    width: image.width,
    blockRows: image.blockRows,
    slots: image.ids.length,
    ids: section(image.ids.byteLength),
    rows: section(image.ids.length * image.width * bytesPerValue(image.encoding)),
  });
  const faces = layout(snapshot.faces);
  const facePersons = section(snapshot.facePersons.byteLength);
  const persons = layout(snapshot.persons);
  const header: Header = { token: snapshot.token, seq: snapshot.seq, faces, facePersons, persons, bytes: at };
  const json = Buffer.from(JSON.stringify(header));
  if (MAGIC.length + 4 + json.length > HEADER_BYTES) throw new Error('index snapshot header too large');

  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    MAGIC.copy(head, 0);
    head.writeUInt32LE(json.length, MAGIC.length);
    json.copy(head, MAGIC.length + 4);
    await writeAll(file, head, 0);
    const writeImage = async (image: IndexImage, l: ImageLayout) => {
      await writeAll(file, asBytes(image.ids), l.ids.offset);
      let offset = l.rows.offset;
      for (const block of image.blocks) offset += await writeAll(file, asBytes(block), offset);
      if (offset !== l.rows.offset + l.rows.bytes) throw new Error('index image rows do not match its slots');
    };
    await writeImage(snapshot.faces, faces);
    await writeAll(file, asBytes(snapshot.facePersons), facePersons.offset);
    await writeImage(snapshot.persons, persons);
    await file.sync();
  } catch (e) {
    await file.close();
    await rm(temporary, { force: true });
    throw e;
  }
  await file.close();
  await rename(temporary, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return at;
}

/**
 * Opens a snapshot and hands it to `use`; its rows are read block by block as `use` consumes
 * them (a block is a fresh array an index may keep), so the file is never held twice.
 * Throws on a file that is not a whole snapshot.
 */
export function readIndexSnapshot<T>(path: string, use: (snapshot: IndexSnapshot) => T): T {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(HEADER_BYTES);
    readAll(fd, head, 0);
    if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a faceport index snapshot');
    const header = JSON.parse(head.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + head.readUInt32LE(MAGIC.length))) as Header;
    const size = fstatSync(fd).size;
    if (size !== header.bytes) throw new Error(`index snapshot is ${size} bytes, its header says ${header.bytes}`);
    const int32s = (s: Section) => {
      const a = new Int32Array(s.bytes / 4);
      readAll(fd, asBytes(a), s.offset);
      return a;
    };
    const image = (l: ImageLayout): IndexImage => ({
      encoding: l.encoding,
      dim: l.dim,
      width: l.width,
      blockRows: l.blockRows,
      ids: int32s(l.ids),
      blocks: rowBlocks(fd, l),
    });
    return use({ token: header.token, seq: header.seq, faces: image(header.faces), facePersons: int32s(header.facePersons), persons: image(header.persons) });
  } finally {
    closeSync(fd);
  }
}

function* rowBlocks(fd: number, l: ImageLayout): Generator<Float32Array | Uint16Array> {
  const rowBytes = l.width * bytesPerValue(l.encoding);
  for (let slot = 0; slot < l.slots; slot += l.blockRows) {
    const values = Math.min(l.blockRows, l.slots - slot) * l.width;
    const block = l.encoding === 'f32' ? new Float32Array(values) : new Uint16Array(values);
    readAll(fd, asBytes(block), l.rows.offset + slot * rowBytes);
    yield block;
  }
}

async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<number> {
  for (let done = 0; done < bytes.length; ) done += (await file.write(bytes, done, bytes.length - done, position + done)).bytesWritten;
  return bytes.length;
}

function readAll(fd: number, into: Uint8Array, position: number): void {
  for (let done = 0; done < into.length; ) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error('index snapshot ends early');
    done += n;
  }
}
