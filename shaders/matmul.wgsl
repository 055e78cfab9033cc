// One tiled matmul, three modes (override MODE), each with its fused epilogue:
//   0 forward: Y(rows, N) = epilogue(X(rows, K) * W(K, N) + b)
//   1 dX:      D(rows, N) = (dZ(rows, K) * W(N, K)^T) through the producer's epilogue_grad(Yprev)
//   2 dW, db:  G(M, N)    = [X | 1](rows, M)^T * dZ(rows, N), M = IN + 1: the last row is db,
//              so a Dense layer's packed (W, b) gradient comes from one dispatch.
// rows comes from the step uniform; a workgroup computes a BM x BN tile, TM x TN = 4 x 4 per thread.

struct Cfg {
  M: u32, N: u32, K: u32, a_off: u32,   // M is used in mode 2, K in modes 0 and 1
  b_off: u32, c_off: u32, bias_off: u32, aux_off: u32,
  epi: Epi,                              // mode 0: this layer's; mode 1: the producer's
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<uniform> cfg: Cfg;
@group(0) @binding(2) var<storage, read> A: array<f32>;
@group(0) @binding(3) var<storage, read> B: array<f32>;       // mode 0 also reads the bias here
@group(0) @binding(4) var<storage, read_write> C: array<f32>;
@group(0) @binding(5) var<storage, read> AUX: array<f32>;     // mode 1: the producer's output

override MODE: u32 = 0u;
override WG_M: u32 = 16u;
override WG_N: u32 = 16u;
const TM: u32 = 4u;
const TN: u32 = 4u;
const BK: u32 = 16u;
override BM: u32 = WG_M * TM;
override BN: u32 = WG_N * TN;

var<workgroup> As: array<vec4f, BK * BM / 4u>; // As[k * BM / 4 + m / 4]: 4 consecutive rows
var<workgroup> Bs: array<vec4f, BK * BN / 4u>; // Bs[k * BN / 4 + n / 4]: 4 consecutive columns

fn load_a(m: u32, k: u32, M: u32, K: u32) -> f32 {
  if (m >= M || k >= K) { return 0.0; }
  if (MODE == 2u) {
    if (m == M - 1u) { return 1.0; }
    return A[cfg.a_off + k * (M - 1u) + m];
  }
  return A[cfg.a_off + m * K + k];
}

fn load_b(k: u32, n: u32, K: u32, N: u32) -> f32 {
  if (k >= K || n >= N) { return 0.0; }
  if (MODE == 1u) { return B[cfg.b_off + n * K + k]; }
  return B[cfg.b_off + k * N + n];
}

// Each thread owns a 4 x 4 block of outputs as four vec4 accumulators (registers, not arrays:
// SwiftShader and most GPUs keep these in registers; dynamic indexing would spill).
@compute @workgroup_size(WG_N, WG_M)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let M = select(step.rows, cfg.M, MODE == 2u);
  let K = select(cfg.K, step.rows, MODE == 2u);
  let N = cfg.N;
  let m0 = wid.y * BM;
  let n0 = wid.x * BN;
  let tid = lid.y * WG_N + lid.x;
  let threads = WG_M * WG_N;
  let am = BM / 4u;
  let bn = BN / 4u;

  var acc0 = vec4f(0.0);
  var acc1 = vec4f(0.0);
  var acc2 = vec4f(0.0);
  var acc3 = vec4f(0.0);
  for (var k0 = 0u; k0 < K; k0 += BK) {
    for (var i = tid; i < BK * am; i += threads) {
      let m = m0 + 4u * (i % am);
      let k = k0 + i / am;
      As[i] = vec4f(load_a(m, k, M, K), load_a(m + 1u, k, M, K), load_a(m + 2u, k, M, K), load_a(m + 3u, k, M, K));
    }
    for (var i = tid; i < BK * bn; i += threads) {
      let n = n0 + 4u * (i % bn);
      let k = k0 + i / bn;
      Bs[i] = vec4f(load_b(k, n, K, N), load_b(k, n + 1u, K, N), load_b(k, n + 2u, K, N), load_b(k, n + 3u, K, N));
    }
    workgroupBarrier();
    for (var kk = 0u; kk < BK; kk++) {
      let a = As[kk * am + lid.y];
      let b = Bs[kk * bn + lid.x];
      acc0 = fma(vec4f(a.x), b, acc0);
      acc1 = fma(vec4f(a.y), b, acc1);
      acc2 = fma(vec4f(a.z), b, acc2);
      acc3 = fma(vec4f(a.w), b, acc3);
    }
    workgroupBarrier();
  }

  let acc = array<vec4f, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < TM; i++) {
    let m = m0 + lid.y * TM + i;
    if (m >= M) { break; }
    for (var j = 0u; j < TN; j++) {
      let n = n0 + lid.x * TN + j;
      if (n >= N) { break; }
      let unit = m * N + n;
      var v = acc[i][j];
      if (MODE == 0u) {
        v = epilogue(v + B[cfg.bias_off + n], cfg.epi, step, unit);
      } else if (MODE == 1u) {
        v = epilogue_grad(v, AUX[cfg.aux_off + unit], cfg.epi, step, unit);
      }
      C[cfg.c_off + unit] = v;
    }
  }
}
