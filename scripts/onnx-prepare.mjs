// Install-time preparation of the shipped ONNX models (plain JS, no protobuf library: runs
// before anything is compiled), two changes that left every output of fr_feature and
// fr_liveness bit-identical on the inputs tried (the PRelu rewrite may turn a -0 into +0):
//  1. denormal float32 weights flushed to zero (fr_feature holds 8,938, fr_landmark 26,567,
//     fr_gender 13,331, fr_age 3,308): multiplying by them makes denormal products, which cost a
//     microcode assist per operation on CPUs that handle denormals slowly (Intel's);
//  2. PRelu rewritten into element-wise kernels (see rewritePRelu).
// A minimal protobuf walker finds every float32 weight (graph initializers, Constant nodes'
// tensors, subgraphs'); flushing replaces 4 bytes by 4 bytes in place.
//
// Wire format used (onnx.proto3): ModelProto.graph = 7; GraphProto.node = 1, .initializer = 5;
// NodeProto.attribute = 5; AttributeProto.t = 5, .g = 6, .tensors = 10, .graphs = 11;
// TensorProto.data_type = 2 (FLOAT = 1), .float_data = 4, .name = 8, .raw_data = 9.

const FLOAT = 1;

function varint(buf, pos) {
  let v = 0;
  let mul = 1;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    v += (b & 0x7f) * mul;
    if (b < 0x80) return [v, pos];
    mul *= 128;
  }
}

