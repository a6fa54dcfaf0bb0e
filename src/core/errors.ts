/**
 * Protocol-free error vocabulary of the library core and the engine.
 * Each protocol adapter maps these codes to its own wire codes in exactly one table,
 * so a new rule never needs to know which API it is reached through.
 */
export const coreErrorCodes = [
  // generic request problems detected by the core
  'param.invalid',
  'param.missing',
  'param.empty',
  // groups
  'group.id.illegal',
  'group.id.too_long',
  'group.id.exists',
  'group.not_found',
  'group.name.illegal',
  'group.name.too_long',
  'group.name.exists',
  'group.tag.illegal',
  'group.tag.too_long',
  'group.descriptions.exceed',
  'group.descriptions.name_identical',
  'group.descriptions.name_illegal',
  'group.descriptions.name_too_long',
  'group.quota',
  'group.face_quota',
  'group.model_version.illegal',
  'group.upgrade.not_allowed',
  'upgrade_job.not_found',
  'upgrade_job.cannot_revert',
  'groups.exceed',
  'groups.across_versions',
  // paging
  'page.limit.exceed',
  'page.offset.exceed',
  // persons
  'person.id.illegal',
  'person.id.too_long',
  'person.id.exists',
  'person.not_found',
  'person.name.illegal',
  'person.name.too_long',
  'person.gender.illegal',
  'person.descriptions.exceed',
  'person.descriptions.index_illegal',
  'person.descriptions.value_too_long',
  'person.descriptions.value_illegal',
  'person.in_group',
  'person.not_in_group',
  'person.groups.exceed',
  'person.faces.exceed',
  'person.faces.last',
  'person.busy',
  'person.descriptions.index_identical',
  'faces.upload_exceed',
  'threshold.illegal',
  'quality_control.illegal',
  'unique_person_control.illegal',
  'groups.no_faces',
  'search.persons_exceed',
  'group.model_version.unsupported',
  'account.face_quota',
  // images and the engine
  'image.empty',
  'image.size_exceed',
  'image.resolution_exceed',
  'image.resolution_too_small',
  'image.decode_failed',
  'image.url_illegal',
  'image.download_failed',
  'image.download_timeout',
  'face.none',
  'face.too_small',
  'face.quality',
  'attribute.type_illegal',
  'engine.busy',
  'engine.failed',
  'internal',
] as const;

export type CoreErrorCode = (typeof coreErrorCodes)[number];

/** Messages quote what the client sent; a 4 MB id is not echoed back whole (nor logged). */
const MESSAGE_MAX_CHARS = 500;

export class CoreError extends Error {
  constructor(
    readonly code: CoreErrorCode,
    message: string,
  ) {
    super(message.length > MESSAGE_MAX_CHARS ? `${message.slice(0, MESSAGE_MAX_CHARS)}…` : message);
    this.name = 'CoreError';
  }
}

export function isCoreError(e: unknown): e is CoreError {
  return e instanceof CoreError;
}
