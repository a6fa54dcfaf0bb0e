/**
 * A bound on what JSON.parse is given, checked in one pass over the bytes before parsing:
 * a body of a few MB that is a million nested arrays, or a million tiny values, would hold
 * the event loop for hundreds of milliseconds in JSON.parse and validation, while a
 * multi-MB base64 photo is one string and parses in a few.
 */
export interface JsonLimits {
  /** arrays and objects open at once */
  maxDepth: number;
  /** values and keys, strings counted once whatever their length */
  maxTokens: number;
}

/**
 * Far above any request either API documents (100 scan tasks, 100 group ids, 5 descriptions);
 * Tencent's form encoding (GET, form POST) is held to the same numbers.
 */
export const REQUEST_SHAPE_LIMITS: JsonLimits = { maxDepth: 16, maxTokens: 20_000 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Where the string opened at `open` ends: found with Buffer.indexOf (memchr), since a
 * photo's base64 is most of the bytes; a quote after an odd run of backslashes is escaped.
 */
function stringEnd(body: Buffer, open: number): number {
  for (let q = body.indexOf(QUOTE, open + 1); q !== -1; q = body.indexOf(QUOTE, q + 1)) {
    let slashes = 0;
    while (body[q - 1 - slashes] === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return q;
  }
  return body.length;
}

/** Why `body` is beyond the limits, or undefined when it is within them (valid JSON or not). */
export function jsonShapeProblem(body: Buffer, limits: JsonLimits = REQUEST_SHAPE_LIMITS): string | undefined {
  let depth = 0;
  let tokens = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === QUOTE) {
      i = stringEnd(body, i);
      tokens++;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limits.maxDepth) return `The request body nests arrays and objects more than ${limits.maxDepth} deep.`;
      tokens++;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    } else if (c === COMMA || c === COLON) {
      if (++tokens > limits.maxTokens) return `The request body holds more than ${limits.maxTokens} values.`;
    }
  }
  return undefined;
}
