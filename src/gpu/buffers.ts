// Every GPU buffer of a run is made here, so the run can prove none is made after its first step.

export const STEP_SLOT_BYTES = 256; // minUniformBufferOffsetAlignment

export class BufferArena {
  created = 0;
  private readonly owned: GPUBuffer[] = [];

  constructor(readonly device: GPUDevice) {}

  create(label: string, size: number, usage: GPUBufferUsageFlags, data?: ArrayBufferView): GPUBuffer {
    const buffer = this.device.createBuffer({
      label,
      size: Math.max(16, Math.ceil(size / 4) * 4),
      usage: usage | GPUBufferUsage.COPY_DST,
      mappedAtCreation: Boolean(data),
    });
    if (data) {
      new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      buffer.unmap();
    }
    this.created++;
    this.owned.push(buffer);
    return buffer;
  }

  storage(label: string, size: number, data?: ArrayBufferView): GPUBuffer {
    return this.create(label, size, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC, data);
  }

  uniform(label: string, data: ArrayBufferView): GPUBuffer {
    return this.create(label, data.byteLength, GPUBufferUsage.UNIFORM, data);
  }

  get bytes(): number {
    return this.owned.reduce((s, b) => s + b.size, 0);
  }

  destroy(): void {
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}
