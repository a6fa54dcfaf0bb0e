import type { FastifyRequest } from 'fastify';

type Done = (err: Error | null, body?: Buffer) => void;

/** Bodies past a limit are read and dropped up to this much more, then the connection is cut. */
const DROP_MAX_BYTES = 32 * 1024 * 1024;

const tooLarge = (limit: number): Error =>
  Object.assign(new Error(`The request body exceeds ${limit} bytes.`), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });

/**
 * A content parser that hands over the exact body bytes (the signatures cover them), up to
 * `limit`. A larger body is read to its end and dropped, and only then refused: answering
 * while the client is still writing would close the socket under it, and most clients then
 * lose the answer (EPIPE). Past DROP_MAX_BYTES more, or a declared length that far over, the
 * connection is cut at once.
 */
export function rawBodyParser(limit: number) {
  return (req: FastifyRequest, payload: NodeJS.ReadableStream, done: Done): void => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit + DROP_MAX_BYTES) return done(tooLarge(limit));
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      chunks.length = 0;
      if (size > limit + DROP_MAX_BYTES) {
        // No 'end' follows a destroy: the refusal is sent now, on a socket that then closes.
        payload.removeAllListeners('end');
        (payload as NodeJS.ReadableStream & { destroy(): void }).destroy();
        done(tooLarge(limit));
      }
    });
    // A client that goes away mid-body is a client error, not the server's (nor worth its error log).
    payload.on('error', (e: Error) => done(Object.assign(e, { statusCode: 400 })));
    payload.on('end', () => done(size > limit ? tooLarge(limit) : null, size > limit ? undefined : Buffer.concat(chunks, size)));
  };
}
