import { CoreError, type CoreErrorCode } from './errors.ts';

/**
 * The library's naming and size rules, in one place. Objects remember the API ("dialect")
 * that created them, and the rules of that dialect govern them, so the core is written once.
 */
export type Dialect = 'tencent' | 'alibaba';

export interface DialectRules {
  /** characters allowed in group and person ids */
  idPattern: RegExp;
  idCharsDescription: string;
  idMaxBytes: number;
  facesPerPerson: number;
}

export const dialectRules: Record<Dialect, DialectRules> = {
  tencent: {
    idPattern: /^[A-Za-z0-9\-%@#&_]+$/,
    idCharsDescription: 'letters, digits and -%@#&_',
    idMaxBytes: 64,
    facesPerPerson: 5,
  },
  alibaba: {
    idPattern: /^[A-Za-z0-9_-]+$/,
    idCharsDescription: 'letters, digits, _ and -',
    idMaxBytes: 32,
    facesPerPerson: 20,
  },
};

export const limits = {
  groupNameMaxChars: 60,
  groupTagMaxChars: 40,
  groupDescriptionsMax: 5,
  groupDescriptionNameMaxChars: 30,
  personNameMaxChars: 60,
  personDescriptionValueMaxChars: 60,
  personGroupsMax: 100,
  pageLimitMax: 1000,
  pageLimitDefault: 10,
} as const;

export const faceModelVersions = ['2.0', '3.0'] as const;
export type FaceModelVersion = (typeof faceModelVersions)[number];
export const defaultFaceModelVersion: FaceModelVersion = '3.0';

/** Length in characters as a person counts them (code points, so one CJK char or emoji is one). */
export const charLength = (s: string): number => [...s].length;

// Control characters are never meaningful in names and break logs and consoles.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

function fail(code: CoreErrorCode, message: string): never {
  throw new CoreError(code, message);
}

type IdKind = 'group' | 'person';

export function checkId(kind: IdKind, id: string, dialect: Dialect): void {
  const r = dialectRules[dialect];
  const label = kind === 'group' ? 'group ID' : 'person ID';
  if (id.length === 0) fail('param.empty', `The ${label} must not be empty.`);
  if (Buffer.byteLength(id) > r.idMaxBytes) {
    fail(`${kind}.id.too_long`, `The ${label} exceeds ${r.idMaxBytes} bytes.`);
  }
  if (!r.idPattern.test(id)) {
    fail(`${kind}.id.illegal`, `The ${label} contains invalid characters. It can contain only ${r.idCharsDescription}.`);
  }
}

/** A free-text field with a character limit: empty is allowed only where optional. */
function checkText(
  value: string,
  what: string,
  maxChars: number,
  codes: { illegal: CoreErrorCode; tooLong: CoreErrorCode },
  required: boolean,
): void {
  if (required && value.length === 0) fail('param.empty', `The ${what} must not be empty.`);
  if (charLength(value) > maxChars) fail(codes.tooLong, `The ${what} exceeds ${maxChars} characters.`);
  if (CONTROL_CHARS.test(value)) fail(codes.illegal, `The ${what} contains control characters.`);
}

export function checkGroupName(name: string): void {
  checkText(name, 'group name', limits.groupNameMaxChars, { illegal: 'group.name.illegal', tooLong: 'group.name.too_long' }, true);
}

export function checkGroupTag(tag: string): void {
  checkText(tag, 'group tag', limits.groupTagMaxChars, { illegal: 'group.tag.illegal', tooLong: 'group.tag.too_long' }, false);
}

export function checkGroupDescriptionName(name: string): void {
  if (name.length === 0) fail('group.descriptions.name_illegal', 'A custom description field name must not be empty.');
  checkText(
    name,
    'custom description field name',
    limits.groupDescriptionNameMaxChars,
    { illegal: 'group.descriptions.name_illegal', tooLong: 'group.descriptions.name_too_long' },
    true,
  );
}

/** The full list of a group's custom description field names, as it will be stored. */
export function checkGroupDescriptions(names: readonly string[]): void {
  if (names.length > limits.groupDescriptionsMax) {
    fail('group.descriptions.exceed', `A group can have at most ${limits.groupDescriptionsMax} custom description fields.`);
  }
  names.forEach(checkGroupDescriptionName);
  if (new Set(names).size !== names.length) {
    fail('group.descriptions.name_identical', 'Custom description field names must be unique within a group.');
  }
}

export function checkFaceModelVersion(v: string): asserts v is FaceModelVersion {
  if (!(faceModelVersions as readonly string[]).includes(v)) {
    fail('group.model_version.illegal', `FaceModelVersion must be one of ${faceModelVersions.join(', ')}.`);
  }
}

export interface Page {
  offset: number;
  limit: number;
}

export function checkPage(offset: number | undefined, limit: number | undefined): Page {
  const o = offset ?? 0;
  const l = limit ?? limits.pageLimitDefault;
  if (!Number.isSafeInteger(o) || o < 0) fail('param.invalid', 'Offset must be a non-negative integer.');
  if (!Number.isSafeInteger(l) || l < 0) fail('param.invalid', 'Limit must be a non-negative integer.');
  if (l > limits.pageLimitMax) fail('page.limit.exceed', `Limit must not exceed ${limits.pageLimitMax}.`);
  return { offset: o, limit: l };
}
