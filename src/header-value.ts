import type { FastifyRequest } from 'fastify';

/** A request header's value; of a repeated header, the first. */
export const headerValue = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
