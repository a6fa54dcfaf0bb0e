import type { AnalyzeOptions, AnalyzeResult } from '../engine/index.ts';

/** What the library needs from the engine: faces, embeddings and crops from image bytes. */
export interface FaceEngine {
  analyze(bytes: Uint8Array, options: AnalyzeOptions): Promise<AnalyzeResult>;
  /** Names the network behind the embeddings, stored with every face. */
  readonly embeddingModel: string;
}

/** An image as the protocols carry it: base64 bytes or a URL (the URL wins when both are set). */
export interface ImageInput {
  image?: string;
  url?: string;
  /** also search the photo turned by quarter turns, for photos shot sideways or upside down without EXIF */
  tryRotations?: boolean;
}

export type ImageLoader = (input: ImageInput) => Promise<Uint8Array>;
