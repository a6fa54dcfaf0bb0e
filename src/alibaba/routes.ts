import { randomUUID } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeyRing } from '../auth/keys.ts';
import type { RateLimiter } from '../auth/rate-limits.ts';
import type { ReplayGuard } from '../auth/replay-guard.ts';
import type { Library } from '../core/library.ts';
import { authenticate } from './authenticate.ts';
import { BusinessError, businessErrorOf, GatewayError, GreenCode } from './errors.ts';
import { API_VERSION, type OperationDef } from './operation.ts';
import { operations } from './operations/index.ts';
import { compile, validate } from './validation.ts';
import { headerValue } from '../header-value.ts';
import { jsonShapeProblem } from '../json-guard.ts';
import { rawBodyParser } from '../raw-body.ts';

export interface AlibabaOptions {
  library: Library;
  keys: KeyRing;
  replays: ReplayGuard;
  /** per-key, per-operation request rates, when configured */
  limiter?: RateLimiter;
  /** check every answer against its operation's schema (tests turn this on) */
  validateResponses: boolean;
}

/** Green bodies carry ids and image URLs only (at most 100 scan tasks of 2 KB URLs). */
const BODY_LIMIT = 1024 * 1024;

interface Compiled {
  def: OperationDef;
  request: ValidateFunction;
  response: ValidateFunction;
}

// Alibaba request ids are upper-case UUIDs.
const newRequestId = (): string => randomUUID().toUpperCase();

function sendGateway(reply: FastifyReply, requestId: string, e: GatewayError): FastifyReply {
  return reply
    .code(e.status)
    .header('x-acs-request-id', requestId)
    .send({
      RequestId: requestId,
      HostId: headerValue(reply.request, 'host') ?? '',
      Code: e.code,
      Message: e.message,
      Recommend: 'See "Alibaba Cloud Green sface" in the faceport README.',
    });
}

/** Any request under /green no route takes (an unknown HTTP method, say): the gateway's 404. */
export function alibabaNotFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendGateway(reply, newRequestId(), new GatewayError('InvalidApi.NotFound', `(${req.method} ${req.url.split('?')[0]})`));
}

/** Business outcomes travel at HTTP 200 (pop-core returns any 2xx body as is), the code inside, mirrored in `data`. */
function sendEnvelope(reply: FastifyReply, requestId: string, code: number, msg: string, data: unknown): FastifyReply {
  return reply.code(200).header('x-acs-request-id', requestId).send({ code, msg, requestId, data });
}

function parseBody(body: Buffer): unknown {
  if (body.length === 0) return {};
  const tooComplex = jsonShapeProblem(body);
  if (tooComplex) throw new BusinessError(GreenCode.BAD_REQUEST, tooComplex);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BusinessError(GreenCode.BAD_REQUEST, 'The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BusinessError(GreenCode.BAD_REQUEST, 'The request body must be a JSON object.');
  }
  return parsed;
}

/** Alibaba Cloud Green 2018-05-09 (ROA) under /green, as green.cn-shanghai.aliyuncs.com serves it. */
export async function alibabaRoutes(app: FastifyInstance, opts: AlibabaOptions): Promise<void> {
  const byPath = new Map<string, Compiled>(
    operations.map((def) => [def.path, { def, request: compile(def.request), response: compile(def.response) }]),
  );

  // The signature covers the exact body bytes (Content-MD5), so every body arrives raw.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', rawBodyParser(BODY_LIMIT));

  // Only failures before the handler runs land here: a body over the limit or cut short.
  app.setErrorHandler((err, _req, reply) =>
    sendGateway(reply, newRequestId(), new GatewayError('InvalidParameter.Format', (err as Error).message)),
  );

  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/green/*',
    handler: async (req, reply) => {
      const requestId = newRequestId();
      const rawUrl = req.raw.url ?? '/';
      const q = rawUrl.indexOf('?');
      const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      try {
        const op = req.method === 'POST' ? byPath.get(path) : undefined;
        if (!op) throw new GatewayError('InvalidApi.NotFound', `(${req.method} ${path})`);
        const version = headerValue(req, 'x-acs-version');
        if (version !== API_VERSION) {
          throw new GatewayError('InvalidAction.NotFound', `x-acs-version is ${version ?? '(none)'}; faceport serves ${API_VERSION}.`);
        }
        const accessKeyId = authenticate({ method: req.method, path, query: q < 0 ? '' : rawUrl.slice(q + 1), headers: req.headers, body }, opts.keys, opts.replays);
        if (opts.limiter && !opts.limiter.take(accessKeyId, op.def.name)) throw new GatewayError('Throttling.User', `(${op.def.name})`);

        const params = parseBody(body);
        validate(op.request, params);
        const data = await op.def.handler(params as never, { library: opts.library, log: req.log });
        if (opts.validateResponses && !op.response(data)) {
          throw new Error(`${op.def.name} produced data that breaks its schema: ${JSON.stringify(op.response.errors)}`);
        }
        return sendEnvelope(reply, requestId, GreenCode.OK, 'OK', Array.isArray(data) ? data : { code: GreenCode.OK, ...(data as object) });
      } catch (e) {
        if (e instanceof GatewayError) return sendGateway(reply, requestId, e);
        const err = businessErrorOf(e);
        if (!err) req.log.error({ err: e }, `unhandled error in Green ${path}`);
        const code = err?.code ?? GreenCode.GENERAL_ERROR;
        const msg = err?.message ?? 'Internal error.';
        return sendEnvelope(reply, requestId, code, msg, { code, msg });
      }
    },
  });
}
