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
