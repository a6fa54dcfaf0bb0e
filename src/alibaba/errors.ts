import { isCoreError, type CoreErrorCode } from '../core/errors.ts';

/**
 * Failures Alibaba's API gateway answers before a request reaches the product: HTTP 4xx with
 * `{RequestId, HostId, Code, Message, Recommend}`, which pop-core raises as an error carrying
 * `.code` and `.statusCode`. Codes and messages are the gateway's public ones.
 */
const gatewayErrors = {
  'InvalidApi.NotFound': { status: 404, message: 'Specified api is not found, please check your url and method.' },
  'InvalidAction.NotFound': { status: 400, message: 'Specified api is not found for this API version.' },
  IncompleteSignature: { status: 400, message: 'The request signature does not conform to Aliyun standards.' },
  InvalidSignatureMethod: { status: 400, message: 'Specified signature method is not valid.' },
  MissingDate: { status: 400, message: 'Date is mandatory for this action.' },
  'InvalidAccessKeyId.NotFound': { status: 404, message: 'Specified access key is not found.' },
  'InvalidAccessKeyId.Inactive': { status: 400, message: 'Specified access key is disabled.' },
  'InvalidTimeStamp.Format': { status: 400, message: 'Specified time stamp or date value is not well formatted.' },
  'InvalidTimeStamp.Expired': { status: 400, message: 'Specified time stamp or date value is expired.' },
  ContentMD5NotMatched: { status: 400, message: 'Specified content md5 is not matched with your request body.' },
  SignatureDoesNotMatch: { status: 400, message: 'Specified signature is not matched with our calculation.' },
  SignatureNonceUsed: { status: 400, message: 'Specified signature nonce was used already.' },
  'Throttling.User': { status: 400, message: 'Request was denied due to user flow control.' },
  'InvalidParameter.Format': { status: 400, message: 'The request is malformed.' },
} as const;

type GatewayCode = keyof typeof gatewayErrors;

export class GatewayError extends Error {
  readonly status: number;

  constructor(
    readonly code: GatewayCode,
    detail?: string,
  ) {
    const e = gatewayErrors[code];
    super(detail ? `${e.message} ${detail}` : e.message);
    this.name = 'GatewayError';
    this.status = e.status;
  }
}

/** Green's business codes (doc 53414), carried in the envelope's `code` at HTTP 200. */
export const GreenCode = {
  OK: 200,
  BAD_REQUEST: 400,
  NOT_ALLOWED: 401,
  NOT_FOUND: 404,
  DOWNLOAD_FAILED: 480,
  GENERAL_ERROR: 500,
  ALGO_FAILED: 586,
  EXCEED_QUOTA: 588,
  TOO_LARGE: 589,
  BAD_FORMAT: 590,
  DOWNLOAD_TIMEOUT: 592,
} as const;

export class BusinessError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'BusinessError';
  }
}

const { BAD_REQUEST, NOT_ALLOWED, NOT_FOUND, DOWNLOAD_FAILED, GENERAL_ERROR, ALGO_FAILED, EXCEED_QUOTA, TOO_LARGE, BAD_FORMAT } = GreenCode;

/** Every core error as a Green code; the message is the core's. The one table for this protocol. */
export const greenCodeFor: Record<CoreErrorCode, number> = {
  'param.invalid': BAD_REQUEST,
  'param.missing': BAD_REQUEST,
  'param.empty': BAD_REQUEST,
  'group.id.illegal': BAD_REQUEST,
  'group.id.too_long': BAD_REQUEST,
  'group.id.exists': BAD_REQUEST,
  'group.not_found': NOT_FOUND,
  'group.name.illegal': BAD_REQUEST,
  'group.name.too_long': BAD_REQUEST,
  'group.name.exists': BAD_REQUEST,
  'group.tag.illegal': BAD_REQUEST,
  'group.tag.too_long': BAD_REQUEST,
  'group.descriptions.exceed': BAD_REQUEST,
  'group.descriptions.name_identical': BAD_REQUEST,
  'group.descriptions.name_illegal': BAD_REQUEST,
  'group.descriptions.name_too_long': BAD_REQUEST,
  'group.quota': BAD_REQUEST,
  'group.face_quota': BAD_REQUEST,
  'group.model_version.illegal': BAD_REQUEST,
  // Green has no model upgrades; these cannot be reached through it.
  'group.upgrade.not_allowed': BAD_REQUEST,
  'upgrade_job.not_found': BAD_REQUEST,
  'upgrade_job.cannot_revert': BAD_REQUEST,
  'groups.exceed': BAD_REQUEST,
  'groups.across_versions': BAD_REQUEST,
  'page.limit.exceed': BAD_REQUEST,
  'page.offset.exceed': BAD_REQUEST,
  'person.id.illegal': BAD_REQUEST,
  'person.id.too_long': BAD_REQUEST,
  'person.id.exists': BAD_REQUEST,
  'person.not_found': NOT_FOUND,
  'person.name.illegal': BAD_REQUEST,
  'person.name.too_long': BAD_REQUEST,
  'person.gender.illegal': BAD_REQUEST,
  'person.descriptions.exceed': BAD_REQUEST,
  'person.descriptions.index_illegal': BAD_REQUEST,
  'person.descriptions.value_too_long': BAD_REQUEST,
  'person.descriptions.value_illegal': BAD_REQUEST,
  'person.in_group': BAD_REQUEST,
  'person.not_in_group': BAD_REQUEST,
  'person.groups.exceed': BAD_REQUEST,
  'person.faces.exceed': BAD_REQUEST,
  'person.faces.last': BAD_REQUEST,
  // a concurrent AddFaces for the same person: transient, like a rate limit
  'person.busy': EXCEED_QUOTA,
  'person.descriptions.index_identical': BAD_REQUEST,
  'faces.upload_exceed': BAD_REQUEST,
  'threshold.illegal': BAD_REQUEST,
  'quality_control.illegal': BAD_REQUEST,
  'unique_person_control.illegal': BAD_REQUEST,
  // Alibaba: a group exists only once one of its persons has a face
  'groups.no_faces': NOT_FOUND,
  'search.persons_exceed': BAD_REQUEST,
  'group.model_version.unsupported': BAD_REQUEST,
  'account.face_quota': BAD_REQUEST,
  'image.empty': BAD_REQUEST,
  'image.size_exceed': TOO_LARGE,
  'image.resolution_exceed': TOO_LARGE,
  'image.resolution_too_small': BAD_FORMAT,
  'image.decode_failed': BAD_FORMAT,
  // refused before connecting: not http(s), malformed, or a private address
  'image.url_illegal': NOT_ALLOWED,
  'image.download_failed': DOWNLOAD_FAILED,
  'image.download_timeout': GreenCode.DOWNLOAD_TIMEOUT,
  'face.none': BAD_REQUEST,
  'face.too_small': BAD_REQUEST,
  'face.quality': BAD_REQUEST,
  'attribute.type_illegal': BAD_REQUEST,
  'engine.busy': EXCEED_QUOTA,
  'engine.failed': ALGO_FAILED,
  internal: GENERAL_ERROR,
};

/** Any failure of an operation as the business error the envelope carries; undefined for unexpected ones. */
export function businessErrorOf(e: unknown): BusinessError | undefined {
  if (e instanceof BusinessError) return e;
  if (isCoreError(e)) return new BusinessError(greenCodeFor[e.code], e.message);
  return undefined;
}
