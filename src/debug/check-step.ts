// The debug switch's step check: one training step and one validation batch run dispatch by
// dispatch on the GPU. Before each dispatch every buffer it binds is read back; its CPU twin
// (src/reference/ops.ts) runs on those same inputs, and each buffer it writes is compared. A
// wrong kernel, binding or Cfg is then named by its dispatch instead of showing as a bad curve.
// It runs on a Trainer of its own (the step changes the weights), made and disposed here.
import type { Dataset, RowFormat } from '../data/dataset.ts';
import { feature } from '../data/dataset.ts';
import type { Gpu } from '../gpu/device.ts';
import type { CfgOf, KernelName, StepFields } from '../graph/kernels.ts';
import { KERNELS, NO_ACTIVE } from '../graph/kernels.ts';
import type { DispatchSpec, Phase } from '../graph/lower.ts';
import { encodeOne } from '../graph/profiler.ts';
import type { TrainerOptions } from '../graph/trainer.ts';
import { Trainer } from '../graph/trainer.ts';
import type { ModelSpec } from '../model/spec.ts';
import type { Epilogue } from '../plan/plan.ts';
import * as ref from '../reference/ops.ts';

export interface DispatchCheck {
  phase: Phase;
  label: string;
  kernel: KernelName;
  /** A buffer the dispatch writes. */
  buffer: string;
  /** max |gpu - cpu| / (atol + rtol * |cpu|): <= 1 passes. */
  worst: number;
  /** Where the worst element is, and its two values. */
  at: number;
  gpu: number;
  cpu: number;
}

export const CHECK_TOLERANCE = { atol: 1e-5, rtol: 1e-4 };

type Buffers = Map<string, ArrayBuffer>;

/** Checks every dispatch of the first training step and of the first validation batch. */
export async function checkStep(gpu: Gpu, spec: ModelSpec, data: Dataset, options: TrainerOptions = {}, tol = CHECK_TOLERANCE): Promise<DispatchCheck[]> {
  // One replica (the first, if the options list several): the CPU twins below run replica 0.
  const trainer = await Trainer.create(gpu, spec, data, { ...options, ...(options.replicas ? { replicas: options.replicas.slice(0, 1) } : {}) });
  try {
    trainer.writeTrainSteps(new Uint32Array(data.train.count).map((_, i) => i));
    const out: DispatchCheck[] = [];
    for (const [phase, slot] of [
      ['train', 0],
      ['validate', trainer.lowered.trainBatches],
    ] as const)
      for (const d of trainer.dispatches[phase]) {
        const names = [...new Set(d.spec.buffers)];
        const before: Buffers = new Map(await Promise.all(names.map(async (n) => [n, (await trainer.readBuffer(n)).buffer as ArrayBuffer] as const)));
        const step = trainer.step(slot);
        const cpu: Buffers = new Map([...before].map(([n, b]) => [n, b.slice(0)]));
        runOnCpu(d.spec, cpu, step, data.format);

        const enc = gpu.device.createCommandEncoder({ label: `check ${d.label}` });
        const pass = enc.beginComputePass();
        encodeOne(pass, d, slot);
        pass.end();
        gpu.device.queue.submit([enc.finish()]);
        const k = KERNELS[d.spec.kernel];
        const written = new Set(d.spec.buffers.filter((_, i) => k.bindings[i].access === 'rw'));
        for (const name of written) {
          const got = await trainer.readBuffer(name);
          out.push({ phase, label: d.label, kernel: d.spec.kernel, buffer: name, ...compare(got, new Float32Array(cpu.get(name)!), tol) });
        }
      }
    return out;
  } finally {
    trainer.dispose();
  }
}

function compare(gpu: Float32Array, cpu: Float32Array, tol: typeof CHECK_TOLERANCE) {
  let worst = 0;
  let at = 0;
  for (let i = 0; i < cpu.length; i++) {
    const bad = Number.isNaN(gpu[i]) !== Number.isNaN(cpu[i]);
    const r = bad ? Infinity : Number.isNaN(cpu[i]) ? 0 : Math.abs(gpu[i] - cpu[i]) / (tol.atol + tol.rtol * Math.abs(cpu[i]));
    if (r > worst) [worst, at] = [r, i];
  }
  return { worst, at, gpu: gpu[at], cpu: cpu[at] };
}

const FORMATS: RowFormat[] = ['f32', 'bits', 'u8'];

