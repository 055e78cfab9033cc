// Weight statistics, one workgroup per kernel tensor and replica, once per epoch: a histogram of
// |w| on a log scale (bin i: EDGES[i] <= |w| < EDGES[i + 1]), exact zeros, |w| < 1e-3 and the
// largest |w| (layout in src/plan/weight-stats.ts). Then one workgroup per ReLU layer: its dead
// units, the columns validation never marked active (common.wgsl), whose flags it clears for the
// next epoch. Counts go to METRICS as exact f32 integers.

override BINS: u32 = 48u;

struct Cfg {
  tensors: u32,
  metrics_off: u32, // first float of the statistics blocks in METRICS
  w_rstride: u32,       // per replica (z): its parameters
  metrics_rstride: u32, // its metrics block
  layers: u32,          // ReLU layers; their dead-unit counts follow the tensors' blocks
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<uniform> cfg: Cfg;
@group(0) @binding(2) var<storage, read> W: array<f32>;
@group(0) @binding(3) var<storage, read> TENSORS: array<Tensor>;
@group(0) @binding(4) var<storage, read> EDGES: array<f32>;
@group(0) @binding(5) var<storage, read> LAYERS: array<Tensor>; // ReLU layers: flags' offset, units
@group(0) @binding(6) var<storage, read_write> ACTIVE: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> METRICS: array<f32>;

// zeros, below the first edge, the BINS bins, from the last edge on, near zero; then max |w| bits.
var<workgroup> counts: array<atomic<u32>, BINS + 4u>;
var<workgroup> max_bits: atomic<u32>;

@compute @workgroup_size(RED_WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  for (var j = lid.x; j < BINS + 4u; j += RED_WG) { atomicStore(&counts[j], 0u); }
  if (lid.x == 0u) { atomicStore(&max_bits, 0u); }
  workgroupBarrier();
  if (wid.x >= cfg.tensors) { // a ReLU layer (wid.x is uniform: the branch is too)
    let l = wid.x - cfg.tensors;
    let layer = LAYERS[l];
    let flags = layer.offset + wid.z * layer.size;
    for (var j = lid.x; j < layer.size; j += RED_WG) {
      if (atomicExchange(&ACTIVE[flags + j], 0u) == 0u) { atomicAdd(&counts[0], 1u); }
    }
    workgroupBarrier();
    if (lid.x == 0u) {
      METRICS[wid.z * cfg.metrics_rstride + cfg.metrics_off + cfg.tensors * (BINS + 5u) + l] = f32(atomicLoad(&counts[0]));
    }
    return;
  }
  let d = TENSORS[wid.x];
  for (var i = lid.x; i < d.size; i += RED_WG) {
    let a = abs(W[wid.z * cfg.w_rstride + d.offset + i]);
    var slot = 0u;
    if (a == 0.0) {
      slot = 0u;
    } else if (a < EDGES[0]) {
      slot = 1u;
    } else if (a >= EDGES[BINS]) {
      slot = BINS + 2u;
    } else {
      var lo = 0u; // the largest i with EDGES[i] <= a
      var hi = BINS;
      while (hi - lo > 1u) {
        let mid = (lo + hi) / 2u;
        if (EDGES[mid] <= a) { lo = mid; } else { hi = mid; }
      }
      slot = 2u + lo;
    }
    atomicAdd(&counts[slot], 1u);
    if (a < 1e-3) { atomicAdd(&counts[BINS + 3u], 1u); }
    atomicMax(&max_bits, bitcast<u32>(a)); // |w| >= 0: its bits order as the values do
  }
  workgroupBarrier();
  let o = wid.z * cfg.metrics_rstride + cfg.metrics_off + wid.x * (BINS + 5u);
  for (var j = lid.x; j < BINS + 4u; j += RED_WG) { METRICS[o + j] = f32(atomicLoad(&counts[j])); }
  if (lid.x == 0u) { METRICS[o + BINS + 4u] = bitcast<f32>(atomicLoad(&max_bits)); }
}
