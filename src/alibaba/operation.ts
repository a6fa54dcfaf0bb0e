import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { FastifyBaseLogger } from 'fastify';
import type { Library } from '../core/library.ts';

/** The only version of the Green API that has the sface operations. */
export const API_VERSION = '2018-05-09';

export interface OperationContext {
  library: Library;
  log: FastifyBaseLogger;
}

/**
 * One Green operation, declared in one place: the SDK's action name, its ROA path, the
 * request body schema (JSON types and required fields; value rules live in the core), the
 * handler, and the schema of the `data` it returns. For object data the envelope adds the
 * mirrored `code`; array data (image scan) carries a code per element itself.
 */
export interface OperationDef<Req extends TObject = TObject, Res extends TSchema = TSchema> {
  name: string;
  path: string;
  request: Req;
  response: Res;
  handler: (body: Static<Req>, ctx: OperationContext) => Static<Res> | Promise<Static<Res>>;
}

export function defineOperation<Req extends TObject, Res extends TSchema>(def: OperationDef<Req, Res>): OperationDef<Req, Res> {
  return def;
}
