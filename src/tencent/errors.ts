import type { CoreErrorCode } from '../core/errors.ts';

/** An error answered in Tencent's envelope: `{"Response":{"Error":{"Code","Message"},"RequestId"}}`. */
export class TencentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TencentError';
  }
}

/** Every core error, as Tencent IAI names it (spec §7). The one table for this protocol. */
export const tencentCodeFor: Record<CoreErrorCode, string> = {
  'param.invalid': 'InvalidParameterValue',
  'param.missing': 'MissingParameter',
  'param.empty': 'MissingParameter.ErrorParameterEmpty',
  'group.id.illegal': 'InvalidParameterValue.GroupIdIllegal',
  'group.id.too_long': 'InvalidParameterValue.GroupIdTooLong',
  'group.id.exists': 'InvalidParameterValue.GroupIdAlreadyExist',
  'group.not_found': 'InvalidParameterValue.GroupIdNotExist',
  'group.name.illegal': 'InvalidParameterValue.GroupNameIllegal',
  'group.name.too_long': 'InvalidParameterValue.GroupNameTooLong',
  'group.name.exists': 'InvalidParameterValue.GroupNameAlreadyExist',
  'group.tag.illegal': 'InvalidParameterValue.GroupTagIllegal',
  'group.tag.too_long': 'InvalidParameterValue.GroupTagTooLong',
  'group.descriptions.exceed': 'InvalidParameterValue.GroupExDescriptionsExceed',
  'group.descriptions.name_identical': 'InvalidParameterValue.GroupExDescriptionsNameIdentical',
  'group.descriptions.name_illegal': 'InvalidParameterValue.GroupExDescriptionsNameIllegal',
  'group.descriptions.name_too_long': 'InvalidParameterValue.GroupExDescriptionsNameTooLong',
  'group.quota': 'InvalidParameterValue.GroupNumExceed',
  'group.face_quota': 'InvalidParameterValue.GroupFaceNumExceed',
  'group.model_version.illegal': 'InvalidParameterValue.FaceModelVersionIllegal',
  'groups.exceed': 'InvalidParameterValue.GroupIdsExceed',
  'groups.across_versions': 'FailedOperation.AcrossVersionsError',
  'page.limit.exceed': 'InvalidParameterValue.LimitExceed',
  'page.offset.exceed': 'InvalidParameterValue.OffsetExceed',
  'person.id.illegal': 'InvalidParameterValue.PersonIdIllegal',
  'person.id.too_long': 'InvalidParameterValue.PersonIdTooLong',
  'person.id.exists': 'InvalidParameterValue.PersonIdAlreadyExist',
  'person.not_found': 'InvalidParameterValue.PersonIdNotExist',
  'person.name.illegal': 'InvalidParameterValue.PersonNameIllegal',
  'person.name.too_long': 'InvalidParameterValue.PersonNameTooLong',
  'person.gender.illegal': 'InvalidParameterValue.PersonGenderIllegal',
  'person.descriptions.exceed': 'InvalidParameterValue.PersonExDescriptionInfosExceed',
  'person.descriptions.index_illegal': 'InvalidParameterValue.PersonExDescriptionsNameIllegal',
  'person.descriptions.value_too_long': 'InvalidParameterValue.PersonExDescriptionsNameTooLong',
  'person.in_group': 'InvalidParameterValue.PersonExistInGroup',
  'person.not_in_group': 'FailedOperation.GroupPersonMapNotExist',
  'person.groups.exceed': 'InvalidParameterValue.GroupNumPerPersonExceed',
  'person.faces.exceed': 'InvalidParameterValue.PersonFaceNumExceed',
  'person.faces.last': 'InvalidParameterValue.DeleteFaceNumExceed',
  'account.face_quota': 'InvalidParameterValue.AccountFaceNumExceed',
  'image.empty': 'InvalidParameterValue.ImageEmpty',
  'image.size_exceed': 'FailedOperation.ImageSizeExceed',
  'image.resolution_exceed': 'FailedOperation.ImageResolutionExceed',
  'image.resolution_too_small': 'FailedOperation.ImageResolutionTooSmall',
  'image.decode_failed': 'FailedOperation.ImageDecodeFailed',
  'image.url_illegal': 'InvalidParameterValue.UrlIllegal',
  'image.download_failed': 'FailedOperation.ImageDownloadError',
  'face.none': 'InvalidParameterValue.NoFaceInPhoto',
  'face.too_small': 'FailedOperation.FaceSizeTooSmall',
  'face.quality': 'FailedOperation.FaceQualityNotQualified',
  'engine.busy': 'FailedOperation.RequestLimitExceeded',
  'engine.failed': 'FailedOperation.ServerError',
  internal: 'InternalError',
};
