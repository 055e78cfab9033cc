// Batch assembly: X(rows, F) = rows of the resident data set picked through the row order
// (the epoch's permutation, or the identity for evaluation), expanded to f32 on the way.

struct Cfg {
  features: u32,
  row_words: u32,
  format: u32, // 0: f32, 1: bits (multi-hot), 2: u8 (value / 255)
  order_rstride: u32, // per replica (z): its row order (0: all replicas share one)
  x_rstride: u32,     // per replica: its batch
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<uniform> cfg: Cfg;
@group(0) @binding(2) var<storage, read> data: array<u32>;
@group(0) @binding(3) var<storage, read> order: array<u32>;
@group(0) @binding(4) var<storage, read_write> X: array<f32>;

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = gid.y * nwg.x * WG + gid.x;
  let r = i / cfg.features;
  if (r >= step.rows) { return; }
  let j = i % cfg.features;
  let base = order[gid.z * cfg.order_rstride + step.row_start + r] * cfg.row_words;
  var v: f32;
  if (cfg.format == 1u) {
    v = f32((data[base + j / 32u] >> (j % 32u)) & 1u);
  } else if (cfg.format == 2u) {
    v = f32((data[base + j / 4u] >> ((j % 4u) * 8u)) & 255u) / 255.0;
  } else {
    v = bitcast<f32>(data[base + j]);
  }
  X[gid.z * cfg.x_rstride + i] = v;
}
