/**
 * Tencent's flattened form encoding (GET query or form body): `GroupIds.0=a&GroupIds.1=b`,
 * `Infos.0.Index=1`. Unflattens into nested arrays/objects; values stay strings and the
 * action's schema coerces them.
 */
import { REQUEST_SHAPE_LIMITS } from '../json-guard.ts';

export type FormValue = string | FormValue[] | { [key: string]: FormValue };

export class FormShapeError extends Error {}

/** The form encoding's counterpart of the JSON bound: as many values, as many levels. */
const { maxDepth, maxTokens } = REQUEST_SHAPE_LIMITS;
const AMPERSAND = 0x26;

/** Refuses a form of more than maxTokens parameters before it is parsed at all. */
export function checkFormSize(form: Uint8Array | string): void {
  const bytes = typeof form === 'string' ? Buffer.from(form) : form;
  let pairs = 1;
  for (let i = bytes.indexOf(AMPERSAND); i !== -1; i = bytes.indexOf(AMPERSAND, i + 1)) {
    if (++pairs > maxTokens) throw new FormShapeError(`The request holds more than ${maxTokens} parameters.`);
  }
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function unflatten(pairs: Iterable<[string, string]>): Record<string, FormValue> {
  const root: Record<string, FormValue> = {};
  for (const [key, value] of pairs) {
    const path = key.split('.', maxDepth + 2);
    if (path.length > maxDepth + 1) throw new FormShapeError(`Parameter names nest lists and objects more than ${maxDepth} deep.`);
    if (path.some((p) => p === '' || UNSAFE_KEYS.has(p))) throw new FormShapeError(`Malformed parameter name \`${key}\`.`);
    let node: Record<string, FormValue> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i]!;
      const existing = Object.hasOwn(node, seg) ? node[seg] : undefined;
      if (existing === undefined) {
        const child: Record<string, FormValue> = {};
        node[seg] = child;
        node = child;
      } else if (typeof existing === 'object' && !Array.isArray(existing)) {
        node = existing;
      } else {
        throw new FormShapeError(`Parameter \`${path.slice(0, i + 1).join('.')}\` is given both as a value and as a list.`);
      }
    }
    const last = path[path.length - 1]!;
    if (Object.hasOwn(node, last)) throw new FormShapeError(`Parameter \`${key}\` is given more than once.`);
    node[last] = value;
  }
  return arraysFromIndexes(root) as Record<string, FormValue>;
}

/** Objects whose keys are exactly 0..n-1 are lists. */
function arraysFromIndexes(v: FormValue): FormValue {
  if (typeof v === 'string' || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  for (const k of keys) v[k] = arraysFromIndexes(v[k]!);
  const isList = keys.length > 0 && keys.every((k) => /^(0|[1-9]\d*)$/.test(k)) &&
    keys.map(Number).sort((a, b) => a - b).every((n, i) => n === i);
  if (isList) return keys.map(Number).sort((a, b) => a - b).map((n) => v[String(n)]!);
  if (keys.length > 0 && keys.some((k) => /^\d+$/.test(k))) {
    throw new FormShapeError('List parameters must be numbered from 0 without gaps.');
  }
  return v;
}
