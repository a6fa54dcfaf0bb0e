import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * Requests Node's HTTP parser refuses before any route sees them (an oversized GET query,
 * a malformed request line) still get Tencent's envelope at HTTP 200: the Tencent API owns
 * the root path, and its SDK reads only `Response.Error`.
 */
export function tencentClientError(err: Error & { code?: string }, socket: Socket): void {
  const [code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ['RequestSizeLimitExceeded', 'The request line and headers exceed the size limit; send large parameters in a POST body.']
      : ['InvalidRequest', 'The HTTP request is malformed.'];
  const body = JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } });
  socket.end(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
