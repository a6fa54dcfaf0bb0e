import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';

/**
 * A request under /green that Node's HTTP parser refuses gets the gateway's answer, HTTP 400
 * and its JSON shape, which every Alibaba SDK reads as an error with a code.
 */
export function alibabaClientError(err: Error & { code?: string }, socket: Socket): void {
  const requestId = randomUUID().toUpperCase();
  const body = JSON.stringify({
    RequestId: requestId,
    HostId: '',
    Code: 'InvalidParameter.Format',
    Message: err.code === 'HPE_HEADER_OVERFLOW' ? 'The request line and headers exceed the size limit.' : 'The HTTP request is malformed.',
    Recommend: 'See "Alibaba Cloud Green sface" in the faceport README.',
  });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json;charset=utf-8\r\nx-acs-request-id: ${requestId}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
