// Matmul variants: a small code generator that appends a `main` to shaders/matmul.wgsl for a
// tile kind, TM x TN outputs per thread and a workgroup shape, plus the per-shape plan the
// Trainer follows (filled in by the autotuner, src/graph/autotune.ts).
//
//   tiled:  the workgroup stages a BK-deep slice of A (BM x BK) and B (BK x BN) in workgroup
//           memory as vec4s, then every thread reads its TM rows / TN columns from there. Suits
//           GPUs (shared memory is fast, global loads coalesce).
//   direct: no workgroup memory and no barriers; each thread streams its TM rows of A and TN
//           columns of B straight from the storage buffers (CPU caches do the staging). Suits
//           CPU implementations such as SwiftShader, where a barrier switches coroutines.
// Pure data and strings (no shader imports), so Node code (the CLI, the tune cache) can use it.
import type { DenseOp, Plan } from '../plan/plan.ts';

export const MATMUL_MODE = { forward: 0, dX: 1, dW: 2 } as const;
export type MatmulMode = (typeof MATMUL_MODE)[keyof typeof MATMUL_MODE];
export const MODE_NAMES = ['forward', 'dX', 'dW'] as const;

export interface MatmulVariant {
  /** e.g. `tiled-4x4-16x16`: kind, outputs per thread (TM x TN), workgroup (WG_M x WG_N). */
  id: string;
  kind: 'tiled' | 'direct';
  TM: number; // rows per thread; a multiple of 4 for tiled variants
  TN: number; // columns per thread; a multiple of 4 (vec4 accumulators)
  WG_M: number;
  WG_N: number;
  /** k-depth of the shared tiles (tiled only). */
  BK?: number;
}

function variant(kind: MatmulVariant['kind'], TM: number, TN: number, WG_M: number, WG_N: number, BK?: number): MatmulVariant {
  return { id: `${kind}-${TM}x${TN}-${WG_M}x${WG_N}${BK && BK !== 16 ? `-k${BK}` : ''}`, kind, TM, TN, WG_M, WG_N, ...(BK ? { BK } : {}) };
}

/** The default (no tuning): 64 x 64 shared tiles, 4 x 4 per thread. `KERNELS.matmul` is this one. */
export const DEFAULT_MATMUL = variant('tiled', 4, 4, 16, 16, 16);

/** The set the autotuner tries: workgroup shape, outputs per thread, staged (vec4 tiles) or direct loads. */
export const MATMUL_VARIANTS: readonly MatmulVariant[] = [
  DEFAULT_MATMUL,
  variant('tiled', 8, 8, 8, 8, 32),
  variant('direct', 4, 4, 16, 16),
  variant('direct', 8, 8, 8, 8),
  variant('direct', 8, 8, 4, 4),
  variant('direct', 8, 4, 16, 1), // tall and narrow: output layers (N = 1) and softmax (N = 10)
];

/** The adapter fields the first choice reads (a `GPUAdapterInfo` or the Gpu's AdapterSummary). */
export interface AdapterLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** A CPU implementation of WebGPU (the fallback adapter, SwiftShader): barriers are expensive there. */
export function isCpuAdapter(a: AdapterLike | undefined): boolean {
  return Boolean(a && (a.isFallbackAdapter || /swiftshader/i.test(`${a.vendor} ${a.architecture} ${a.description}`)));
}

/** The first choice per adapter, without timing: on a fallback/CPU adapter the barrier-free
 *  `direct-8x8-4x4` (what the autotune picks there for most shapes), on GPUs the tiled default. */
export function defaultMatmulFor(adapter: AdapterLike | undefined): MatmulVariant {
  return isCpuAdapter(adapter) ? findVariant('direct-8x8-4x4') : DEFAULT_MATMUL;
}

/** The untimed plan for an adapter and the shapes it will run: `defaultMatmulFor`, and on a CPU
 *  adapter the tall, narrow variant for outputs of at most 4 columns (the N = 1 output layers, where
 *  the autotune measures it about 5x faster). */
