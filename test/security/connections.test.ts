import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { serveChild } from '../support/process.ts';
import { startServer } from '../support/server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'faceport-conn-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** Sends a request line and headers, then trickles the body a byte every 300 ms; resolves with what came back and when. */
function trickle(port: number, path: string): Promise<{ statusLine: string; closedAfterMs: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    });
    const drip = setInterval(() => s.writable && s.write(' '), 300);
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString()));
    s.on('error', () => {});
    s.on('close', () => {
      clearInterval(drip);
      resolve({ statusLine: got.split('\r\n')[0] ?? '', closedAfterMs: Date.now() - t0 });
    });
  });
}

test('clients that send their request too slowly get 408 and are disconnected at the request timeout; the server stays responsive', async () => {
  const s = await startServer({ FACEPORT_REQUEST_TIMEOUT_S: '2' });
  try {
    const slow = Array.from({ length: 20 }, (_, i) => trickle(s.port, i % 2 ? '/' : '/green/sface/groups'));
    await new Promise((r) => setTimeout(r, 500));
    const t = Date.now();
    assert.equal((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status, 200);
    assert.ok(Date.now() - t < 500, 'healthz answered while 20 slow clients are connected');
    for (const r of await Promise.all(slow)) {
      assert.equal(r.statusLine, 'HTTP/1.1 408 Request Timeout');
      // the timeout plus Node's once-a-second check
      assert.ok(r.closedAfterMs >= 2000 && r.closedAfterMs < 4000, `closed after ${r.closedAfterMs} ms`);
    }
  } finally {
    await s.close();
  }
});

test('SIGTERM under load: in-flight requests are answered, later ones get 503 or a refused connection, no connection is reset', async () => {
  const child = await serveChild(dataDir);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const outcomes = new Map<string, number>();
  let running = true;
  const loop = async () => {
    while (running) {
      const outcome = await new Promise<string>((resolve) => {
        const req = http.request({ host: '127.0.0.1', port: child.port, path: '/healthz', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(String(res.statusCode)));
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        req.end();
      });
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (outcome === 'ECONNREFUSED') return;
    }
  };
  const clients = Array.from({ length: 8 }, loop);
  await new Promise((r) => setTimeout(r, 500));
  const stoppedAt = Date.now();
  child.process.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.process.on('close', resolve));
  const tookMs = Date.now() - stoppedAt;
  running = false;
  await Promise.all(clients);
  agent.destroy();
  const seen = Object.fromEntries(outcomes);
  assert.equal(code, 0, 'a clean exit');
  assert.ok(tookMs < 10_000, `stopped in ${tookMs} ms`);
  assert.ok((outcomes.get('200') ?? 0) > 0, JSON.stringify(seen));
  for (const outcome of outcomes.keys()) {
    assert.ok(['200', '503', 'ECONNREFUSED'].includes(outcome), `unexpected outcome ${outcome}: ${JSON.stringify(seen)}`);
  }
});

/**
 * POSTs `size` bytes as most SDKs' HTTP clients do (Python's requests, PHP's curl): the whole
 * body first, the answer after; resolves with the answer's status line and body, or the socket error.
 */
function upload(port: number, path: string, size: number, headers: Record<string, string>): Promise<{ status: string; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const head = Object.entries({ host: '127.0.0.1', ...headers, 'content-length': String(size) }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
      socket.write(Buffer.alloc(size, 'a'));
    });
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString()));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve({ error: `${e.code ?? e.message} after ${JSON.stringify(got.slice(0, 80))}` }));
    socket.on('close', () => {
      const [head = '', body = ''] = got.split('\r\n\r\n');
      resolve({ status: head.split('\r\n')[0] ?? '', body });
    });
    socket.setTimeout(30_000, () => socket.destroy());
  });
}

