import type { ErrorObject } from 'ajv';

/** The dotted path of the field a schema error is about (`Infos.0.Index`), '' for the whole body. */
export const schemaErrorPath = (e: ErrorObject, child?: string): string =>
  [...e.instancePath.split('/').filter(Boolean), ...(child === undefined ? [] : [child])].join('.');
