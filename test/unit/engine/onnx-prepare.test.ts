import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { denormals, graphNodes, prepareModel, rewritePRelu, tinyModel } from '../../../scripts/onnx-prepare.mjs';

const run = async (model: Buffer, x: Float32Array): Promise<Float32Array> => {
  const s = await InferenceSession.create(model, { logSeverityLevel: 3 });
  try {
    return (await s.run({ x: new Tensor('float32', x, [x.length]) })).y!.data as Float32Array;
  } finally {
    await s.release();
  }
};

describe('model preparation (scripts/onnx-prepare.mjs)', () => {
  it('counts denormal weights and flushes them to zero, keeping the sign and the file size', () => {
    const model = tinyModel('Mul', [1e-39, -2e-40, 1.5, 0, 1e-37]);
    const before = denormals(Buffer.from(model));
    assert.equal(before.values, 5);
    assert.equal(before.denormals, 2);
    const flushed = Buffer.from(model);
    assert.equal(denormals(flushed, { flush: true }).denormals, 2);
    assert.equal(flushed.length, model.length);
    assert.equal(denormals(flushed).denormals, 0);
    // 4 bytes replaced by 4 bytes: 1e-39 → +0, -2e-40 → -0, the rest untouched
    const raw = flushed.subarray(flushed.length - 200);
    assert.ok(raw.includes(Buffer.from([0, 0, 0, 0x80])), 'negative denormal became -0');
  });

  for (const [label, slope] of [
    ['slopes in [0, 1]: Mul + Max', [0, 0.25, 1, 0.5, 0.75, 0.1]],
    ['slopes outside [0, 1]: Relu, Min, Mul, Add', [-1.35, 0.25, 1.23, -0.5, 0, 2]],
  ] as const) {
    it(`rewrites PRelu with ${label}, the same outputs bit for bit (but a zero's sign)`, async () => {
      const model = tinyModel('PRelu', [...slope]);
      const { buf, replaced } = rewritePRelu(Buffer.from(model));
      assert.equal(replaced, 1);
      const ops = graphNodes(buf).map((n) => n.op);
      assert.deepEqual(ops, slope.every((v) => v >= 0 && v <= 1) ? ['Mul', 'Max'] : ['Relu', 'Min', 'Mul', 'Add']);
      for (const x of [
        new Float32Array([-3, -0.5, 0, 2, -1e-3, 7]),
        new Float32Array([-0, 1e-30, -1e30, 3.4e38, -3.4e38, -7.25]),
      ]) {
        // -0 + 0 is +0: the rewrite may turn PRelu's -0 into +0, which no later sum can tell apart
        const bits = (v: Float32Array): number[] => [...new Uint32Array(Float32Array.from(v, (f) => f + 0).buffer)];
        assert.deepEqual(bits(await run(buf, x)), bits(await run(model, x)));
      }
    });
  }

  it('leaves a model without PRelu or denormals byte for byte as it was', () => {
    const model = tinyModel('Mul', [1, 2, 3]);
    const { buf, denormalsFlushed, preluRewritten } = prepareModel(Buffer.from(model));
    assert.equal(denormalsFlushed, 0);
    assert.equal(preluRewritten, 0);
    assert.ok(buf.equals(model));
  });
});
