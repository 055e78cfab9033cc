// Kernels as plain data, and a cache that compiles each (kernel, constants) pipeline once,
// reporting WGSL errors with the kernel's name and its own line numbers.
import common from '../../shaders/common.wgsl?raw';

/** How a kernel sees each binding, in binding order. `step` is the per-batch uniform (dynamic offset). */
export type BindingKind = 'step' | 'uniform' | 'read' | 'rw';

export interface KernelSource {
  name: string;
  /** The shaders/*.wgsl file the code comes from, when it is not `name` (generated variants). */
  file?: string;
  code: string;
  bindings: readonly BindingKind[];
}

export class ShaderCompileError extends Error {
  override name = 'ShaderCompileError';
}

const COMMON_LINES = common.split('\n').length;

export class PipelineCache {
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  created = 0;

  /** `onCompile` sees each pipeline's full WGSL (common.wgsl + the kernel) and its constants. */
  constructor(
    private readonly device: GPUDevice,
    private readonly onCompile?: (label: string, code: string) => void,
  ) {}

  layout(kernel: KernelSource): GPUBindGroupLayout {
    let layout = this.layouts.get(kernel.name);
    if (!layout) {
      layout = this.device.createBindGroupLayout({
        label: kernel.name,
        entries: kernel.bindings.map((kind, binding) => ({
          binding,
          visibility: GPUShaderStage.COMPUTE,
          buffer:
            kind === 'step'
              ? { type: 'uniform', hasDynamicOffset: true }
              : kind === 'uniform'
                ? { type: 'uniform' }
                : { type: kind === 'read' ? 'read-only-storage' : 'storage' },
        })),
      });
      this.layouts.set(kernel.name, layout);
    }
    return layout;
  }

  /** In-flight compiles of the same key are shared. */
  get(kernel: KernelSource, constants: Record<string, number> = {}): Promise<GPUComputePipeline> {
    const key = `${kernel.name}|${JSON.stringify(constants)}`;
    let p = this.pipelines.get(key);
    if (!p) {
      p = this.compile(kernel, constants, key);
      this.pipelines.set(key, p);
    }
    return p;
  }

  private async compile(kernel: KernelSource, constants: Record<string, number>, label: string) {
    const code = `${common}\n${kernel.code}`;
    this.onCompile?.(label, code);
    const module = this.device.createShaderModule({ label: kernel.name, code });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length) {
      const where = (line: number) =>
        line > COMMON_LINES ? `shaders/${kernel.file ?? kernel.name}.wgsl:${line - COMMON_LINES}` : `shaders/common.wgsl:${line}`;
      throw new ShaderCompileError(
        `WGSL compile error in kernel "${kernel.name}":\n${errors.map((m) => `  ${where(m.lineNum)}:${m.linePos}: ${m.message}`).join('\n')}`,
      );
    }
    this.created++;
    return this.device.createComputePipelineAsync({
      label,
      layout: this.device.createPipelineLayout({ label, bindGroupLayouts: [this.layout(kernel)] }),
      compute: { module, entryPoint: 'main', constants },
    });
  }
}