/** Calls visit(field, wireType, start, end) for each field of the message in buf[start, end). */
function fields(buf, start, end, visit) {
  let pos = start;
  while (pos < end) {
    let key;
    [key, pos] = varint(buf, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      const s = pos;
      [, pos] = varint(buf, pos);
      visit(field, wire, s, pos);
    } else if (wire === 1) {
      visit(field, wire, pos, pos + 8);
      pos += 8;
    } else if (wire === 5) {
      visit(field, wire, pos, pos + 4);
      pos += 4;
    } else if (wire === 2) {
      let len;
      [len, pos] = varint(buf, pos);
      if (pos + len > end) throw new Error('truncated field');
      visit(field, wire, pos, pos + len);
      pos += len;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  if (pos !== end) throw new Error('message overruns its bounds');
}

/** @returns {{ name: string, ranges: [number, number][] } | null} the float32 payload byte ranges of a TensorProto */
function tensor(buf, start, end) {
  let type = 0;
  let name = '';
  const ranges = [];
  fields(buf, start, end, (f, w, s, e) => {
    if (f === 2 && w === 0) type = varint(buf, s)[0];
    else if (f === 8 && w === 2) name = buf.toString('utf8', s, e);
    else if ((f === 9 && w === 2) || (f === 4 && (w === 2 || w === 5))) ranges.push([s, e]);
  });
  return type === FLOAT ? { name, ranges } : null;
}

function graph(buf, start, end, out) {
  fields(buf, start, end, (f, w, s, e) => {
    if (w !== 2) return;
    if (f === 5) {
      const t = tensor(buf, s, e);
      if (t) out.push(t);
    } else if (f === 1) {
      fields(buf, s, e, (nf, nw, ns, ne) => {
        if (nf !== 5 || nw !== 2) return;
        fields(buf, ns, ne, (af, aw, as, ae) => {
          if (aw !== 2) return;
          if (af === 5 || af === 10) {
            const t = tensor(buf, as, ae);
            if (t) out.push(t);
          } else if (af === 6 || af === 11) {
            graph(buf, as, ae, out);
          }
        });
      });
    }
  });
}

/** Every float32 weight tensor of an ONNX model (a Buffer), with the byte ranges of its values. */
export function floatTensors(buf) {
  const out = [];
  fields(buf, 0, buf.length, (f, w, s, e) => {
    if (f === 7 && w === 2) graph(buf, s, e, out);
  });
  return out;
}

const isDenormal = (bits) => (bits & 0x7f800000) === 0 && (bits & 0x007fffff) !== 0;

/**
 * Counts (and with `flush`, zeroes in place, keeping the sign) the denormal float32 values of
 * every weight. Returns { values, denormals, tensors: [{ name, values, denormals }] } for the
 * tensors holding any.
 */
export function denormals(buf, { flush = false } = {}) {
  let values = 0;
  let total = 0;
  const tensors = [];
  for (const t of floatTensors(buf)) {
    let n = 0;
    let count = 0;
    for (const [s, e] of t.ranges) {
      if ((e - s) % 4) throw new Error(`${t.name}: float payload of ${e - s} bytes`);
      for (let p = s; p < e; p += 4) {
        count++;
        const bits = buf.readUInt32LE(p);
        if (isDenormal(bits)) {
          n++;
          if (flush) buf.writeUInt32LE((bits & 0x80000000) >>> 0, p);
        }
      }
    }
    values += count;
    total += n;
    if (n) tensors.push({ name: t.name, values: count, denormals: n });
  }
  return { values, denormals: total, tensors };
}

// ---- graph rewriting: PRelu → element-wise kernels ---------------------------------------------
// ORT's CPU PRelu depends on the data (a branch per value): on real faces, whose activations'
// signs look random, fr_feature's 33 PRelus took 5.2 of its 8.1 ms (ORT profile, AMD EPYC,
// graphOptimizationLevel 'all'), 2.1 ms on an all-zero input. Rewritten, the same function bit
// for bit, but for the sign of a zero output (-0 + 0 = +0), which no later sum can tell apart:
//   every slope in [0, 1]:  y = Max(x, Mul(x, slope))     (x ≥ 0: x ≥ slope·x; x < 0: slope·x ≥ x)
//   otherwise:              y = Add(Relu(x), Mul(Min(x, 0), slope))   (x + ±0 = x; 0 + slope·x)
// slope·x is rounded exactly as PRelu rounds it. fr_feature's slopes reach −1.35 and 1.23, so
// it takes the second form: 1.7 ms for the four kernels instead of 5.2.

function encodeVarint(n) {
  const out = [];
  while (n >= 0x80) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}
const lenField = (field, payload) => Buffer.concat([encodeVarint(field * 8 + 2), encodeVarint(payload.length), payload]);
const strField = (field, s) => lenField(field, Buffer.from(s, 'utf8'));

function nodeInfo(buf, s, e) {
  const n = { inputs: [], outputs: [], name: '', op: '', domain: '' };
  fields(buf, s, e, (f, w, fs, fe) => {
    if (w !== 2) return;
    const v = buf.toString('utf8', fs, fe);
    if (f === 1) n.inputs.push(v);
    else if (f === 2) n.outputs.push(v);
    else if (f === 3) n.name = v;
    else if (f === 4) n.op = v;
    else if (f === 7) n.domain = v;
  });
  return n;
}

function encodeNode({ inputs, outputs, name, op }) {
  return Buffer.concat([...inputs.map((i) => strField(1, i)), ...outputs.map((o) => strField(2, o)), strField(3, name), strField(4, op)]);
}

function floatValues(buf, t) {
  const vals = [];
  for (const [s, e] of t.ranges) for (let p = s; p < e; p += 4) vals.push(buf.readFloatLE(p));
  return vals;
}

const ZERO = 'faceport__zero';

/**
 * Returns a new model buffer with every PRelu of the main graph whose slope is an initializer
 * replaced as above, and how many were replaced (the buffer itself when none).
 */
export function rewritePRelu(buf) {
  let graphRange = null;
  fields(buf, 0, buf.length, (f, w, s, e) => {
    if (f === 7 && w === 2) graphRange = [s, e];
  });
  if (!graphRange) throw new Error('model has no graph');
  const slopes = new Map();
  fields(buf, graphRange[0], graphRange[1], (f, w, s, e) => {
    if (f !== 5 || w !== 2) return;
    const t = tensor(buf, s, e);
    if (t) slopes.set(t.name, floatValues(buf, t));
  });
  const parts = [];
  let replaced = 0;
  let needZero = false;
  fields(buf, graphRange[0], graphRange[1], (f, w, s, e) => {
    // the field as it was, key and length included
    const raw = () => (w === 2 ? lenField(f, buf.subarray(s, e)) : null);
    if (f === 1 && w === 2) {
      const n = nodeInfo(buf, s, e);
      const slope = n.op === 'PRelu' && !n.domain && n.inputs.length === 2 ? slopes.get(n.inputs[1]) : undefined;
      if (slope) {
        const [x, a] = n.inputs;
        const y = n.outputs[0];
        const id = n.name || y;
        const node = (op, inputs, output) => parts.push(lenField(1, encodeNode({ inputs, outputs: [output], name: `${id}__${op.toLowerCase()}`, op })));
        if (slope.every((v) => v >= 0 && v <= 1)) {
          node('Mul', [x, a], `${y}__scaled`);
          node('Max', [x, `${y}__scaled`], y);
        } else {
          node('Relu', [x], `${y}__pos`);
          node('Min', [x, ZERO], `${y}__neg`);
          node('Mul', [`${y}__neg`, a], `${y}__scaled`);
          node('Add', [`${y}__pos`, `${y}__scaled`], y);
          needZero = true;
        }
        replaced++;
        return;
      }
    }
    if (w === 2) parts.push(raw());
    else {
      // varint / fixed fields of GraphProto do not exist in onnx.proto3; keep them verbatim anyway
      let keyStart = s - 1;
      while (keyStart > 0 && buf[keyStart - 1] >= 0x80) keyStart--;
      parts.push(buf.subarray(keyStart, e));
    }
  });
  if (!replaced) return { buf, replaced };
  // a float scalar 0 initializer for Min (TensorProto: data_type = 1, name, raw_data)
  if (needZero) parts.push(lenField(5, Buffer.concat([Buffer.from([0x10, 0x01]), strField(8, ZERO), lenField(9, Buffer.alloc(4))])));
  const graph = Buffer.concat(parts);
  // the model: every field before and after the graph as it was, the graph re-encoded
  let keyStart = graphRange[0];
  // walk back over the length varint and the key (0x3a = field 7, LEN)
  keyStart--;
  while (buf[keyStart - 1] >= 0x80) keyStart--;
  keyStart--;
  if (buf[keyStart] !== 0x3a) throw new Error('unexpected graph field encoding');
  return { buf: Buffer.concat([buf.subarray(0, keyStart), lenField(7, graph), buf.subarray(graphRange[1])]), replaced };
}

/** The main graph's nodes: { op, name, inputs, outputs, domain }. */
export function graphNodes(buf) {
  const nodes = [];
  fields(buf, 0, buf.length, (f, w, s, e) => {
    if (f !== 7 || w !== 2) return;
    fields(buf, s, e, (gf, gw, gs, ge) => {
      if (gf === 1 && gw === 2) nodes.push(nodeInfo(buf, gs, ge));
    });
  });
  return nodes;
}

/**
 * A one-node model `y = op(x, c)` on float32 [n] (c an initializer of n values), for tests;
 * with Mul and c = [1] it checks that a thread flushes denormals (1e-39 · 1 is 0 only with DAZ).
 */
export function tinyModel(op, c) {
  const n = c.length;
  const varintField = (field, v) => Buffer.concat([encodeVarint(field * 8), encodeVarint(v)]);
  const valueInfo = (name) =>
    Buffer.concat([
      strField(1, name),
      // TypeProto.tensor_type { elem_type FLOAT, shape { dim { dim_value n } } }
      lenField(2, lenField(1, Buffer.concat([varintField(1, FLOAT), lenField(2, lenField(1, varintField(1, n)))]))),
    ]);
  const data = Buffer.alloc(4 * n);
  c.forEach((v, i) => data.writeFloatLE(v, 4 * i));
  const init = Buffer.concat([varintField(1, n), varintField(2, FLOAT), strField(8, 'c'), lenField(9, data)]);
  const graph = Buffer.concat([
    lenField(1, encodeNode({ inputs: ['x', 'c'], outputs: ['y'], name: 'node', op })),
    strField(2, 'tiny'),
    lenField(5, init),
    lenField(11, valueInfo('x')),
    lenField(12, valueInfo('y')),
  ]);
  // ir_version 7, opset 13
  return Buffer.concat([varintField(1, 7), lenField(8, varintField(2, 13)), lenField(7, graph)]);
}

/**
 * Both preparations on a model file's bytes (the buffer is modified in place and may be
 * returned as is): { buf, denormalsFlushed, preluRewritten }.
 */
export function prepareModel(buf) {
  const { denormals: denormalsFlushed } = denormals(buf, { flush: true });
  const { buf: out, replaced: preluRewritten } = rewritePRelu(buf);
  return { buf: out, denormalsFlushed, preluRewritten };
}

export const tinyMulModel = (c) => tinyModel('Mul', c);
