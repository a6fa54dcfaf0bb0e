import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { after, before } from 'node:test';
import { facesDir } from '../support/faces.ts';
import { startServer, type TestServer } from '../support/server.ts';

/**
 * A local image host for AddFaces and image scan URLs: `/faces/<path under test/fixtures/faces>`,
 * `/slow` (never answers, for download timeouts), `/text` (not an image); anything else is 404.
 * The server fetches these only with FACEPORT_URL_ALLOW_PRIVATE=1, loopback being private.
 */
export interface PhotoServer {
  url(rel: string): string;
  readonly slow: string;
  readonly text: string;
  readonly missing: string;
  close(): Promise<void>;
}

export async function startPhotoServer(): Promise<PhotoServer> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/slow') return; // hold the connection open
    if (path === '/text') {
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end('this is not an image');
      return;
    }
    const rel = normalize(path.replace(/^\/faces\//, ''));
    if (!path.startsWith('/faces/') || rel.startsWith('..')) {
      res.writeHead(404).end();
      return;
    }
    createReadStream(join(facesDir, rel))
      .on('error', () => res.writeHead(404).end())
      .once('open', () => res.writeHead(200, { 'content-type': 'image/jpeg' }))
      .pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (rel) => `${base}/faces/${rel}`,
    slow: `${base}/slow`,
    text: `${base}/text`,
    missing: `${base}/faces/lfw-dev/Nobody/1.jpg`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A faceport and a photo host for one test file, started before its tests and closed after.
 * The photo host is on loopback, which faceport fetches from only when allowed.
 */
export function serverWithPhotos(env: Record<string, string> = {}): { s: TestServer; photos: PhotoServer } {
  const ctx = {} as { s: TestServer; photos: PhotoServer };
  before(async () => {
    [ctx.s, ctx.photos] = await Promise.all([startServer({ FACEPORT_URL_ALLOW_PRIVATE: '1', ...env }), startPhotoServer()]);
  });
  after(async () => {
    await ctx.s.close();
    await ctx.photos.close();
  });
  return ctx;
}
