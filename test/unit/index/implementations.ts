// The index variants every test runs on. The tiny shortlists force the quantised index
// through its 1-bit stage as soon as a search covers more than a few dozen rows.
import { createVectorIndex, ExactIndex, QuantizedIndex, type VectorIndex } from '../../../src/index/index.ts';

export const implementations: ReadonlyArray<{ name: string; create: (dim: number) => VectorIndex }> = [
  { name: 'exact', create: (dim) => new ExactIndex(dim) },
  { name: 'quantized (shortlist 24)', create: (dim) => new QuantizedIndex(dim, { shortlist: 24, shortlistPerK: 2 }) },
  { name: 'quantized (defaults)', create: (dim) => new QuantizedIndex(dim) },
  { name: 'auto (moves to quantized past 150 items)', create: (dim) => createVectorIndex({ dim, exactLimit: 150, quantized: { shortlist: 24, shortlistPerK: 2 } }) },
];
