// BatchNormalization, one workgroup per feature column (override MODE):
//   0 forward:  training: batch mean / biased variance, save (mean, 1/std) for backward, update the
//               moving statistics (Keras: moving -= (moving - batch) * decay, decay = 1 - momentum);
//               inference: the moving statistics. Y = epilogue(gamma * x_hat + beta).
//   1 backward: dgamma = sum dy * x_hat, dbeta = sum dy,
//               dx = gamma / std / rows * (rows * dy - dbeta - x_hat * dgamma), through the input
//               producer's epilogue gradient.

struct Cfg {
  epi: Epi,         // forward: this layer's; backward: the input producer's
  width: u32,
  gamma_off: u32,   // in P (and G): gamma, then beta at gamma_off + width
  state_off: u32,   // in STATE: moving mean, then moving variance; in STATS: mean, then 1/std
  write_dx: u32,    // 0 when the input is the data batch (no gradient needed)
  decay: f32,       // 1 - momentum, rounded to f32 once on the host as Keras does (not 1 - f32(momentum))
  epsilon: f32,
  act_rstride: u32, // per replica (z): its X, OUT and DY
  p_rstride: u32,   // its parameters (P)
  acc_rstride: u32, // its ACC (forward: moving statistics; backward: gradients)
  s_rstride: u32,   // its STATS
  active_off: u32,  // forward of a ReLU layer: its flags in ACTIVE, else NO_ACTIVE
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<uniform> cfg: Cfg;
@group(0) @binding(2) var<storage, read> X: array<f32>;           // input (rows, width)
@group(0) @binding(3) var<storage, read> P: array<f32>;           // parameters
@group(0) @binding(4) var<storage, read_write> OUT: array<f32>;   // forward: Y; backward: dX
@group(0) @binding(5) var<storage, read_write> ACC: array<f32>;   // forward: moving stats; backward: grads
@group(0) @binding(6) var<storage, read_write> STATS: array<f32>; // batch mean, 1/std
@group(0) @binding(7) var<storage, read> DY: array<f32>;          // backward: dL/d(gamma * x_hat + beta)
@group(0) @binding(8) var<storage, read> REPLICAS: array<Replica>;
@group(0) @binding(9) var<storage, read_write> ACTIVE: array<atomic<u32>>; // see common.wgsl

override MODE: u32 = 0u;
// 64 threads, not RED_WG (256): CPU adapters run each 4-lane subgroup of a workgroup that has a
// barrier as a coroutine, and with 256 threads per feature the coroutines cost more than the work
// (SwiftShader: 130 ms -> 15 ms per dispatch at 500 x 128).
override WG: u32 = 64u;

var<workgroup> col_a: array<f32, WG>;
var<workgroup> col_b: array<f32, WG>;
var<workgroup> red_out: vec2f;

// Sums (a, b) over the workgroup with two barriers (a tree needs log2(WG) + 1): every thread stores
// its partial, one thread adds them in order, everyone reads the result.
fn col_sum2(lid: u32, a: f32, b: f32) -> vec2f {
  col_a[lid] = a;
  col_b[lid] = b;
  workgroupBarrier();
  if (lid == 0u) {
    var s = vec2f(0.0);
    for (var i = 0u; i < WG; i++) { s += vec2f(col_a[i], col_b[i]); }
    red_out = s;
  }
  // red_out is rewritten only after the next call's first barrier, which every reader has passed.
  return workgroupUniformLoad(&red_out);
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_id) lid3: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let lid = lid3.x;
  let rep = REPLICAS[wid.z];
  let e = replica_epi(cfg.epi, rep);
  let st = replica_step(step, rep);
  let xb = wid.z * cfg.act_rstride;
  let pb = wid.z * cfg.p_rstride;
  let ab = wid.z * cfg.acc_rstride;
  let sb = wid.z * cfg.s_rstride;
  let f = wid.x;
  let W = cfg.width;
  let rows = step.rows;
  let n = f32(rows);
  let gamma = P[pb + cfg.gamma_off + f];
  let beta = P[pb + cfg.gamma_off + W + f];

  if (MODE == 0u) {
    var mean: f32;
    var inv_std: f32;
    if (step.training == 1u) {
      var s = 0.0;
      for (var r = lid; r < rows; r += WG) { s += X[xb + r * W + f]; }
      mean = col_sum2(lid, s, 0.0).x / n;
      var q = 0.0;
      for (var r = lid; r < rows; r += WG) { let d = X[xb + r * W + f] - mean; q += d * d; }
      let variance = col_sum2(lid, q, 0.0).x / n;
      inv_std = 1.0 / sqrt(variance + cfg.epsilon);
      if (lid == 0u) {
        STATS[sb + cfg.state_off + f] = mean;
        STATS[sb + cfg.state_off + W + f] = inv_std;
        let mm = ACC[ab + cfg.state_off + f];
        let mv = ACC[ab + cfg.state_off + W + f];
        ACC[ab + cfg.state_off + f] = mm - (mm - mean) * cfg.decay;
        ACC[ab + cfg.state_off + W + f] = mv - (mv - variance) * cfg.decay;
      }
    } else {
      mean = ACC[ab + cfg.state_off + f];
      inv_std = 1.0 / sqrt(ACC[ab + cfg.state_off + W + f] + cfg.epsilon);
    }
    var any_positive = false;
    for (var r = lid; r < rows; r += WG) {
      let u = r * W + f;
      let y = epilogue(gamma * (X[xb + u] - mean) * inv_std + beta, e, st, u);
      OUT[xb + u] = y;
      any_positive = any_positive || y > 0.0;
    }
    if (any_positive && cfg.active_off != NO_ACTIVE && step.training == 0u) {
      atomicStore(&ACTIVE[cfg.active_off + wid.z * W + f], ACTIVE_FLAG);
    }
  } else {
    let mean = STATS[sb + cfg.state_off + f];
    let inv_std = STATS[sb + cfg.state_off + W + f];
    var sdy = 0.0;
    var sdyx = 0.0;
    for (var r = lid; r < rows; r += WG) {
      let u = r * W + f;
      sdy += DY[xb + u];
      sdyx += DY[xb + u] * (X[xb + u] - mean) * inv_std;
    }
    let sums = col_sum2(lid, sdy, sdyx);
    if (lid == 0u) {
      ACC[ab + cfg.gamma_off + f] = sums.y;
      ACC[ab + cfg.gamma_off + W + f] = sums.x;
    }
    if (cfg.write_dx == 1u) {
      let k = gamma * inv_std / n;
      for (var r = lid; r < rows; r += WG) {
        let u = r * W + f;
        let dx = k * (n * DY[xb + u] - sums.x - (X[xb + u] - mean) * inv_std * sums.y);
        OUT[xb + u] = epilogue_grad(dx, X[xb + u], e, st, u);
      }
    }
  }
}
