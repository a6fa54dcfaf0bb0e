import type { Static, TObject } from '@sinclair/typebox';
import type { FastifyBaseLogger } from 'fastify';
import type { Library } from '../core/library.ts';

export const apiVersions = ['2018-03-01', '2020-03-03'] as const;
export type ApiVersion = (typeof apiVersions)[number];
export const allVersions = apiVersions;

export interface ActionContext {
  library: Library;
  version: ApiVersion;
  log: FastifyBaseLogger;
}

/**
 * One IAI action, declared in one place: its name, the API versions that have it, the
 * request schema (types and required fields; value rules live in the core), the handler,
 * and the response schema the handler's result must satisfy (RequestId is added by the
 * envelope).
 */
export interface ActionDef<Req extends TObject = TObject, Res extends TObject = TObject> {
  name: string;
  versions: readonly ApiVersion[];
  request: Req;
  response: Res;
  handler: (params: Static<Req>, ctx: ActionContext) => Static<Res> | Promise<Static<Res>>;
}

export function defineAction<Req extends TObject, Res extends TObject>(def: ActionDef<Req, Res>): ActionDef<Req, Res> {
  return def;
}
