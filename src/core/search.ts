import type { SearchHit } from '../index/types.ts';
import { CoreError } from './errors.ts';
import { RETCODE_OK, RETCODE_QUALITY, type FaceReader } from './enrolment.ts';
import type { ImageInput } from './face-engine.ts';
import type { Group, Groups } from './groups.ts';
import type { LibraryIndex } from './library-index.ts';
import { checkQualityLevel } from './quality-control.ts';
import { checkRange, limits, maxFacesPerPerson } from './rules.ts';
import { cosineAtScore, similarityScore } from './scores.ts';
import type { FaceBox } from '../store/faces.ts';
import type { PersonStore } from '../store/persons.ts';
import type { Db } from '../store/database.ts';

/** faces: every stored face is a sample; persons: one fused feature per person. */
export type SearchTarget = 'faces' | 'persons';

export interface SearchInput {
  groupIds: string[];
  image: ImageInput;
  maxFaceNum?: number;
  minFaceSize?: number;
  /** candidates per probe face (merged search) or per group and probe face (by group) */
  maxPersonNum?: number;
  qualityControl?: number;
  faceMatchThreshold?: number;
  needPersonInfo?: boolean;
}

export interface PersonInfo {
  name: string;
  gender: number;
  groups: { groupId: string; exValues: string[] }[];
}

export interface Candidate {
  personId: string;
  /** the matching face; undefined for person search */
  faceId?: number;
  score: number;
  person?: PersonInfo;
}

export interface ProbeResult {
  box: FaceBox;
  retCode: number;
  /** merged search: candidates over all groups; by group: one list per group, in request order */
  candidates: Candidate[];
  byGroup: { groupId: string; candidates: Candidate[] }[];
}

export interface SearchResult {
  results: ProbeResult[];
  /** faces (face search) or persons (person search) in the searched groups */
  itemCount: number;
  modelVersion: string;
}

/** 1:N search of probe faces over groups, on the in-memory index. */
export class Search {
  private readonly ownersOf;
  private readonly personById;

  constructor(
    db: Db,
    private readonly groups: Groups,
    private readonly persons: PersonStore,
    private readonly index: LibraryIndex,
    private readonly reader: FaceReader,
  ) {
    this.ownersOf = db.prepare<[string], { face: number; person: number; personId: string }>(
      `SELECT f.id AS face, p.id AS person, p.person_id AS personId FROM faces f JOIN persons p ON p.id = f.person
       WHERE f.id IN (SELECT value FROM json_each(?))`,
    );
    this.personById = db.prepare<[string], { id: number; personId: string; name: string; gender: number }>(
      `SELECT id, person_id AS personId, name, gender FROM persons WHERE id IN (SELECT value FROM json_each(?))`,
    );
  }

