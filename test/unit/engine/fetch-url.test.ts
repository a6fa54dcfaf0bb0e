import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fetchImage, isPublicAddress } from '../../../src/engine/fetch-url.ts';
import { loadImageInput } from '../../../src/engine/image-input.ts';

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);

const body = Buffer.from('pretend image bytes');
let server: http.Server;
let base: string;

before(async () => {
  server = http.createServer((req, res) => {
    switch (req.url) {
      case '/image':
        res.end(body);
        return;
      case '/redirect':
        res.writeHead(302, { location: '/image' }).end();
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' }).end();
        return;
      case '/big':
        res.end(Buffer.alloc(2048));
        return;
      case '/slow':
        setTimeout(() => res.end(body), 1000);
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

describe('URL image fetching', () => {
  it('downloads from a local server when private addresses are allowed', async () => {
    assert.deepEqual(Buffer.from(await fetchImage(`${base}/image`, { allowPrivate: true })), body);
    assert.deepEqual(Buffer.from(await fetchImage(`${base}/redirect`, { allowPrivate: true })), body);
  });

  it('passes its fetch options through loadImageInput', async () => {
    assert.deepEqual(Buffer.from(await loadImageInput({ url: `${base}/image` }, { allowPrivate: true })), body);
    await rejectsWith(loadImageInput({ url: `${base}/image` }), 'image.url_illegal');
  });

  it('refuses loopback, private and link-local targets by default', async () => {
    await rejectsWith(fetchImage(`${base}/image`), 'image.url_illegal');
    await rejectsWith(fetchImage(`http://localhost:${new URL(base).port}/image`), 'image.url_illegal');
    await rejectsWith(fetchImage('http://[::1]/x'), 'image.url_illegal');
    await rejectsWith(fetchImage('http://[::ffff:127.0.0.1]/x'), 'image.url_illegal');
    await rejectsWith(fetchImage('http://169.254.169.254/latest/meta-data'), 'image.url_illegal');
    await rejectsWith(fetchImage('http://10.1.2.3/x'), 'image.url_illegal');
  });

  it('refuses other schemes and malformed URLs', async () => {
    await rejectsWith(fetchImage('file:///etc/passwd'), 'image.url_illegal');
    await rejectsWith(fetchImage('ftp://example.com/a.jpg'), 'image.url_illegal');
    await rejectsWith(fetchImage('not a url'), 'image.url_illegal');
  });

  it('reports HTTP errors, redirect loops, timeouts and oversize bodies', async () => {
    await rejectsWith(fetchImage(`${base}/missing`, { allowPrivate: true }), 'image.download_failed');
    await rejectsWith(fetchImage(`${base}/loop`, { allowPrivate: true }), 'image.download_failed');
    await rejectsWith(fetchImage(`${base}/slow`, { allowPrivate: true, timeoutMs: 100 }), 'image.download_timeout');
    await rejectsWith(fetchImage(`${base}/big`, { allowPrivate: true, maxBytes: 1024 }), 'image.size_exceed');
    await rejectsWith(fetchImage('http://127.0.0.1:1/x', { allowPrivate: true }), 'image.download_failed');
  });

  it('classifies addresses', () => {
    for (const a of ['127.0.0.1', '10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.1.1', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:192.168.0.1', '224.0.0.1']) {
      assert.equal(isPublicAddress(a), false, a);
    }
    for (const a of ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) assert.equal(isPublicAddress(a), true, a);
  });
});
