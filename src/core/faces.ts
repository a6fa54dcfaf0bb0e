import { CoreError } from './errors.ts';
import type { ImageInput } from './face-engine.ts';
import { RETCODE_NOT_SIMILAR, RETCODE_OK, retCodeOf, type EnrolledFace, type FaceReader } from './enrolment.ts';
import type { Groups } from './groups.ts';
import type { LibraryIndex } from './library-index.ts';
import type { Persons } from './persons.ts';
import { checkQualityLevel } from './quality-control.ts';
import { checkRange, dialectRules, limits, type Dialect } from './rules.ts';
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
    private readonly groups: Groups,
    private readonly reader: FaceReader,
    private readonly index: LibraryIndex,
  ) {}

  async add(input: AddFacesInput): Promise<AddFacesResult> {
    const threshold = input.faceMatchThreshold ?? DEFAULT_FACE_MATCH_THRESHOLD;
    if (!(threshold >= 0 && threshold <= 100)) throw new CoreError('threshold.illegal', 'FaceMatchThreshold must be within [0, 100].');
    const quality = checkQualityLevel(input.qualityControl);
    if (input.images.length === 0) throw new CoreError('image.empty', 'No image was given.');
    checkRange('the number of images', input.images.length, 1, 1, limits.uploadFacesMax, 'faces.upload_exceed');
    const person = this.persons.get(input.personId);
    const maxFaces = dialectRules[person.dialect as Dialect].facesPerPerson;
    if (this.store.countOf(person.id) + input.images.length > maxFaces) {
      throw new CoreError('person.faces.exceed', `A person can have at most ${maxFaces} faces.`);
    }
    if (this.busy.has(input.personId)) {
      throw new CoreError('person.busy', `Faces are already being added to person ${input.personId}; retry when that call ends.`);
    }
    this.busy.add(input.personId);
    try {
      const existing = this.store.ofPersonWithEmbeddings(person.id).map((f) => f.embedding);
      const retCodes: number[] = [];
      const accepted: { index: number; face: EnrolledFace }[] = [];
      for (const [index, image] of input.images.entries()) {
        let face: EnrolledFace;
        try {
          face = await this.reader.largest(image, quality);
        } catch (e) {
          const code = retCodeOf(e);
          if (code === undefined) throw e;
          retCodes.push(code);
          continue;
        }
        const best = Math.max(...existing.map((v) => similarityScore(cosine(v, face.embedding))));
        if (best < threshold) {
          retCodes.push(RETCODE_NOT_SIMILAR);
          continue;
        }
        retCodes.push(RETCODE_OK);
        accepted.push({ index, face });
      }

      const now = Date.now();
      let modelVersion = '3.0';
      const faceIds = this.db.transaction(() => {
        if (!this.personStore.get(input.personId)) throw new CoreError('person.not_found', `The person ID ${input.personId} does not exist.`);
        if (this.store.countOf(person.id) + accepted.length > maxFaces) {
          throw new CoreError('person.faces.exceed', `A person can have at most ${maxFaces} faces.`);
        }
        const groups = this.personStore.memberships(person.id).map((m) => this.groups.get(m.groupId));
        this.persons.checkFaceRoom(groups, accepted.length);
        modelVersion = groups[0]?.modelVersion ?? modelVersion;
        return accepted.map(({ face }) =>
          this.store.insert({ person: person.id, model: this.reader.embeddingModel, ...face, createdAt: now }),
        );
      })();
      if (faceIds.length > 0) this.persons.reindex(person.id);
      return {
        faceIds,
        retCodes,
        sucIndexes: accepted.map((a) => a.index),
        boxes: accepted.map((a) => a.face.box),
        modelVersion,
      };
    } finally {
      this.busy.delete(input.personId);
    }
  }

  /** Deletes the given faces of the person (others' face ids are ignored); never its last face. */
  delete(personId: string, faceIds: readonly number[]): number[] {
    if (faceIds.length === 0) throw new CoreError('param.empty', 'FaceIds must name at least one face.');
    const person = this.persons.get(personId);
    const deleted = this.db.transaction(() => {
      const own = new Set(this.store.idsOf(person.id));
      const targets = [...new Set(faceIds)].filter((id) => own.has(id));
      if (targets.length > 0 && targets.length >= own.size) {
        throw new CoreError('person.faces.last', 'A person must keep at least one face.');
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
}
