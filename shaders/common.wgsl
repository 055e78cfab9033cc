// Prepended to every kernel (see src/gpu/pipelines.ts): the per-step uniform, activations and the
// counter-based dropout hash. Each has a CPU twin in src/reference/ops.ts.

// One 256-byte slot per batch of an epoch, bound with a dynamic offset.
struct Step {
  row_start: u32, // first row of this batch in the split's row order
  rows: u32,      // rows in this batch (the last batch may be short)
  t: u32,         // optimizer step, 1-based; also the dropout mask's step key
  slot: u32,      // metric slot this batch writes
  seed: u32,      // run seed (dropout masks)
  training: u32,  // 1: training mode, 0: inference (dropout off, batch norm uses moving stats)
}

// What a producer (Dense or BatchNormalization) applies to its output, and undoes in backward.
struct Epi {
  act: u32,            // ACT_*
  drop_threshold: u32, // dropout drops a unit when its 24-bit hash < threshold; 0 = no dropout
  drop_scale: f32,     // 1 / (1 - rate)
  layer: u32,          // the dropout mask's layer key
}

const ACT_LINEAR: u32 = 0u;
const ACT_RELU: u32 = 1u;
const ACT_SIGMOID: u32 = 2u;

fn activate(x: f32, act: u32) -> f32 {
  if (act == ACT_RELU) { return max(x, 0.0); }
  if (act == ACT_SIGMOID) { return 1.0 / (1.0 + exp(-x)); }
  return x;
}

// d act / d x, written in terms of the activation's output y.
fn act_grad(y: f32, act: u32) -> f32 {
  if (act == ACT_RELU) { return select(0.0, 1.0, y > 0.0); }
  if (act == ACT_SIGMOID) { return y * (1.0 - y); }
  return 1.0;
}

// lowbias32 (Chris Wellons): a well-mixed 32-bit integer hash.
fn mix32(x: u32) -> u32 {
  var h = x;
  h ^= h >> 16u; h *= 0x7feb352du;
  h ^= h >> 15u; h *= 0x846ca68bu;
  h ^= h >> 16u;
  return h;
}

// 24 uniform bits from (seed, step, layer, unit).
fn dropout_bits(seed: u32, t: u32, layer: u32, unit: u32) -> u32 {
  return mix32(mix32(mix32(mix32(seed) ^ t) ^ layer) ^ unit) >> 8u;
}

fn dropped(e: Epi, s: Step, unit: u32) -> bool {
  return s.training == 1u && e.drop_threshold > 0u && dropout_bits(s.seed, s.t, e.layer, unit) < e.drop_threshold;
}

// Forward: activation, then dropout (training only). `unit` = row * width + column.
fn epilogue(z: f32, e: Epi, s: Step, unit: u32) -> f32 {
  let y = activate(z, e.act);
  if (s.training == 1u && e.drop_threshold > 0u) {
    return select(y * e.drop_scale, 0.0, dropped(e, s, unit));
  }
  return y;
}

// Backward through `epilogue`: from dL/dy and the stored output y to dL/dz.
fn epilogue_grad(dy: f32, y: f32, e: Epi, s: Step, unit: u32) -> f32 {
  if (s.training == 1u && e.drop_threshold > 0u) {
    if (dropped(e, s, unit)) { return 0.0; }
    return dy * e.drop_scale * act_grad(y / e.drop_scale, e.act);
  }
  return dy * act_grad(y, e.act);
}

// Dead ReLU units: in inference, a forward kernel whose output is a ReLU layer's marks each column
// that is positive in some row (ACTIVE, offset `active_off` in its Cfg, one flag per replica and
// column); wstats.wgsl counts the unmarked ones at the end of the epoch and clears the flags. A
// flag holds the bits of 1.0 so that it reads back as a float (the debug check compares floats).
const NO_ACTIVE: u32 = 0xffffffffu;
const ACTIVE_FLAG: u32 = 0x3f800000u;

// One replica of a batched run (kernels that apply dropout bind an array<Replica>, indexed by the
// workgroup's z). Replicas differ in seed and may override every Dropout layer's rate.
struct Replica {
  seed: u32,           // dropout masks (the step's seed is replaced by it)
  drop_override: u32,  // 1: drop_threshold and drop_scale replace those of every dropout layer
  drop_threshold: u32,
  drop_scale: f32,
}

fn replica_epi(e: Epi, r: Replica) -> Epi {
  var o = e;
  if (r.drop_override == 1u && e.drop_threshold > 0u) {
    o.drop_threshold = r.drop_threshold;
    o.drop_scale = r.drop_scale;
  }
  return o;
}

fn replica_step(s: Step, r: Replica) -> Step {
  var o = s;
  o.seed = r.seed;
  return o;
}

// A packed parameter tensor and its penalty rates (adam.wgsl, norms.wgsl).
struct Tensor {
  offset: u32,
  size: u32,
  l1: f32,
  l2: f32,
}

// Workgroup sums of two values over RED_WG threads; every thread gets both totals. Kernels that
// call it run with @workgroup_size(RED_WG); the arrays cost nothing in kernels that do not.
override RED_WG: u32 = 256u;
var<workgroup> red_a: array<f32, RED_WG>;
var<workgroup> red_b: array<f32, RED_WG>;

fn reduce2(lid: u32, a: f32, b: f32) -> vec2f {
  red_a[lid] = a;
  red_b[lid] = b;
  workgroupBarrier();
  for (var s = RED_WG / 2u; s > 0u; s /= 2u) {
    if (lid < s) {
      red_a[lid] += red_a[lid + s];
      red_b[lid] += red_b[lid + s];
    }
    workgroupBarrier();
  }
  let r = vec2f(red_a[0], red_b[0]);
  workgroupBarrier();
  return r;
}
