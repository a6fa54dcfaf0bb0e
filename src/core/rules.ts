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
  /** a person of this dialect never drops below this many faces (Tencent: a person is born with one) */
  minFacesPerPerson: number;
  /** groups this API may create; the library-wide limit (FACEPORT_MAX_GROUPS) applies on top */
  groupsMax: number;
}

export const dialectRules: Record<Dialect, DialectRules> = {
  tencent: {
    idPattern: /^[A-Za-z0-9\-%@#&_]+$/,
    idCharsDescription: 'letters, digits and -%@#&_',
    idMaxBytes: 64,
    facesPerPerson: 5,
    minFacesPerPerson: 1,
    groupsMax: Infinity,
  },
  alibaba: {
    idPattern: /^[A-Za-z0-9_-]+$/,
    idCharsDescription: 'letters, digits, _ and -',
    idMaxBytes: 32,
    facesPerPerson: 20,
    minFacesPerPerson: 0,
    groupsMax: 100,
  },
};

export const limits = {
  personGroupInfoLimitMax: 100,
  uploadFacesMax: 5,
  searchGroupsMax: 100,
  searchGroupsByGroupMax: 60,
  searchProbeFacesMax: 10,
  searchPersonsMax: 100,
  searchPersonsDefault: 5,
  searchPersonsPerGroupMax: 10,
  searchPersonsPerGroupDefault: 5,
  groupNameMaxChars: 60,
  groupTagMaxChars: 40,
  groupDescriptionsMax: 5,
  groupDescriptionNameMaxChars: 30,
  personNameMaxChars: 60,
  personDescriptionValueMaxChars: 60,
  personGroupsMax: 100,
  pageLimitMax: 1000,
  pageLimitDefault: 10,
  /** Alibaba has no documented limit on a person's note; this keeps rows small */
  personNoteMaxChars: 256,
  /** Alibaba's page-numbered lists (currentPage from 1, pageSize) */
  pageSizeMax: 100,
  pageSizeDefault: 20,
  /** Alibaba image scan: tasks per request, and persons returned per face of a library search */
  scanTasksMax: 100,
  scanTopPersons: 5,
} as const;

export const faceModelVersions = ['2.0', '3.0'] as const;
export type FaceModelVersion = (typeof faceModelVersions)[number];
export const defaultFaceModelVersion: FaceModelVersion = '3.0';

/** Length in characters as a person counts them (code points, so one CJK char or emoji is one). */
export const charLength = (s: string): number => [...s].length;

/** More than `max` characters? A character is at most two UTF-16 units, so a long string is decided without counting. */
const exceedsChars = (s: string, max: number): boolean => s.length > 2 * max || charLength(s) > max;

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
  if (exceedsChars(value, maxChars)) fail(codes.tooLong, `The ${what} exceeds ${maxChars} characters.`);
  if (CONTROL_CHARS.test(value)) fail(codes.illegal, `The ${what} contains control characters.`);
  checkWellFormed(value, what, codes.illegal);
}

/**
 * A lone UTF-16 surrogate (JSON allows `\ud800`) cannot be stored as UTF-8: it would come
 * back as U+FFFD, so distinct names would read back equal.
 */
function checkWellFormed(value: string, what: string, code: CoreErrorCode): void {
  if (!value.isWellFormed()) fail(code, `The ${what} contains a lone UTF-16 surrogate, which is not a character.`);
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

export function checkPersonName(name: string): void {
  checkText(name, 'person name', limits.personNameMaxChars, { illegal: 'person.name.illegal', tooLong: 'person.name.too_long' }, true);
}

export function checkPersonNote(note: string): void {
  checkText(note, 'person note', limits.personNoteMaxChars, { illegal: 'param.invalid', tooLong: 'param.invalid' }, false);
}

/**
 * The name of a group created implicitly (Alibaba groups have only an id): the id itself, or
 * with a counter when a group of another id already holds that name, since names are unique.
 */
export const implicitGroupName = (groupId: string, attempt: number): string => (attempt === 0 ? groupId : `${groupId} (${attempt + 1})`);

export function checkGender(gender: number | undefined): void {
  if (gender !== undefined && ![0, 1, 2].includes(gender)) {
    fail('person.gender.illegal', 'Gender must be 0 (unset), 1 (male) or 2 (female).');
  }
}

/** The largest number of faces any dialect lets one person hold. */
export const maxFacesPerPerson = Math.max(...Object.values(dialectRules).map((r) => r.facesPerPerson));

export interface DescriptionValue {
  index: number;
  value: string;
}

/**
 * Applies per-group custom description values (by the group's field index) to a person's
 * current values in that group, returning the new list aligned with the group's fields.
 */
export function applyDescriptionValues(fields: readonly string[], current: readonly string[], values: readonly DescriptionValue[]): string[] {
  if (values.length > limits.groupDescriptionsMax) {
    fail('person.descriptions.exceed', `At most ${limits.groupDescriptionsMax} custom description values can be set.`);
  }
  const out = fields.map((_, i) => current[i] ?? '');
  const seen = new Set<number>();
  for (const { index, value } of values) {
    if (!Number.isInteger(index) || index < 0 || index >= fields.length) {
      fail(
        'person.descriptions.index_illegal',
        `PersonExDescriptionIndex ${index} is out of range: the group has ${fields.length} custom description fields.`,
      );
    }
    if (seen.has(index)) fail('person.descriptions.index_identical', `PersonExDescriptionIndex ${index} is given more than once.`);
    seen.add(index);
    if (exceedsChars(value, limits.personDescriptionValueMaxChars)) {
      fail('person.descriptions.value_too_long', `A custom description value exceeds ${limits.personDescriptionValueMaxChars} characters.`);
    }
    checkWellFormed(value, 'custom description value', 'person.descriptions.value_illegal');
    out[index] = value;
  }
  return out;
}

/** An optional integer parameter within [min, max], with its default. */
export function checkRange(name: string, value: number | undefined, dflt: number, min: number, max: number, code: CoreErrorCode = 'param.invalid'): number {
  const v = value ?? dflt;
  if (!Number.isInteger(v) || v < min || v > max) fail(code, `${name} must be an integer from ${min} to ${max}.`);
  return v;
}

export interface Page {
  offset: number;
  limit: number;
}

/** A page by number (from 1) and size, as Alibaba lists take it. */
export function checkPageNumber(currentPage: number | undefined, pageSize: number | undefined): Page & { currentPage: number } {
  const page = checkRange('currentPage', currentPage, 1, 1, Math.floor(Number.MAX_SAFE_INTEGER / limits.pageSizeMax));
  const size = checkRange('pageSize', pageSize, limits.pageSizeDefault, 1, limits.pageSizeMax);
  return { currentPage: page, offset: (page - 1) * size, limit: size };
}

export function checkPage(offset: number | undefined, limit: number | undefined, maxLimit: number = limits.pageLimitMax): Page {
  const o = offset ?? 0;
  const l = limit ?? limits.pageLimitDefault;
  if (!Number.isSafeInteger(o) || o < 0) fail('param.invalid', 'Offset must be a non-negative integer.');
  if (!Number.isSafeInteger(l) || l < 0) fail('param.invalid', 'Limit must be a non-negative integer.');
  if (l > maxLimit) fail('page.limit.exceed', `Limit must not exceed ${maxLimit}.`);
  return { offset: o, limit: l };
}