export function firstChoicePlan(adapter: AdapterLike | undefined, shapes: readonly MatmulShape[] = []): MatmulPlan {
  const v = defaultMatmulFor(adapter);
  if (!isCpuAdapter(adapter)) return { default: v.id };
  const narrow = shapes.filter((s) => s.N <= 4 && s.mode !== MATMUL_MODE.dX);
  return { default: v.id, ...(narrow.length ? { shapes: Object.fromEntries(narrow.map((s) => [shapeKey(s), 'direct-8x4-16x1'])) } : {}) };
}

export function findVariant(id: string): MatmulVariant {
  const v = MATMUL_VARIANTS.find((x) => x.id === id);
  if (!v) throw new RangeError(`unknown matmul variant "${id}"; valid: ${MATMUL_VARIANTS.map((x) => x.id).join(', ')}`);
  return v;
}

export function checkVariant(v: MatmulVariant): void {
  const bad = (why: string) => new RangeError(`matmul variant ${v.id}: ${why}`);
  if (v.TN % 4 || v.TN < 4) throw bad('TN must be a positive multiple of 4');
  if (v.TM < 1 || (v.kind === 'tiled' && v.TM % 4)) throw bad('TM must be positive (a multiple of 4 when tiled)');
  if (v.WG_M * v.WG_N > 256) throw bad('at most 256 threads per workgroup');
  if (v.kind === 'tiled' && 4 * (v.BK ?? 16) * (v.WG_M * v.TM + v.WG_N * v.TN) > 16384) throw bad('shared tiles exceed 16 KiB');
}

// ------------------------------------------------------------------------------------------
// Code generation

const list = (n: number, f: (i: number) => string, sep = '\n') => Array.from({ length: n }, (_, i) => f(i)).join(sep);
const XYZW = 'xyzw';

/** WGSL for `main` of a variant (appended to shaders/matmul.wgsl). */
export function matmulMain(v: MatmulVariant): string {
  checkVariant(v);
  const { TM, TN } = v;
  const TN4 = TN / 4;
  const acc = (i: number, j: number) => `acc${i}_${j}`;
  const decl = list(TM, (i) => `  ${list(TN4, (j) => `var ${acc(i, j)} = vec4f(0.0);`, ' ')}`);
  const fma = (a: (i: number) => string, indent: string) =>
    list(TM, (i) => list(TN4, (j) => `${indent}${acc(i, j)} = fma(vec4f(${a(i)}), b${j}, ${acc(i, j)});`));
  const stores = `
  let acc = array<vec4f, ${TM * TN4}>(${list(TM, (i) => list(TN4, (j) => acc(i, j), ', '), ', ')});
  for (var i = 0u; i < TM; i++) {
    let m = m_first + i;
    if (m >= M) { break; }
    for (var j = 0u; j < TN; j++) {
      let n = n_first + j;
      if (n >= N) { break; }
      store(m, n, N, acc[i * ${TN4}u + j / 4u][j % 4u]);
    }
  }`;
  const head = `
// ---- generated by src/graph/matmul.ts: variant ${v.id} ----
const TM: u32 = ${TM}u;
const TN: u32 = ${TN}u;
override BM: u32 = WG_M * TM;
override BN: u32 = WG_N * TN;
`;
  const entry = `@compute @workgroup_size(WG_N, WG_M)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  begin_replica(wid.z);
  let d = dims();
  let M = d.x;
  let N = d.y;
  let K = d.z;
  let m_first = wid.y * BM + lid.y * TM;
  let n_first = wid.x * BN + lid.x * TN;
${decl}`;

  if (v.kind === 'direct')
    return `${head}
${entry}
  for (var k = 0u; k < K; k++) {
${list(TN4, (j) => `    let b${j} = vec4f(${list(4, (c) => `load_b(k, n_first + ${4 * j + c}u, K, N)`, ', ')});`)}
${list(TM, (i) => `    let a${i} = load_a(m_first + ${i}u, k, M, K);`)}
${fma((i) => `a${i}`, '    ')}
  }${stores}
}
`;

  const TM4 = TM / 4;
  return `${head}
var<workgroup> As: array<vec4f, BK * BM / 4u>; // As[k * BM / 4 + m / 4]: rows m..m+3 at k
var<workgroup> Bs: array<vec4f, BK * BN / 4u>; // Bs[k * BN / 4 + n / 4]: columns n..n+3 at k

${entry}
  let tid = lid.y * WG_N + lid.x;
  let m0 = wid.y * BM;
  let n0 = wid.x * BN;
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var i = tid; i < BK * BM / 4u; i += WG_M * WG_N) {
      let m = m0 + 4u * (i % (BM / 4u));
      let k = k0 + i / (BM / 4u);
      let kc = min(k, K - 1u); // past K: A is zero, so B's clamped rows add nothing
      As[i] = select(vec4f(0.0), vec4f(${list(4, (c) => `load_a(m + ${c}u, kc, M, K)`, ', ')}), k < K);
    }
    for (var i = tid; i < BK * BN / 4u; i += WG_M * WG_N) {
      let n = n0 + 4u * (i % (BN / 4u));
      let k = min(k0 + i / (BN / 4u), K - 1u);
      Bs[i] = vec4f(${list(4, (c) => `load_b(k, n + ${c}u, K, N)`, ', ')});
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
${list(TM4, (i) => `      let a${i} = As[kk * (BM / 4u) + lid.y * ${TM4}u + ${i}u];`)}
${list(TN4, (j) => `      let b${j} = Bs[kk * (BN / 4u) + lid.x * ${TN4}u + ${j}u];`)}
${fma((i) => `a${Math.floor(i / 4)}.${XYZW[i % 4]}`, '      ')}
    }
    workgroupBarrier();
  }${stores}
}
`;
}

