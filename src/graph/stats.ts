// The trainer's hardware-independent counters, in a module free of WebGPU types (the UI's
// published declarations use it).

export interface RunStats {
  dispatchesPerStep: number;
  dispatchesPerValidation: number;
  submitsPerEpoch: number;
  readbacksPerEpoch: number;
  buffersCreatedAfterFirstStep: number;
  pipelinesCreatedAfterFirstStep: number;
  gpuBytes: number;
  /** Matmul variant per shape (`forward 500x256x100` -> `direct-8x8-4x4`). */
  matmul: Record<string, string>;
}