  async search(input: SearchInput, target: SearchTarget, byGroup: boolean): Promise<SearchResult> {
    const maxGroups = byGroup ? limits.searchGroupsByGroupMax : limits.searchGroupsMax;
    if (input.groupIds.length === 0) throw new CoreError('param.empty', 'GroupIds must name at least one group.');
    if (input.groupIds.length > maxGroups) throw new CoreError('groups.exceed', `At most ${maxGroups} groups can be searched at once.`);
    const maxFaceNum = checkRange('MaxFaceNum', input.maxFaceNum, 1, 1, limits.searchProbeFacesMax);
    const minFaceSize = checkRange('MinFaceSize', input.minFaceSize, 34, 1, 4000);
    const k = byGroup
      ? checkRange('MaxPersonNumPerGroup', input.maxPersonNum, limits.searchPersonsPerGroupDefault, 1, limits.searchPersonsPerGroupMax, 'search.persons_exceed')
      : checkRange('MaxPersonNum', input.maxPersonNum, limits.searchPersonsDefault, 1, limits.searchPersonsMax, 'search.persons_exceed');
    const threshold = input.faceMatchThreshold ?? 0;
    if (!(threshold >= 0 && threshold <= 100)) throw new CoreError('threshold.illegal', 'FaceMatchThreshold must be within [0, 100].');
    const quality = checkQualityLevel(input.qualityControl);

    const groups = this.resolveGroups(input.groupIds, target);
    const index = target === 'faces' ? this.index.faces : this.index.persons;
    const itemCount = groups.reduce((n, g) => n + index.groupSize(g.id), 0);
    if (itemCount === 0) throw new CoreError('groups.no_faces', 'The searched groups contain no faces.');

    const probes = await this.reader.faces(input.image, { maxFaceNum, minFaceSize, qualityLevel: quality });
    const grpIds = groups.map((g) => g.id);
    const minScore = cosineAtScore(threshold);
    // A person holds several faces: ask for enough faces that k distinct persons remain.
    const fetch = target === 'faces' ? k * maxFacesPerPerson : k;
    const results = probes.map(({ face, passed }): ProbeResult => {
      const empty: ProbeResult = { box: face.box, retCode: passed ? RETCODE_OK : RETCODE_QUALITY, candidates: [], byGroup: [] };
      if (!passed) return byGroup ? { ...empty, byGroup: groups.map((g) => ({ groupId: g.groupId, candidates: [] })) } : empty;
      if (!byGroup) {
        return { ...empty, candidates: this.candidates(index.search(face.embedding, grpIds, fetch, { minScore }), target, k, threshold, input.needPersonInfo) };
      }
      const perGroup = index.searchByGroup(face.embedding, grpIds, fetch, { minScore });
      return {
        ...empty,
        byGroup: groups.map((g) => ({
          groupId: g.groupId,
          candidates: this.candidates(perGroup.get(g.id) ?? [], target, k, threshold, input.needPersonInfo),
        })),
      };
    });
    return { results, itemCount, modelVersion: groups[0]!.modelVersion };
  }

  private resolveGroups(groupIds: readonly string[], target: SearchTarget): Group[] {
    const groups = [...new Set(groupIds)].map((id) => this.groups.get(id));
    const versions = new Set(groups.map((g) => g.modelVersion));
    if (versions.size > 1) throw new CoreError('groups.across_versions', 'The searched groups use different FaceModelVersions.');
    if (target === 'persons' && groups[0]!.modelVersion === '2.0') {
      throw new CoreError('group.model_version.unsupported', 'Person search needs groups of FaceModelVersion 3.0.');
    }
    return groups;
  }

  /** Hits (best first) → at most k candidates, one per person, at or above the threshold. */
  private candidates(hits: readonly SearchHit[], target: SearchTarget, k: number, threshold: number, needInfo = false): Candidate[] {
    if (hits.length === 0) return [];
    const out: { person: number; candidate: Candidate }[] = [];
    if (target === 'faces') {
      const owners = new Map(this.ownersOf.all(JSON.stringify(hits.map((h) => h.itemId))).map((o) => [o.face, o]));
      const seen = new Set<number>();
      for (const h of hits) {
        const o = owners.get(h.itemId);
        if (!o || seen.has(o.person)) continue;
        seen.add(o.person);
        out.push({ person: o.person, candidate: { personId: o.personId, faceId: h.itemId, score: similarityScore(h.cosine) } });
        if (out.length === k) break;
      }
    } else {
      const ids = new Map(this.personById.all(JSON.stringify(hits.map((h) => h.itemId))).map((p) => [p.id, p.personId]));
      for (const h of hits.slice(0, k)) {
        const personId = ids.get(h.itemId);
        if (personId !== undefined) out.push({ person: h.itemId, candidate: { personId, score: similarityScore(h.cosine) } });
      }
    }
    const kept = out.filter((c) => c.candidate.score >= threshold);
    if (needInfo) {
      const info = new Map(this.personById.all(JSON.stringify(kept.map((c) => c.person))).map((p) => [p.id, p]));
      for (const c of kept) {
        const p = info.get(c.person)!;
        c.candidate.person = {
          name: p.name,
          gender: p.gender,
          groups: this.persons.memberships(c.person).map((m) => ({ groupId: m.groupId, exValues: m.exValues })),
        };
      }
    }
    return kept.map((c) => c.candidate);
  }
}
