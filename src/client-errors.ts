import type { Socket } from 'node:net';
import { alibabaClientError } from './alibaba/client-errors.ts';
import { tencentClientError } from './tencent/client-errors.ts';

/** Node's parse errors carry the bytes received so far as `rawPacket` (a Buffer). */
type ParseError = Error & { code?: string; rawPacket?: unknown };

/**
 * The path the refused request named: from its request line when the bytes that broke the
 * parser hold it, else from the request the parser had already read (a body cut short).
 */
function requestPath(err: ParseError, socket: Socket): string {
  const line = Buffer.isBuffer(err.rawPacket) ? err.rawPacket.subarray(0, 2048).toString('latin1').split('\r\n', 1)[0]! : '';
  const fromLine = line.split(' ')[1];
  if (fromLine?.startsWith('/')) return fromLine;
  return (socket as Socket & { parser?: { incoming?: { url?: string } } }).parser?.incoming?.url ?? '';
}

/**
 * Requests Node refuses before routing (malformed, oversized headers, too slow) are answered
 * by the API their path names, in its own shape, then the connection is closed.
 */
export function clientErrorHandler(err: ParseError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return void socket.destroy();
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    // A client too slow to send its request is sent away, whichever API it was calling.
    socket.end('HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    return;
  }
  (requestPath(err, socket).startsWith('/green/') ? alibabaClientError : tencentClientError)(err, socket);
}
