// One matmul, three modes (override MODE), each with its fused epilogue:
//   0 forward: Y(rows, N) = epilogue(X(rows, K) * W(K, N) + b)
//   1 dX:      D(rows, N) = (dZ(rows, K) * W(N, K)^T) through the producer's epilogue_grad(Yprev)
//   2 dW, db:  G(M, N)    = [X | 1](rows, M)^T * dZ(rows, N), M = IN + 1: the last row is db,
//              so a Dense layer's packed (W, b) gradient comes from one dispatch.
// rows comes from the step uniform; the workgroup's z is the replica, whose operands sit at
// replica * (the operand's stride) past their offsets. This file holds the bindings and the helpers; `main` is
// generated per variant (tile kind, outputs per thread TM x TN, workgroup WG_M x WG_N) by
// src/graph/matmul.ts and appended below: the per-thread accumulators are unrolled into separate
// vec4 variables, which compilers keep in registers (a dynamically indexed array spills, 3.5x
// slower on SwiftShader).

struct Cfg {
  M: u32, N: u32, K: u32, a_off: u32,   // M is used in mode 2, K in modes 0 and 1
  b_off: u32, c_off: u32, bias_off: u32, aux_off: u32,
  epi: Epi,                              // mode 0: this layer's; mode 1: the producer's
  a_rstride: u32, b_rstride: u32, c_rstride: u32, aux_rstride: u32, // per replica (B's also for the bias)
  active_off: u32,                       // mode 0 of a ReLU layer: its flags in ACTIVE, else NO_ACTIVE
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<uniform> cfg: Cfg;
@group(0) @binding(2) var<storage, read> A: array<f32>;
@group(0) @binding(3) var<storage, read> B: array<f32>;       // mode 0 also reads the bias here
@group(0) @binding(4) var<storage, read_write> C: array<f32>;
@group(0) @binding(5) var<storage, read> AUX: array<f32>;     // mode 1: the producer's output
@group(0) @binding(6) var<storage, read> REPLICAS: array<Replica>;
@group(0) @binding(7) var<storage, read_write> ACTIVE: array<atomic<u32>>; // see common.wgsl

override MODE: u32 = 0u;
override WG_M: u32 = 16u;
override WG_N: u32 = 16u;
override BK: u32 = 16u;    // k-depth of a shared tile (tiled variants)

// This invocation's replica: its operands' offsets, epilogue and step (set by begin_replica).
var<private> a_base: u32;
var<private> b_base: u32;
var<private> c_base: u32;
var<private> aux_base: u32;
var<private> r_epi: Epi;
var<private> r_step: Step;
var<private> r_index: u32;

fn begin_replica(r: u32) {
  a_base = cfg.a_off + r * cfg.a_rstride;
  b_base = cfg.b_off + r * cfg.b_rstride;
  c_base = cfg.c_off + r * cfg.c_rstride;
  aux_base = cfg.aux_off + r * cfg.aux_rstride;
  r_epi = replica_epi(cfg.epi, REPLICAS[r]);
  r_step = replica_step(step, REPLICAS[r]);
  r_index = r;
}

// The output's extent (M rows, N columns) and the contraction length K for this dispatch.
fn dims() -> vec3u {
  return vec3u(select(step.rows, cfg.M, MODE == 2u), cfg.N, select(cfg.K, step.rows, MODE == 2u));
}

// A(m, k) for m < M + tile slack and k < K. Branch-free: rows past the edge read row M - 1 (their
// outputs are never stored), which is 2.5x faster on SwiftShader than a zero-filling branch.
fn load_a(m: u32, k: u32, M: u32, K: u32) -> f32 {
  let mc = min(m, M - 1u);
  if (MODE == 2u) {
    return select(A[a_base + k * (M - 1u) + min(mc, M - 2u)], 1.0, mc == M - 1u);
  }
  return A[a_base + mc * K + k];
}

// B(k, n) for k < K; columns past N read column N - 1.
fn load_b(k: u32, n: u32, K: u32, N: u32) -> f32 {
  let nc = min(n, N - 1u);
  if (MODE == 1u) { return B[b_base + nc * K + k]; }
  return B[b_base + k * N + nc];
}

// Writes output (m, n) through the mode's epilogue.
fn store(m: u32, n: u32, N: u32, acc: f32) {
  let unit = m * N + n;
  var v = acc;
  if (MODE == 0u) {
    v = epilogue(v + B[cfg.bias_off + (b_base - cfg.b_off) + n], r_epi, r_step, unit);
    if (cfg.active_off != NO_ACTIVE && step.training == 0u && v > 0.0) {
      atomicStore(&ACTIVE[cfg.active_off + r_index * N + n], ACTIVE_FLAG);
    }
  } else if (MODE == 1u) {
    v = epilogue_grad(v, AUX[aux_base + unit], r_epi, r_step, unit);
  }
  C[c_base + unit] = v;
}
