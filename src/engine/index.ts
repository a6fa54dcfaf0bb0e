/** The engine's public surface for the protocol layer. */
export { createEngine, type Engine, type EngineOptions, type EngineSettings, summarizeEngineSettings } from './engine.ts';
export type { PoolStatus as EngineStatus } from './pool.ts';
export { loadImageInput, decodeBase64Image, MAX_BASE64_LENGTH, type ImageInput } from './image-input.ts';
export { fetchImage, type FetchOptions } from './fetch-url.ts';
export { compareScore, cosine, cosineForScore, cosineAtFar } from './calibration.ts';
export { denseFaceShape, type DenseFaceShape, faceShape, type FaceShape, type XY } from './face-shape.ts';
export * from './types.ts';
