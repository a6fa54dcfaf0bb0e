import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeyRing } from '../auth/keys.ts';
import type { RateLimiter } from '../auth/rate-limits.ts';
import type { ReplayGuard } from '../auth/replay-guard.ts';
import { isCoreError } from '../core/errors.ts';
import type { Library } from '../core/library.ts';
import type { ActionDef } from './action.ts';
import { authenticate, type Caller } from './authenticate.ts';
import { Dispatcher, type ParamEncoding } from './dispatcher.ts';
import { TencentError, tencentCodeFor } from './errors.ts';
import { checkFormSize, FormShapeError, unflatten } from './params.ts';
import { headerValue } from '../header-value.ts';
import { jsonShapeProblem } from '../json-guard.ts';
import { rawBodyParser } from '../raw-body.ts';

export interface TencentOptions {
  library: Library;
  keys: KeyRing;
  replays: ReplayGuard;
  /** per-key, per-action request rates, when configured */
  limiter?: RateLimiter;
  actions: readonly ActionDef[];
  /** largest request body accepted, bytes (Tencent: 10 MB) */
  bodyLimit: number;
  validateResponses: boolean;
}

/**
 * Common parameters: in a GET query or a form body (the legacy signature puts them all there)
 * they travel beside the action's own and are not passed to its schema.
 */
const COMMON_PARAMS = new Set([
  'Action', 'Version', 'Region', 'Timestamp', 'Nonce', 'SecretId', 'Signature', 'SignatureMethod', 'Token', 'Language',
  'RequestClient',
]);

/**
 * Every answer leaves through here. The Content-Type is exactly `application/json`, as the
 * cloud sends it: tencentcloud-sdk-python reads `Response.Error` only under that type (or
 * `text/plain`), and fastify's own serializer would append `; charset=utf-8`.
 */
function send(reply: FastifyReply, requestId: string, response: Record<string, unknown>): FastifyReply {
  const trace = headerValue(reply.request, 'x-tc-traceid');
  if (trace) reply.header('X-TC-TraceId', trace);
  // Tencent answers every API error with HTTP 200: SDKs look for Response.Error, and the Node
  // SDK turns any other status into an exception without the code.
  return reply
    .code(200)
    .type('application/json')
    .serializer(JSON.stringify)
    .send({ Response: { ...response, RequestId: requestId } });
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

/** Any other request no route takes (an unknown HTTP method, another path): Tencent's envelope. */
export function tencentNotFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = req.url.split('?')[0];
  const err =
    path === '/'
      ? new TencentError('UnsupportedProtocol', `HTTP method ${req.method} is not supported; use POST or GET.`)
      : new TencentError('InvalidRequest', `No API is served at ${path}: the Tencent Cloud API is at /, Alibaba Green under /green/.`);
  return sendError(reply, randomUUID(), err);
}

const mediaType = (req: FastifyRequest): string =>
  (headerValue(req, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** The flattened parameters of a GET query or a form-encoded POST body; undefined for JSON. */
function formOf(req: FastifyRequest, body: Buffer, query: string): URLSearchParams | undefined {
  const raw = req.method === 'GET' ? query : mediaType(req) === 'application/x-www-form-urlencoded' ? body : undefined;
  if (raw === undefined) return undefined;
  formShape(() => checkFormSize(raw));
  return new URLSearchParams(raw.toString());
}

/** Runs a step of form decoding, answering a malformed form as Tencent does. */
function formShape<T>(step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof FormShapeError) throw new TencentError('InvalidParameter', e.message);
    throw e;
  }
}

function decodeParams(req: FastifyRequest, body: Buffer, form: URLSearchParams | undefined): { params: unknown; encoding: ParamEncoding } {
  if (form) return { params: formShape(() => unflatten([...form].filter(([k]) => !COMMON_PARAMS.has(k)))), encoding: 'form' };
  const contentType = mediaType(req);
  if (contentType !== 'application/json') {
    throw new TencentError('InvalidRequest', `Content-Type \`${contentType || '(none)'}\` is not supported; send application/json.`);
  }
  if (body.length === 0) return { params: {}, encoding: 'json' };
  const tooComplex = jsonShapeProblem(body);
  if (tooComplex) throw new TencentError('InvalidRequest', tooComplex);
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

/**
 * Two calls an SDK makes in the same second with the same body (GetPersonBaseInfo, then
 * DeletePerson, of one PersonId) carry the same signature, as no SDK signs X-TC-Action.
 */
const REBIND_WINDOW_MS = 2_000;

/**
 * TC3 as the SDKs use it leaves X-TC-Action and X-TC-Version unsigned, so a captured request
 * could be replayed within the timestamp window as another action. A signature is bound to
 * the action it was first used for; after REBIND_WINDOW_MS, when no SDK could have made it
 * again itself, it is refused for any other.
 */
function checkActionBinding(replays: ReplayGuard, caller: Extract<Caller, { scheme: 'TC3-HMAC-SHA256' }>, binding: string): void {
  const now = Date.now();
  const first = replays.firstUse('tc3', caller.signature, binding, caller.expiresAt, now);
  if (first && first.binding !== binding && now - first.usedAt > REBIND_WINDOW_MS) {
    throw new TencentError(
      'AuthFailure.SignatureFailure',
      `This signature was used ${Math.round((now - first.usedAt) / 1000)} s ago for another action or version; sign each request anew.`,
    );
  }
}

/** Tencent Cloud API 3.0 at the root path, as `iai.tencentcloudapi.com` serves it. */
export async function tencentRoutes(app: FastifyInstance, opts: TencentOptions): Promise<void> {
  const dispatcher = new Dispatcher(opts.actions, opts.library, { validateResponses: opts.validateResponses });

  // The signature covers the exact body bytes, so every body arrives raw and is decoded here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', rawBodyParser(opts.bodyLimit));

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
        const limit = dispatcher.bodyLimit(headerValue(req, 'x-tc-action'), opts.bodyLimit);
        if (body.length > limit) {
          throw new TencentError('RequestSizeLimitExceeded', `The request body exceeds ${limit} bytes, the limit for this action.`);
        }
        const form = formOf(req, body, query);
        const caller = authenticate({ method: req.method, query, headers: req.headers, body, form }, opts.keys);
        // A legacy signature covers the Action and Version parameters, never the X-TC-* headers.
        const tc3 = caller.scheme === 'TC3-HMAC-SHA256';
        const common = (headerName: string, param: string) =>
          (tc3 ? headerValue(req, headerName) : undefined) ?? form?.get(param) ?? undefined;
        const action = common('x-tc-action', 'Action');
        const version = common('x-tc-version', 'Version');
        if (caller.scheme === 'TC3-HMAC-SHA256') checkActionBinding(opts.replays, caller, `${action} ${version}`);
        if (action && opts.limiter && !opts.limiter.take(caller.secretId, action)) {
          throw new TencentError('RequestLimitExceeded', `The request rate of ${action} for this key exceeds its limit; retry shortly.`);
        }
        const decoded = decodeParams(req, body, form);
        const result = await dispatcher.run(action, version, decoded.params, decoded.encoding, req.log);
        return send(reply, requestId, result);
      } catch (err) {
        return sendError(reply, requestId, err);
      }
    },
  });
}
