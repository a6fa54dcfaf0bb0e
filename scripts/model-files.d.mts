export declare const repoRoot: string;
export declare const manifestPath: string;
export interface ModelManifest {
  package: string;
  license: string;
  files: Record<string, ModelSpec>;
}
export interface ModelSpec {
  /** the file in the package's tarball, pinned as published */
  path: string;
  size: number;
  sha256: string;
  /** the file as installed, after scripts/onnx-prepare.mjs */
  prepared?: { size: number; sha256: string; denormalsFlushed: number; preluRewritten: number };
}
export declare function modelsDir(): string;
export declare function readManifest(): Promise<ModelManifest>;
export declare function sha256File(file: string): Promise<string>;
export declare function displayPath(file: string): string;
export declare function installedSpec(spec: ModelSpec): { size: number; sha256: string };
export declare function checkModels(dir?: string, manifest?: ModelManifest): Promise<string[]>;
