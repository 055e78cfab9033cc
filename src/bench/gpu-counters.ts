// Counts WebGPU calls made by anything in the page (our Trainer, TensorFlow.js) by wrapping the
// prototypes once. Deltas of `snapshot()` around a region give hardware-independent figures:
// dispatches, submits, readbacks (mapAsync), buffers created and alive.

export interface GpuCounts {
  dispatches: number;
  computePasses: number;
  submits: number;
  commandBuffers: number;
  writeBuffers: number;
  /** mapAsync calls: each is a GPU -> CPU round trip. */
  readbacks: number;
  buffersCreated: number;
  buffersDestroyed: number;
  /** Created and neither destroyed nor garbage-collected. */
  liveBuffers: number;
  liveBytes: number;
  /** The most bytes alive at once since the last resetPeak(). */
  peakBytes: number;
  bindGroups: number;
  pipelines: number;
  shaderModules: number;
}

const zero = (): GpuCounts => ({
  dispatches: 0,
  computePasses: 0,
  submits: 0,
  commandBuffers: 0,
  writeBuffers: 0,
  readbacks: 0,
  buffersCreated: 0,
  buffersDestroyed: 0,
  liveBuffers: 0,
  liveBytes: 0,
  peakBytes: 0,
  bindGroups: 0,
  pipelines: 0,
  shaderModules: 0,
});

let counts: GpuCounts | null = null;

export function diff(after: GpuCounts, before: GpuCounts): GpuCounts {
  const d = zero();
  for (const k of Object.keys(d) as (keyof GpuCounts)[]) d[k] = after[k] - before[k];
  return d;
}

/** Installs the wrappers (once) and returns a function that snapshots the running totals. */
export function installGpuCounters(): () => GpuCounts {
  if (!counts) {
    const c = (counts = zero());
    const alive = new WeakMap<GPUBuffer, number>();
    const gone = new FinalizationRegistry<number>((size) => {
      c.liveBuffers--;
      c.liveBytes -= size;
    });
    const wrap = <T extends object>(
      proto: T,
      name: keyof T & string,
      before: (self: T, args: unknown[]) => void,
      after?: (self: T, result: unknown, args: unknown[]) => void,
    ) => {
      const original = proto[name] as unknown as (...a: unknown[]) => unknown;
      if (typeof original !== 'function') return;
      Object.defineProperty(proto, name, {
        configurable: true,
        writable: true,
        value: function (this: T, ...args: unknown[]) {
          before(this, args);
          const result = original.apply(this, args);
          after?.(this, result, args);
          return result;
        },
      });
    };
    wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroups', () => c.dispatches++);
    wrap(GPUComputePassEncoder.prototype, 'dispatchWorkgroupsIndirect', () => c.dispatches++);
    wrap(GPUCommandEncoder.prototype, 'beginComputePass', () => c.computePasses++);
    wrap(GPUQueue.prototype, 'submit', (_, [bufs]) => {
      c.submits++;
      c.commandBuffers += (bufs as unknown[]).length;
    });
    wrap(GPUQueue.prototype, 'writeBuffer', () => c.writeBuffers++);
    wrap(GPUBuffer.prototype, 'mapAsync', () => c.readbacks++);
    wrap(GPUBuffer.prototype, 'destroy', (self) => {
      const size = alive.get(self);
      if (size === undefined) return;
      alive.delete(self);
      gone.unregister(self);
      c.buffersDestroyed++;
      c.liveBuffers--;
      c.liveBytes -= size;
    });
    wrap(
      GPUDevice.prototype,
      'createBuffer',
      () => {},
      (_, buffer) => {
        const b = buffer as GPUBuffer;
        c.buffersCreated++;
        c.liveBuffers++;
        c.liveBytes += b.size;
        c.peakBytes = Math.max(c.peakBytes, c.liveBytes);
        alive.set(b, b.size);
        gone.register(b, b.size, b);
      },
    );
    wrap(GPUDevice.prototype, 'createBindGroup', () => c.bindGroups++);
    wrap(GPUDevice.prototype, 'createComputePipeline', () => c.pipelines++);
    wrap(GPUDevice.prototype, 'createComputePipelineAsync', () => c.pipelines++);
    wrap(GPUDevice.prototype, 'createRenderPipeline', () => c.pipelines++);
    wrap(GPUDevice.prototype, 'createShaderModule', () => c.shaderModules++);
  }
  return () => ({ ...counts! });
}

/** Starts a new peak-memory window at the bytes alive now. */
export function resetPeak(): void {
  if (counts) counts.peakBytes = counts.liveBytes;
}
