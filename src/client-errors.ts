import type { Socket } from 'node:net';
import { alibabaClientError } from './alibaba/client-errors.ts';
import { tencentClientError } from './tencent/client-errors.ts';

/** Node's parse errors carry the bytes received so far as `rawPacket` (a Buffer). */
type ParseError = Error & { code?: string; rawPacket?: unknown };

/** The path of the request line in what the parser had received, when it got that far. */
function requestPath(err: ParseError): string {
  if (!Buffer.isBuffer(err.rawPacket)) return '';
  const line = err.rawPacket.subarray(0, 2048).toString('latin1').split('\r\n', 1)[0]!;
  return line.split(' ')[1] ?? '';
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
  (requestPath(err).startsWith('/green/') ? alibabaClientError : tencentClientError)(err, socket);
}
