import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeyRing } from '../auth/keys.ts';
import { isCoreError } from '../core/errors.ts';
import type { Library } from '../core/library.ts';
import type { ActionDef } from './action.ts';
import { authenticate } from './authenticate.ts';
import { Dispatcher, type ParamEncoding } from './dispatcher.ts';
import { TencentError, tencentCodeFor } from './errors.ts';
import { FormShapeError, unflatten } from './params.ts';
import { headerValue } from '../header-value.ts';

export interface TencentOptions {
  library: Library;
  keys: KeyRing;
  actions: readonly ActionDef[];
  /** largest request body accepted, bytes (Tencent: 10 MB) */
  bodyLimit: number;
  validateResponses: boolean;
}

/** Common parameters that may travel in a GET query beside the action's own. */
const COMMON_QUERY_PARAMS = new Set([
  'Action', 'Version', 'Region', 'Timestamp', 'Nonce', 'SecretId', 'Signature', 'SignatureMethod', 'Token', 'Language',
  'RequestClient',
]);

function send(reply: FastifyReply, requestId: string, response: Record<string, unknown>): FastifyReply {
  const trace = headerValue(reply.request, 'x-tc-traceid');
  if (trace) reply.header('X-TC-TraceId', trace);
  // Tencent answers every API error with HTTP 200: SDKs look for Response.Error, and the Node
  // SDK turns any other status into an exception without the code.
  return reply.code(200).type('application/json').send({ Response: { ...response, RequestId: requestId } });
}

function sendError(reply: FastifyReply, requestId: string, err: unknown): FastifyReply {
  let code: string;
  let message: string;
  if (err instanceof TencentError) {
    ({ code, message } = err);
  } else if (isCoreError(err)) {
    code = tencentCodeFor[err.code];
    message = err.message;
  } else {
    const fe = err as { code?: string; statusCode?: number; message?: string };
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      code = 'RequestSizeLimitExceeded';
      message = 'The request body exceeds the size limit.';
    } else if (fe.statusCode !== undefined && fe.statusCode < 500) {
      code = 'InvalidRequest';
      message = fe.message ?? 'The request is malformed.';
    } else {
      reply.request.log.error({ err }, 'unhandled error in Tencent action');
      code = 'InternalError';
      message = 'Internal error.';
    }
  }
  return send(reply, requestId, { Error: { Code: code, Message: message } });
}

function decodeParams(req: FastifyRequest, body: Buffer, query: string): { params: unknown; encoding: ParamEncoding } {
  const contentType = (headerValue(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (req.method === 'GET') {
    const pairs = [...new URLSearchParams(query)].filter(([k]) => !COMMON_QUERY_PARAMS.has(k));
    return { params: unflatten(pairs), encoding: 'form' };
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    return { params: unflatten(new URLSearchParams(body.toString('utf8'))), encoding: 'form' };
  }
  if (contentType !== 'application/json') {
    throw new TencentError('InvalidRequest', `Content-Type \`${contentType || '(none)'}\` is not supported; send application/json.`);
  }
  if (body.length === 0) return { params: {}, encoding: 'json' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new TencentError('InvalidRequest', 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TencentError('InvalidRequest', 'The request body must be a JSON object.');
  }
  return { params: parsed, encoding: 'json' };
}

/** Tencent Cloud API 3.0 at the root path, as `iai.tencentcloudapi.com` serves it. */
export async function tencentRoutes(app: FastifyInstance, opts: TencentOptions): Promise<void> {
  const dispatcher = new Dispatcher(opts.actions, opts.library, { validateResponses: opts.validateResponses });

  // The signature covers the exact body bytes, so every body arrives raw and is decoded here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err, req, reply) => sendError(reply, randomUUID(), err));

  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/',
    handler: async (req, reply) => {
      const requestId = randomUUID();
      try {
        if (req.method !== 'GET' && req.method !== 'POST') {
          throw new TencentError('UnsupportedProtocol', `HTTP method ${req.method} is not supported; use POST or GET.`);
        }
        const rawUrl = req.raw.url ?? '/';
        const q = rawUrl.indexOf('?');
        const query = q < 0 ? '' : rawUrl.slice(q + 1);
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        authenticate({ method: req.method, query, headers: req.headers, body }, opts.keys);

        const queryParams = req.method === 'GET' ? new URLSearchParams(query) : undefined;
        const action = headerValue(req, 'x-tc-action') ?? queryParams?.get('Action') ?? undefined;
        const version = headerValue(req, 'x-tc-version') ?? queryParams?.get('Version') ?? undefined;
        let decoded;
        try {
          decoded = decodeParams(req, body, query);
        } catch (e) {
          if (e instanceof FormShapeError) throw new TencentError('InvalidParameter', e.message);
          throw e;
        }
        const result = await dispatcher.run(action, version, decoded.params, decoded.encoding, req.log);
        return send(reply, requestId, result);
      } catch (err) {
        return sendError(reply, requestId, err);
      }
    },
  });
}