/** The CPU twin of one lowered dispatch, on named buffers (updated in place). */
export function runOnCpu(d: DispatchSpec, bufs: Buffers, step: StepFields, format: RowFormat): void {
  const f = (i: number) => new Float32Array(bufs.get(d.buffers[i])!);
  const u = (i: number) => new Uint32Array(bufs.get(d.buffers[i])!);
  // Replica 0 (the check runs one): its dropout override, as replica_epi in shaders/common.wgsl.
  const s: ref.StepInfo = { t: step.t, seed: step.seed, training: step.training === 1, lrT: 0 };
  const epi = (e: CfgOf<'matmul'>['epi'], replicas: number) => {
    const [, override, dropThreshold] = u(replicas);
    const o = override && e.dropThreshold > 0 ? { dropThreshold, dropScale: f(replicas)[3] } : {};
    return { ...e, ...o, dropRate: 0 } as Epilogue;
  };
  const rows = step.rows;
  const mode = d.constants.MODE;
  switch (d.kernel) {
    case 'gather': {
      const c = d.cfg as CfgOf<'gather'>;
      const split = { x: u(0), y: new Uint32Array(0), count: 0 };
      const shape = { format: FORMATS[c.format] ?? format, features: c.features };
      f(2).set(ref.gather((r, j) => feature(shape, split, r, j), u(1), step.rowStart, rows, c.features));
      return;
    }
    case 'matmul': {
      const c = d.cfg as CfgOf<'matmul'>;
      const A = f(0).subarray(c.aOff);
      if (mode === 0) {
        const y = ref.denseForward(A, f(1), c.bOff, c.biasOff, rows, c.K, c.N, epi(c.epi, 4), s);
        f(2).set(y, c.cOff);
        if (c.activeOff !== NO_ACTIVE && !s.training) ref.markActive(y, rows, c.N, f(5).subarray(c.activeOff));
      } else if (mode === 1) f(2).set(ref.denseBackwardInput(A, f(1), c.bOff, f(3).subarray(c.auxOff), rows, c.K, c.N, epi(c.epi, 4), s), c.cOff);
      else f(2).set(ref.denseBackwardWeights(A, f(1).subarray(c.bOff), rows, c.M - 1, c.N), c.cOff);
      return;
    }
    case 'loss': {
      const c = d.cfg as CfgOf<'loss'>;
      const labels = u(1);
      const order = u(2);
      const r = ref.lossFromLogits(
        f(0),
        Array.from({ length: rows }, (_, i) => labels[order[step.rowStart + i]]),
        rows,
        c.classes,
      );
      if (s.training) f(3).set(r.dz);
      f(4).set([r.ce, r.correct, rows], c.metricsOff + step.slot * 4);
      return;
    }
    case 'adam': {
      const c = d.cfg as CfgOf<'adam'>;
      const table = tensors(u(1), f(1), c.tensors);
      const n = c.total;
      ref.adam(f(2).subarray(0, n), f(0).subarray(0, n), f(3).subarray(0, n), f(4).subarray(0, n), f(5)[step.slot * c.replicas], table);
      return;
    }
    case 'norms': {
      const c = d.cfg as CfgOf<'norms'>;
      tensors(u(1), f(1), c.tensors).forEach((t, i) => f(2).set(ref.norms(f(0), t.offset, t.size), c.metricsOff + (step.slot * c.tensors + i) * 2));
      return;
    }
    case 'batchnorm': {
      const c = d.cfg as CfgOf<'batchnorm'>;
      const W = c.width;
      const P = f(1);
      const gamma = P.subarray(c.gammaOff, c.gammaOff + W);
      const stats = f(4);
      if (mode === 0) {
        const moving = f(3).subarray(c.stateOff, c.stateOff + 2 * W); // updated in place in training
        const r = ref.batchNormForward(f(0), rows, W, gamma, P.subarray(c.gammaOff + W, c.gammaOff + 2 * W), moving, 1 - c.decay, c.epsilon, epi(c.epi, 6), s);
        f(2).set(r.y);
        if (c.activeOff !== NO_ACTIVE && !s.training) ref.markActive(r.y, rows, W, f(7).subarray(c.activeOff));
        if (s.training) {
          stats.set(r.stats.mean, c.stateOff);
          stats.set(r.stats.invStd, c.stateOff + W);
        }
      } else {
        const st = { mean: stats.subarray(c.stateOff, c.stateOff + W), invStd: stats.subarray(c.stateOff + W, c.stateOff + 2 * W) };
        const r = ref.batchNormBackward(f(5), f(0), rows, W, gamma, st, epi(c.epi, 6), s);
        f(3).set(r.dgamma, c.gammaOff);
        f(3).set(r.dbeta, c.gammaOff + W);
        if (c.writeDx) f(2).set(r.dx);
      }
      return;
    }
  }
}

/** A `Tensor` table (shaders/common.wgsl): u32 offset and size, f32 l1 and l2. */
function tensors(u: Uint32Array, f: Float32Array, n: number): ref.PenaltyTensor[] {
  return Array.from({ length: n }, (_, i) => ({ offset: u[4 * i], size: u[4 * i + 1], l1: f[4 * i + 2], l2: f[4 * i + 3] }));
}

/** The check as a table: one line per written buffer, the worst first marked when over 1. */
export function formatChecks(checks: DispatchCheck[]): string {
  const lines = checks.map(
    (c) =>
      `${c.worst <= 1 ? '  ok ' : 'FAIL '} ${c.phase.padEnd(8)} ${c.label.padEnd(22)} -> ${c.buffer.padEnd(16)} worst ${c.worst.toExponential(2)} of tolerance (gpu ${c.gpu}, cpu ${c.cpu} at ${c.at})`,
  );
  const failed = checks.filter((c) => !(c.worst <= 1)).length;
  return `${lines.join('\n')}\n${failed ? `${failed} of ${checks.length} buffers differ from the CPU reference` : `all ${checks.length} written buffers match the CPU reference`} (atol ${CHECK_TOLERANCE.atol}, rtol ${CHECK_TOLERANCE.rtol})`;
}
