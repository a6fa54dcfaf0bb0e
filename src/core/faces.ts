import { CoreError } from './errors.ts';
import type { ImageInput } from './face-engine.ts';
import { RETCODE_NOT_SIMILAR, RETCODE_OK, retCodeOf, type EnrolledFace, type FaceReader } from './enrolment.ts';
import { mapBounded, PARALLEL_READS } from './map-bounded.ts';
import type { LibraryIndex } from './library-index.ts';
import type { Persons } from './persons.ts';
import { checkQualityLevel, type QualityLevel } from './quality-control.ts';
import { checkRange, defaultFaceModelVersion, dialectRules, limits, type Dialect } from './rules.ts';
import { cosine, similarityScore } from './scores.ts';
import type { FaceBox, FaceStore } from '../store/faces.ts';
import type { PersonStore } from '../store/persons.ts';
import type { Db } from '../store/database.ts';

export interface AddFacesInput {
  personId: string;
  images: ImageInput[];
  /** a new face must reach this compare score against the person's faces (default 60) */
  faceMatchThreshold?: number;
  qualityControl?: number;
}

export interface AddFacesResult {
  faceIds: number[];
  /** per input, in input order: 0 ok, or the reason it was refused */
  retCodes: number[];
  sucIndexes: number[];
  boxes: FaceBox[];
  /** the model version of the person's (first) group */
  modelVersion: string;
}

export type AddEachInput = Omit<AddFacesInput, 'faceMatchThreshold'>;

/** What became of one image of an add-faces call. */
export type FaceOutcome = { status: 'added'; faceId: number; box: FaceBox } | { status: 'failed'; error: CoreError };

/** ... or, when new faces must resemble the person's, refused as unlike them. */
type GatedOutcome = FaceOutcome | { status: 'not_similar' };

export interface AddEachResult<O = FaceOutcome> {
  /** per input image, in input order */
  outcomes: O[];
  modelVersion: string;
  /** the person's groups */
  groupIds: string[];
}

const DEFAULT_FACE_MATCH_THRESHOLD = 60;

/** Faces of existing persons: adding (partial success per image) and deleting. */
export class Faces {
  /** persons with an AddFaces in flight: the cloud refuses a concurrent one for the same person */
  private readonly busy = new Set<string>();

  constructor(
    private readonly db: Db,
    private readonly store: FaceStore,
    private readonly personStore: PersonStore,
    private readonly persons: Persons,
    private readonly reader: FaceReader,
    private readonly index: LibraryIndex,
  ) {}

  /** Tencent's CreateFace: at most 5 images a call, new faces must resemble the person's (score 60 by default). */
  async add(input: AddFacesInput): Promise<AddFacesResult> {
    const threshold = input.faceMatchThreshold ?? DEFAULT_FACE_MATCH_THRESHOLD;
    const quality = this.checkCall(input, threshold);
    checkRange('the number of images', input.images.length, 1, 1, limits.uploadFacesMax, 'faces.upload_exceed');
    const r = await this.enrol(input.personId, input.images, quality, threshold);
    const added = r.outcomes.flatMap((o, index) => (o.status === 'added' ? [{ ...o, index }] : []));
    return {
      faceIds: added.map((a) => a.faceId),
      retCodes: r.outcomes.map((o) => (o.status === 'added' ? RETCODE_OK : o.status === 'failed' ? retCodeOf(o.error)! : RETCODE_NOT_SIMILAR)),
      sucIndexes: added.map((a) => a.index),
      boxes: added.map((a) => a.box),
      modelVersion: r.modelVersion,
    };
  }

  /**
   * Adds faces with an outcome per image, no per-call cap beyond the person's face limit and
   * no comparison with the person's other faces (Alibaba's AddFaces).
   */
  async addEach(input: AddEachInput): Promise<AddEachResult> {
    const quality = this.checkCall(input, undefined);
    return this.enrol(input.personId, input.images, quality);
  }

  private checkCall(input: { images: readonly ImageInput[]; qualityControl?: number }, threshold: number | undefined): QualityLevel {
    if (threshold !== undefined && !(threshold >= 0 && threshold <= 100)) {
      throw new CoreError('threshold.illegal', 'FaceMatchThreshold must be within [0, 100].');
    }
    const quality = checkQualityLevel(input.qualityControl);
    if (input.images.length === 0) throw new CoreError('image.empty', 'No image was given.');
    return quality;
  }

