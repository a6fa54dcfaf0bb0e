import { CoreError } from './errors.ts';
import type { FaceReader } from './enrolment.ts';
import type { ImageInput } from './face-engine.ts';
import { fuse } from './library-index.ts';
import type { Persons } from './persons.ts';
import { checkQualityLevel } from './quality-control.ts';
import { compareScoreFor, cosine, similarityScore } from './scores.ts';
import type { FaceStore } from '../store/faces.ts';

/** Tencent's fixed decision threshold for VerifyFace (score 60 ≈ FAR 1e-5), used for VerifyPerson too. */
export const VERIFY_MATCH_SCORE = 60;

export interface VerifyResult {
  score: number;
  isMatch: boolean;
  modelVersion: string;
}

/** 1:1 verification of a photo against an enrolled person. */
export class Verify {
  constructor(
    private readonly persons: Persons,
    private readonly faces: FaceStore,
    private readonly reader: FaceReader,
  ) {}

  /**
   * faces: the best score over the person's faces, each compared on its own;
   * fused: one score against the person's fused feature (needs a model 3.0 group).
   */
  async verify(personId: string, image: ImageInput, qualityControl: number | undefined, mode: 'faces' | 'fused'): Promise<VerifyResult> {
    const quality = checkQualityLevel(qualityControl);
    const person = this.persons.get(personId);
    const versions = this.persons.groupsOf(person.id).map((g) => g.modelVersion);
    if (mode === 'fused' && !versions.includes('3.0')) {
      throw new CoreError('group.model_version.unsupported', 'VerifyPerson needs the person to be in a group of FaceModelVersion 3.0.');
    }
    const probe = await this.reader.largest(image, quality);
    const stored = this.faces.ofPersonWithEmbeddings(person.id).map((f) => f.embedding);
    // A person enrolled through Alibaba's AddPerson may have no face yet: nothing to compare with.
    if (stored.length === 0) throw new CoreError('groups.no_faces', `The person ${personId} has no faces.`);
    const cos = mode === 'fused' ? cosine(fuse(stored), probe.embedding) : Math.max(...stored.map((v) => cosine(v, probe.embedding)));
    const modelVersion = versions.includes('3.0') || versions.length === 0 ? '3.0' : '2.0';
    // The decision stays on the 3.0 scale; a 2.0 person's score is reported on its own scale.
    return { score: compareScoreFor(cos, modelVersion), isMatch: similarityScore(cos) >= VERIFY_MATCH_SCORE, modelVersion };
  }
}
