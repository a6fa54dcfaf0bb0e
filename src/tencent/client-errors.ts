import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * Requests Node's HTTP parser refuses before any route sees them (an oversized GET query,
 * a malformed request line) still get Tencent's envelope at HTTP 200: the Tencent API owns
 * the root path, and its SDK reads only `Response.Error`.
 */
export function tencentClientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    // A client too slow to send its request is sent away, whichever API it was calling.
    if (socket.writable) socket.write('HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    socket.destroy();
    return;
  }
  const [code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['RequestSizeLimitExceeded', 'The request line and headers exceed the size limit; send large parameters in a POST body.']
      : ['InvalidRequest', 'The HTTP request is malformed.'];
  const body = JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
