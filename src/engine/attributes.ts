/** Per-face attributes from the shipped models; attributes without a model are not produced. */
import { estimateAgeGender } from './age-gender.ts';
import type { Box } from './detect.ts';
import { smileProbability } from './expression.ts';
import { eyeOpenness } from './eyes.ts';
import { headPose } from './head-pose.ts';
import type { Sessions } from './models.ts';
import type { Point, Pyramid } from './raster.ts';
import type { FaceAttributes } from './types.ts';

export async function estimateAttributes(s: Sessions, pyr: Pyramid, box: Box, l68: readonly Point[]): Promise<FaceAttributes> {
  const { age, male } = await estimateAgeGender(s.fr_age, s.fr_gender, pyr, box);
  return {
    age,
    male,
    smile: await smileProbability(s.fr_expression, pyr, box),
    eyeOpen: await eyeOpenness(s.fr_eye, pyr, l68),
    headPose: await headPose(s.fr_pose, pyr, box),
  };
}