/** Pipeline override constants for a variant in a mode. */
export function matmulConstants(v: MatmulVariant, mode: MatmulMode): Record<string, number> {
  return { MODE: mode, WG_M: v.WG_M, WG_N: v.WG_N, ...(v.kind === 'tiled' ? { BK: v.BK ?? 16 } : {}) };
}

/** Workgroups for an output of M rows and N columns. */
export function matmulGrid(v: MatmulVariant, M: number, N: number): [number, number] {
  return [Math.ceil(N / (v.WG_N * v.TN)), Math.ceil(M / (v.WG_M * v.TM))];
}

// ------------------------------------------------------------------------------------------
// Shapes and plans

/** One matmul as the trainer dispatches it: output M x N, contraction K (see shaders/matmul.wgsl). */
export interface MatmulShape {
  mode: MatmulMode;
  M: number;
  N: number;
  K: number;
}

export const shapeKey = (s: MatmulShape) => `${MODE_NAMES[s.mode]} ${s.M}x${s.N}x${s.K}`;
export const shapeFlops = (s: MatmulShape) => 2 * s.M * s.N * s.K;

/** Which variant runs each shape; shapes not listed use `default`. */
export interface MatmulPlan {
  default: string;
  shapes?: Record<string, string>;
}

export function variantFor(plan: MatmulPlan | undefined, shape: MatmulShape): MatmulVariant {
  if (!plan) return DEFAULT_MATMUL;
  return findVariant(plan.shapes?.[shapeKey(shape)] ?? plan.default);
}

/** The matmuls of one Dense layer on a batch of `rows`: the one place their shapes are derived.
 *  dX is null for the first layer (no gradient flows into the data). */
export function denseShapes(op: DenseOp, rows: number): { forward: MatmulShape; dW: MatmulShape; dX: MatmulShape | null } {
  return {
    forward: { mode: MATMUL_MODE.forward, M: rows, N: op.out, K: op.in }, // X(rows, in) * W(in, out)
    dW: { mode: MATMUL_MODE.dW, M: op.in + 1, N: op.out, K: rows }, // [X | 1]^T(in + 1, rows) * dZ(rows, out)
    dX: op.input > 0 ? { mode: MATMUL_MODE.dX, M: rows, N: op.in, K: op.out } : null, // dZ(rows, out) * W^T(out, in)
  };
}

/** The distinct matmul shapes a Trainer dispatches for this plan and batch (train and validation). */
export function matmulShapes(plan: Plan, batchRows: number): MatmulShape[] {
  const out = new Map<string, MatmulShape>();
  for (const op of plan.ops) {
    if (op.kind !== 'dense') continue;
    const s = denseShapes(op, batchRows);
    for (const shape of [s.forward, s.dW, s.dX]) if (shape) out.set(shapeKey(shape), shape);
  }
  return [...out.values()];
}
