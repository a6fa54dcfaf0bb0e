import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TObject } from '@sinclair/typebox';
import { schemaErrorPath } from '../schema-path.ts';
import { TencentError } from './errors.ts';

/**
 * JSON bodies must carry the right JSON types; the flattened GET/form encoding carries only
 * strings, so a second validator coerces them to the schema's types.
 */
const jsonAjv = new Ajv({ allErrors: false, strict: false });
const formAjv = new Ajv({ allErrors: false, strict: false, coerceTypes: true });

export interface RequestValidators {
  json: ValidateFunction;
  form: ValidateFunction;
}

export function compileRequest(schema: TObject): RequestValidators {
  return { json: jsonAjv.compile(schema), form: formAjv.compile(schema) };
}

export function compileResponse(schema: TObject): ValidateFunction {
  return jsonAjv.compile(schema);
}

/** Translates the first schema violation into the Tencent code a client expects. */
export function toTencentError(e: ErrorObject): TencentError {
  switch (e.keyword) {
    case 'required': {
      const name = schemaErrorPath(e, String(e.params.missingProperty));
      return new TencentError('MissingParameter', `The request is missing a required parameter \`${name}\`.`);
    }
    case 'additionalProperties': {
      const name = schemaErrorPath(e, String(e.params.additionalProperty));
      return new TencentError('UnknownParameter', `The parameter \`${name}\` is not recognized.`);
    }
    case 'type':
      return new TencentError('InvalidParameter', `The parameter \`${schemaErrorPath(e)}\` must be of type ${String(e.params.type)}.`);
    default:
      return new TencentError('InvalidParameterValue', `The value of parameter \`${schemaErrorPath(e)}\` is invalid: ${e.message ?? e.keyword}.`);
  }
}

export function validate(fn: ValidateFunction, params: unknown): void {
  if (!fn(params)) throw toTencentError(fn.errors![0]!);
}
