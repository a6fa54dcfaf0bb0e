export declare function floatTensors(buf: Buffer): { name: string; ranges: [number, number][] }[];
export declare function denormals(
  buf: Buffer,
  opts?: { flush?: boolean },
): { values: number; denormals: number; tensors: { name: string; values: number; denormals: number }[] };
export declare function rewritePRelu(buf: Buffer): { buf: Buffer; replaced: number };
export declare function graphNodes(buf: Buffer): { op: string; name: string; inputs: string[]; outputs: string[]; domain: string }[];
export declare function tinyModel(op: string, c: number[]): Buffer;
export declare function tinyMulModel(c: number[]): Buffer;
export declare function prepareModel(buf: Buffer): { buf: Buffer; denormalsFlushed: number; preluRewritten: number };
