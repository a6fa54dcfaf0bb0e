import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { schemaErrorPath } from '../schema-path.ts';
import { BusinessError, GreenCode } from './errors.ts';

// Bodies are JSON, so types are checked as sent; fields an operation does not know are
// ignored, as Green ignores them (SDKs of other versions send extras such as bizType).
const ajv = new Ajv({ allErrors: false, strict: false });

export const compile = (schema: TSchema): ValidateFunction => ajv.compile(schema);

const fieldName = (e: ErrorObject, child?: string): string => schemaErrorPath(e, child) || 'body';

function toBusinessError(e: ErrorObject): BusinessError {
  if (e.keyword === 'required') {
    return new BusinessError(GreenCode.BAD_REQUEST, `The request is missing the required field \`${fieldName(e, String(e.params.missingProperty))}\`.`);
  }
  return new BusinessError(GreenCode.BAD_REQUEST, `The field \`${fieldName(e)}\` is invalid: ${e.message ?? e.keyword}.`);
}

export function validate(fn: ValidateFunction, value: unknown): void {
  if (!fn(value)) throw toBusinessError(fn.errors![0]!);
}
