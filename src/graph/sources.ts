// The WGSL text of each kernel family (shaders/*.wgsl through Vite's `?raw`), as the pipeline
// cache compiles it. Matmul variants append their generated `main` (src/graph/matmul.ts).
import adam from '../../shaders/adam.wgsl?raw';
import batchnorm from '../../shaders/batchnorm.wgsl?raw';
import gather from '../../shaders/gather.wgsl?raw';
import loss from '../../shaders/loss.wgsl?raw';
import matmul from '../../shaders/matmul.wgsl?raw';
import norms from '../../shaders/norms.wgsl?raw';
import wstats from '../../shaders/wstats.wgsl?raw';
import type { KernelSource } from '../gpu/pipelines.ts';
import type { KernelDef, KernelName } from './kernels.ts';
import type { MatmulVariant } from './matmul.ts';
import { DEFAULT_MATMUL, matmulMain } from './matmul.ts';

const WGSL: Record<KernelName, string> = { gather, matmul, loss, adam, norms, wstats, batchnorm };

const sources = new Map<string, KernelSource>();

/** The source of a kernel (and, for matmul, of a variant: the default when none is given). */
export function kernelSource(k: KernelDef, variant?: MatmulVariant): KernelSource {
  const v = k.name === 'matmul' ? (variant ?? DEFAULT_MATMUL) : undefined;
  const name = v ? `matmul.${v.id}` : k.name;
  let s = sources.get(name);
  if (!s) {
    s = {
      name,
      file: k.name,
      code: v ? `${WGSL.matmul}${matmulMain(v)}` : WGSL[k.name],
      bindings: ['step', 'uniform', ...k.bindings.map((b) => b.access)],
    };
    sources.set(name, s);
  }
  return s;
}
