// Getting a WebGPU device, with errors that say what to do when there is none.

export type GpuUnavailableReason = 'no-navigator-gpu' | 'no-adapter' | 'device-request-failed';

/** WebGPU cannot be used here; `message` tells the user how to get it. */
export class WebGPUUnavailableError extends Error {
  override name = 'WebGPUUnavailableError';
  constructor(
    readonly reason: GpuUnavailableReason,
    detail = '',
  ) {
    super(
      {
        'no-navigator-gpu':
          'This browser has no WebGPU (navigator.gpu is missing). Use Chrome or Edge 113 or newer (desktop), ' +
          'or a current Safari/Firefox with WebGPU enabled; pages must be served over https or from localhost.',
        'no-adapter':
          'WebGPU is present but no GPU adapter was granted. Update the browser and GPU driver, check that ' +
          'hardware acceleration is on (chrome://settings/system) and WebGPU is not blocked (chrome://gpu); ' +
          'on Linux start Chrome with --enable-unsafe-webgpu (and --enable-features=Vulkan).',
        'device-request-failed': 'The GPU adapter refused to create a device.',
      }[reason] + (detail ? ` (${detail})` : ''),
    );
  }
}

/** The device was lost mid-run (driver reset, GPU process crash, tab in background too long). */
export class GpuDeviceLostError extends Error {
  override name = 'GpuDeviceLostError';
  constructor(detail: string) {
    super(`The GPU device was lost (${detail}). Finished epochs are kept; reload the page or restart the run.`);
  }
}

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
}

export interface Gpu {
  device: GPUDevice;
  adapter: AdapterSummary;
  hasTimestamps: boolean;
  /** Set when the device is lost; runs check it between epochs. */
  lost: GPUDeviceLostInfo | null;
}

export async function acquireGpu(options: { powerPreference?: GPUPowerPreference } = {}): Promise<Gpu> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) throw new WebGPUUnavailableError('no-navigator-gpu');
  const adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  if (!adapter) throw new WebGPUUnavailableError('no-adapter');
  const hasTimestamps = adapter.features.has('timestamp-query');
  const limits = adapter.limits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      label: 'overfit-lab',
      requiredFeatures: hasTimestamps ? ['timestamp-query'] : [],
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxStorageBuffersPerShaderStage: Math.min(limits.maxStorageBuffersPerShaderStage, 10),
      },
    });
  } catch (e) {
    throw new WebGPUUnavailableError('device-request-failed', String(e));
  }
  const info = adapter.info;
  const result: Gpu = {
    device,
    adapter: {
      vendor: info?.vendor ?? '',
      architecture: info?.architecture ?? '',
      description: info?.description ?? '',
      isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter),
    },
    hasTimestamps,
    lost: null,
  };
  void device.lost.then((info) => {
    result.lost = info;
  });
  return result;
}