  /**
   * Reads every image (one call per person at a time, within the person's face limit) and
   * stores the faces that pass. A face is compared with the person's existing ones only when
   * a threshold is given and there are some: a person enrolled without a photo has none.
   */
  private async enrol(personId: string, images: readonly ImageInput[], quality: QualityLevel, threshold: number): Promise<AddEachResult<GatedOutcome>>;
  private async enrol(personId: string, images: readonly ImageInput[], quality: QualityLevel): Promise<AddEachResult>;
  private async enrol(personId: string, images: readonly ImageInput[], quality: QualityLevel, threshold?: number): Promise<AddEachResult<GatedOutcome>> {
    const person = this.persons.get(personId);
    const maxFaces = dialectRules[person.dialect as Dialect].facesPerPerson;
    if (this.store.countOf(person.id) + images.length > maxFaces) {
      throw new CoreError('person.faces.exceed', `A person can have at most ${maxFaces} faces.`);
    }
    if (this.busy.has(personId)) {
      throw new CoreError('person.busy', `Faces are already being added to person ${personId}; retry when that call ends.`);
    }
    this.busy.add(personId);
    try {
      const existing = this.store.ofPersonWithEmbeddings(person.id).map((f) => f.embedding);
      type Read = { face: EnrolledFace; url?: string } | { error: CoreError } | { notSimilar: true };
      const reads = await mapBounded(images, PARALLEL_READS, async (image): Promise<Read> => {
        let face: EnrolledFace;
        try {
          face = await this.reader.largest(image, quality);
        } catch (e) {
          if (retCodeOf(e) === undefined) throw e;
          return { error: e as CoreError };
        }
        const similar =
          threshold === undefined || existing.length === 0 || Math.max(...existing.map((v) => similarityScore(cosine(v, face.embedding)))) >= threshold;
        return similar ? { face, url: image.url } : { notSimilar: true };
      });

      const accepted = reads.flatMap((r) => ('face' in r ? [r] : []));
      const now = Date.now();
      const stored = this.db.transaction(() => {
        if (!this.personStore.get(personId)) throw new CoreError('person.not_found', `The person ID ${personId} does not exist.`);
        if (this.store.countOf(person.id) + accepted.length > maxFaces) {
          throw new CoreError('person.faces.exceed', `A person can have at most ${maxFaces} faces.`);
        }
        const groups = this.persons.groupsOf(person.id);
        this.persons.checkFaceRoom(groups, accepted.length);
        const faceIds = accepted.map(({ face, url }) =>
          this.store.insert({ person: person.id, model: this.reader.embeddingModel, ...face, createdAt: now, url }),
        );
        return { faceIds, groups };
      })();
      if (accepted.length > 0) this.persons.reindex(person.id);

      const faceIdOf = new Map(accepted.map((a, i) => [a, stored.faceIds[i]!]));
      return {
        outcomes: reads.map((r): GatedOutcome => {
          if ('error' in r) return { status: 'failed', error: r.error };
          if ('notSimilar' in r) return { status: 'not_similar' };
          return { status: 'added', faceId: faceIdOf.get(r)!, box: r.face.box };
        }),
        modelVersion: stored.groups[0]?.modelVersion ?? defaultFaceModelVersion,
        groupIds: stored.groups.map((g) => g.groupId),
      };
    } finally {
      this.busy.delete(personId);
    }
  }

  /**
   * Deletes the given faces of the person (others' face ids are ignored), never below the
   * minimum of the API that created the person: a Tencent person keeps at least one face.
   */
  delete(personId: string, faceIds: readonly number[]): number[] {
    if (faceIds.length === 0) throw new CoreError('param.empty', 'FaceIds must name at least one face.');
    const person = this.persons.get(personId);
    const min = dialectRules[person.dialect as Dialect].minFacesPerPerson;
    const deleted = this.db.transaction(() => {
      const own = new Set(this.store.idsOf(person.id));
      const targets = [...new Set(faceIds)].filter((id) => own.has(id));
      if (targets.length > 0 && own.size - targets.length < min) {
        throw new CoreError('person.faces.last', `A person must keep at least ${min === 1 ? 'one face' : `${min} faces`}.`);
      }
      for (const id of targets) this.store.delete(id, person.id);
      return targets;
    })();
    if (deleted.length > 0) {
      this.index.facesRemoved(deleted);
      this.persons.reindex(person.id);
    }
    return deleted;
  }

  /** The person's faces (only those named, when faceIds is given) with the URL each came from. */
  of(personId: string, faceIds?: readonly number[]): { faceId: number; url: string | null }[] {
    const person = this.persons.get(personId);
    const wanted = faceIds && new Set(faceIds);
    return this.store
      .sourcesOf(person.id)
      .filter((f) => !wanted || wanted.has(f.id))
      .map((f) => ({ faceId: f.id, url: f.url }));
  }
}
