import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { isCoreError } from '../../core/errors.ts';
import { mapBounded, PARALLEL_READS } from '../../core/map-bounded.ts';
import { checkRange, limits } from '../../core/rules.ts';
import type { ProbeResult } from '../../core/search.ts';
import { defineOperation } from '../operation.ts';
import { BusinessError, businessErrorOf, GreenCode } from '../errors.ts';
import { strict } from './shared.ts';

/** Custom face library retrieval; Green's other image scenes (porn, terrorism, sface …) need models faceport does not have. */
const SCENE = 'sface-n';

const Person = Type.Object({ personId: Type.String(), faceId: Type.Integer(), rate: Type.Number() }, strict);
const SceneResult = Type.Object(
  {
    scene: Type.Literal(SCENE),
    label: Type.String(),
    suggestion: Type.String(),
    rate: Type.Number(),
    topPersonData: Type.Array(
      Type.Object(
        {
          faceItem: Type.Object({ x: Type.Integer(), y: Type.Integer(), width: Type.Integer(), height: Type.Integer() }, strict),
          persons: Type.Array(Person),
        },
        strict,
      ),
    ),
  },
  strict,
);
const TaskResult = Type.Object(
  {
    code: Type.Integer(),
    msg: Type.String(),
    taskId: Type.String(),
    dataId: Type.Optional(Type.String()),
    url: Type.String(),
    results: Type.Optional(Type.Array(SceneResult)),
  },
  strict,
);

/**
 * faceport reports who the face resembles, not whether it is them: `rate` is the calibrated
 * similarity (README), and a client applies its own threshold. So a face with candidates is
 * flagged for review, and an image without faces, or a library without a resembling face, passes.
 */
function sceneResult(probes: readonly ProbeResult[]): Static<typeof SceneResult> {
  const topPersonData = probes.map((p) => ({
    faceItem: { x: p.box.x, y: p.box.y, width: p.box.width, height: p.box.height },
    persons: p.candidates.map((c) => ({ personId: c.personId, faceId: c.faceId!, rate: c.score })),
  }));
  const rate = Math.max(0, ...topPersonData.flatMap((t) => t.persons.map((p) => p.rate)));
  const found = topPersonData.some((t) => t.persons.length > 0);
  return { scene: SCENE, label: found ? 'sface' : 'normal', suggestion: found ? 'review' : 'pass', rate, topPersonData };
}

export const ImageSyncScan = defineOperation({
  name: 'ImageSyncScan',
  path: '/green/image/scan',
  request: Type.Object({
    bizType: Type.Optional(Type.String()),
    scenes: Type.Array(Type.String()),
    tasks: Type.Array(
      Type.Object({
        dataId: Type.Optional(Type.String()),
        url: Type.String(),
        extras: Type.Object({ groupId: Type.String() }),
      }),
    ),
  }),
  response: Type.Array(TaskResult),
  handler: async (b, { library }) => {
    const other = b.scenes.find((s) => s !== SCENE);
    if (other !== undefined || b.scenes.length === 0) {
      throw new BusinessError(GreenCode.BAD_REQUEST, `Scene ${other ?? '(none)'} is not supported; faceport serves scene ${SCENE} (custom face library retrieval).`);
    }
    checkRange('the number of tasks', b.tasks.length, 1, 1, limits.scanTasksMax);
    // A few tasks at a time: their downloads overlap, and the engine's worker pool is shared with every other request.
    return mapBounded(b.tasks, PARALLEL_READS, async (task): Promise<Static<typeof TaskResult>> => {
      const base = { taskId: `img${randomUUID().replaceAll('-', '')}`, ...(task.dataId === undefined ? {} : { dataId: task.dataId }), url: task.url };
      try {
        const r = await library.search.search(
          { groupIds: [task.extras.groupId], image: { url: task.url }, maxFaceNum: limits.searchProbeFacesMax, maxPersonNum: limits.scanTopPersons },
          'faces',
          false,
        );
        return { code: GreenCode.OK, msg: 'OK', ...base, results: [sceneResult(r.results)] };
      } catch (e) {
        if (isCoreError(e) && e.code === 'face.none') return { code: GreenCode.OK, msg: 'OK', ...base, results: [sceneResult([])] };
        const err = businessErrorOf(e);
        if (!err) throw e;
        return { code: err.code, msg: err.message, ...base };
      }
    });
  },
});
