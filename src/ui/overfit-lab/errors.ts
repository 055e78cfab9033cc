// What kind of failure an error is: overfit-error's `kind`, and which message the element shows.
import { DataFileError } from '../../data/format.ts';
import type { GpuUnavailableReason } from '../../gpu/device.ts';
import { GpuDeviceLostError, WebGPUUnavailableError } from '../../gpu/device.ts';
import { TrainingDivergedError } from '../../graph/trainer.ts';
import type { ErrorKind } from './types.ts';

/** A failure of the whole run or its setup (a model's own failure stays on its ModelState). */
export interface RunProblem {
  kind: ErrorKind;
  message: string;
  reason?: GpuUnavailableReason;
}

/** `config` is never an error class: the controller names it when the settings do not parse. */
export function errorKind(e: unknown): ErrorKind {
  if (e instanceof WebGPUUnavailableError) return 'no-webgpu';
  if (e instanceof GpuDeviceLostError) return 'device-lost';
  if (e instanceof TrainingDivergedError) return 'diverged';
  if (e instanceof DataFileError) return 'data';
  return 'other';
}