test('a body over the limit is read to its end and then refused, so the client gets the answer instead of a reset socket', async () => {
  const s = await startServer();
  try {
    for (let i = 0; i < 5; i++) {
      const tencent = await upload(s.port, '/', 20 * 1024 * 1024, { 'content-type': 'application/json', 'x-tc-action': 'DetectFace' });
      assert.ok('status' in tencent, JSON.stringify(tencent));
      assert.equal(tencent.status, 'HTTP/1.1 200 OK');
      assert.equal(JSON.parse(tencent.body).Response.Error.Code, 'RequestSizeLimitExceeded');
      const alibaba = await upload(s.port, '/green/sface/person/update', 20 * 1024 * 1024, { 'content-type': 'application/json' });
      assert.ok('status' in alibaba, JSON.stringify(alibaba));
      assert.equal(alibaba.status, 'HTTP/1.1 400 Bad Request');
      assert.equal(JSON.parse(alibaba.body).Code, 'InvalidParameter.Format');
    }
  } finally {
    await s.close();
  }
});

/** Writes raw bytes and returns the whole answer up to the connection's close (or 5 s). */
function exchange(port: number, bytes: string): Promise<{ status: string; headers: string; body: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString();
      const [head, body = ''] = got.split('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(head ?? '');
      if (length && Buffer.byteLength(body) >= Number(length[1])) socket.end();
    });
    socket.on('error', () => {});
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('close', () => {
      const [head = '', body = ''] = got.split('\r\n\r\n');
      resolve({ status: head.split('\r\n')[0] ?? '', headers: head, body });
    });
  });
}

test('whatever reaches the server is answered in the shape of the API its path names', async () => {
  const s = await startServer();
  try {
    const tencent = async (bytes: string, code: string) => {
      const r = await exchange(s.port, bytes);
      assert.equal(r.status, 'HTTP/1.1 200 OK', `${JSON.stringify(bytes.slice(0, 60))}: ${r.status}`);
      assert.match(r.headers, /content-type: application\/json\r?$/im);
      assert.equal(JSON.parse(r.body).Response.Error.Code, code, bytes.slice(0, 60));
    };
    const alibaba = async (bytes: string, status: string, code: string) => {
      const r = await exchange(s.port, bytes);
      assert.equal(r.status, status, `${JSON.stringify(bytes.slice(0, 60))}: ${r.status}`);
      assert.match(r.headers, /content-type: application\/json/i);
      const b = JSON.parse(r.body);
      assert.equal(b.Code, code);
      for (const field of ['RequestId', 'HostId', 'Code', 'Message', 'Recommend']) assert.equal(typeof b[field], 'string', field);
    };
    await tencent('PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n', 'UnsupportedProtocol');
    await tencent('TRACE / HTTP/1.1\r\nHost: x\r\n\r\n', 'UnsupportedProtocol');
    await tencent('GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n', 'InvalidRequest');
    await tencent('POST / HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Length: 2\r\n\r\n{}', 'AuthFailure.InvalidAuthorization');
    await tencent('POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}', 'AuthFailure.InvalidAuthorization');
    await tencent('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 'InvalidRequest');
    await tencent('get / HTTP/1.1\r\nHost: x\r\n\r\n', 'InvalidRequest');
    await alibaba('PROPFIND /green/sface/groups HTTP/1.1\r\nHost: x\r\n\r\n', 'HTTP/1.1 404 Not Found', 'InvalidApi.NotFound');
    await alibaba('POST /green/sface/groups HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Length: 2\r\n\r\n{}', 'HTTP/1.1 400 Bad Request', 'InvalidAction.NotFound');
    await alibaba('POST /green/sface/groups HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}', 'HTTP/1.1 400 Bad Request', 'InvalidParameter.Format');
    await alibaba('FOO /green/sface/groups HTTP/1.1\r\nHost: x\r\n\r\n', 'HTTP/1.1 400 Bad Request', 'InvalidParameter.Format');
    // a body cut short by a half-close: the parser had read the request line before it failed
    await alibaba('POST /green/sface/groups HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789', 'HTTP/1.1 400 Bad Request', 'InvalidParameter.Format');
  } finally {
    await s.close();
  }
});
