// The vector index's public surface for the library.
export { FREE_SLOT, type IndexImage, type RowEncoding } from './image.ts';
export type { IndexItem, SearchHit, SearchOptions, VectorIndex } from './types.ts';
export { createVectorIndex, DEFAULT_EXACT_LIMIT, type IndexConfig, type IndexKind } from './factory.ts';
export { ExactIndex } from './exact.ts';
export { QuantizedIndex, type QuantizedOptions } from './quantized.ts';
