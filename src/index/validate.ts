// Argument checks shared by the implementations, so both reject the same inputs.

const MAX_ID = 0x7fffffff;

export function checkId(kind: string, id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_ID) {
    throw new RangeError(`${kind} id must be an integer in [0, 2^31): ${id}`);
  }
}

export function checkVector(dim: number, vector: Float32Array): void {
  if (vector.length !== dim) throw new RangeError(`vector has ${vector.length} dimensions, index has ${dim}`);
  let probe = 0; // x * 0 is NaN exactly when x is NaN or infinite; no branch per component
  for (let i = 0; i < vector.length; i++) probe += vector[i]! * 0;
  if (probe !== 0) throw new RangeError('vector has a non-finite component');
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer: ${k}`);
}

/** Distinct group ids in first-seen order, each checked. */
export function distinctGroups(groupIds: readonly number[]): number[] {
  const out: number[] = [];
  for (const g of groupIds) {
    checkId('group', g);
    if (!out.includes(g)) out.push(g);
  }
  return out;
}
