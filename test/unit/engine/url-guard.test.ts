/**
 * The SSRF guard's address classification: IPv6 forms that embed or tunnel to an IPv4
 * address are judged by that address, or refused where it cannot be trusted.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { fetchImage, isPublicAddress } from '../../../src/engine/fetch-url.ts';

const rejectsWith = (p: Promise<unknown>, code: string) => assert.rejects(p, (e: { code?: string }) => e.code === code);

/** address → may an image be fetched from it (FACEPORT_URL_ALLOW_PRIVATE unset)? */
const table: [address: string, isPublic: boolean, why: string][] = [
  // plain IPv4 and IPv6, as before
  ['8.8.8.8', true, 'public IPv4'],
  ['127.0.0.1', false, 'loopback'],
  ['10.1.2.3', false, 'private'],
  ['169.254.169.254', false, 'link-local (cloud metadata)'],
  ['2001:4860:4860::8888', true, 'public IPv6'],
  ['2606:4700:4700::1111', true, 'public IPv6'],
  ['::1', false, 'IPv6 loopback'],
  ['::', false, 'unspecified'],
  ['fe80::1', false, 'link-local'],
  ['fd12:3456::1', false, 'unique-local'],
  ['ff02::1', false, 'multicast'],
  ['2001:db8::1', false, 'documentation'],
  // IPv4-mapped ::ffff:a.b.c.d, every spelling
  ['::ffff:127.0.0.1', false, 'mapped loopback'],
  ['::ffff:7f00:1', false, 'mapped loopback, hex'],
  ['::FFFF:7F00:0001', false, 'mapped loopback, upper case and leading zeros'],
  ['0:0:0:0:0:ffff:127.0.0.1', false, 'mapped loopback, uncompressed'],
  ['0000:0000:0000:0000:0000:ffff:7f00:0001', false, 'mapped loopback, full form'],
  ['::ffff:8.8.8.8', true, 'mapped public'],
  ['::ffff:808:808', true, 'mapped public, hex'],
  // IPv4-translated ::ffff:0:a.b.c.d (RFC 2765)
  ['::ffff:0:7f00:1', false, 'translated loopback'],
  ['::ffff:0:127.0.0.1', false, 'translated loopback, dotted'],
  ['::ffff:0:a9fe:a9fe', false, 'translated link-local'],
  ['::ffff:0:808:808', true, 'translated public'],
  // IPv4-compatible ::a.b.c.d (deprecated, RFC 4291)
  ['::7f00:1', false, 'compatible loopback'],
  ['::127.0.0.1', false, 'compatible loopback, dotted'],
  ['::10.0.0.1', false, 'compatible private'],
  ['::a9fe:a9fe', false, 'compatible link-local'],
  ['::808:808', true, 'compatible public'],
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052): the embedded address decides
  ['64:ff9b::7f00:1', false, 'NAT64 loopback'],
  ['64:ff9b::127.0.0.1', false, 'NAT64 loopback, dotted'],
  ['64:ff9b::c0a8:101', false, 'NAT64 private'],
  ['64:ff9b::808:808', true, 'NAT64 public'],
  ['64:ff9b::1:7f00:1', false, 'inside 64:ff9b::/32 but outside the /96: no known embedding'],
  // NAT64 local-use 64:ff9b:1::/48 (RFC 8215): the operator picks where the IPv4 sits
  ['64:ff9b:1::808:808', false, 'local-use NAT64'],
  ['64:ff9b:1:ffff:ffff::1', false, 'local-use NAT64'],
  ['64:ff9b:2::1', false, 'the rest of 64:ff9b::/32 is unassigned NAT64 space'],
  ['65:ff9b::7f00:1', true, 'outside 64:ff9b::/32 (as before: not a tunnel)'],
  // 6to4 2002::/16 (RFC 3056): the IPv4 address is bits 16-48
  ['2002:7f00:1::', false, '6to4 of 127.0.0.1'],
  ['2002:7f00:0001:0000:0000:0000:0000:0001', false, '6to4 of 127.0.0.1, full form'],
  ['2002:a00:1::1', false, '6to4 of 10.0.0.1'],
  ['2002:a9fe:a9fe::', false, '6to4 of 169.254.169.254'],
  ['2002:c0a8:0101:1::1', false, '6to4 of 192.168.1.1'],
  ['2002:0808:0808::', true, '6to4 of 8.8.8.8'],
  ['2002:808:808:1:2:3:4:5', true, '6to4 of 8.8.8.8'],
  // Teredo 2001::/32 (RFC 4380): the client address is obfuscated and the server chosen by the sender
  ['2001::1', false, 'Teredo'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', false, 'Teredo (RFC 4380 example)'],
  ['2001:0:0:0:0:ffff:7f00:1', false, 'Teredo'],
  ['2001:1::1', true, 'outside 2001::/32'],
  // zone ids are ignored for the verdict
  ['fe80::1%eth0', false, 'link-local with zone id'],
  ['::ffff:127.0.0.1%1', false, 'mapped loopback with zone id'],
  ['2001:4860:4860::8888%2', true, 'public with zone id'],
  // not addresses at all
  ['', false, 'empty'],
  ['localhost', false, 'a name'],
  ['1::2::3', false, 'two ::'],
  ['::ffff:999.0.0.1', false, 'bad dotted quad'],
  ['12345::1', false, 'group over 16 bits'],
];

describe('URL guard: address classification', () => {
  for (const [address, expected, why] of table) {
    it(`${address || '(empty)'} is ${expected ? 'public' : 'refused'} (${why})`, () => {
      assert.equal(isPublicAddress(address), expected);
    });
  }

  it('refuses tunnelled loopback in URLs before any connection is tried', async () => {
    for (const host of ['[::ffff:0:7f00:1]', '[::7f00:1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::]', '[2001::1]', '[64:ff9b:1::1]']) {
      await rejectsWith(fetchImage(`http://${host}:9/x`, { timeoutMs: 2000 }), 'image.url_illegal');
    }
  });

  it('still lets allowPrivate (FACEPORT_URL_ALLOW_PRIVATE=1) through', async () => {
    const server = http.createServer((_req, res) => res.end('pixels'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://[::ffff:127.0.0.1]:${(server.address() as AddressInfo).port}/x`;
    try {
      await rejectsWith(fetchImage(url), 'image.url_illegal');
      assert.equal(Buffer.from(await fetchImage(url, { allowPrivate: true })).toString(), 'pixels');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
