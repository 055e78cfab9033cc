// Per-tensor weight norms, one workgroup per tensor: sum |w| and sum w^2, written to norm slot
// step.slot. They give the L1/L2 penalty that Keras adds to the loss, and the lab's sum |W| curve.

struct Cfg {
  tensors: u32,
  metrics_off: u32, // first float of the norm slots in METRICS
  w_rstride: u32,       // per replica (z): its parameters
  metrics_rstride: u32, // its metrics block
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<uniform> cfg: Cfg;
@group(0) @binding(2) var<storage, read> W: array<f32>;
@group(0) @binding(3) var<storage, read> TENSORS: array<Tensor>;
@group(0) @binding(4) var<storage, read_write> METRICS: array<f32>;

@compute @workgroup_size(RED_WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let d = TENSORS[wid.x];
  var a = 0.0;
  var q = 0.0;
  for (var i = lid.x; i < d.size; i += RED_WG) {
    let w = W[wid.z * cfg.w_rstride + d.offset + i];
    a += abs(w);
    q += w * w;
  }
  let sums = reduce2(lid.x, a, q);
  if (lid.x == 0u) {
    let o = wid.z * cfg.metrics_rstride + cfg.metrics_off + (step.slot * cfg.tensors + wid.x) * 2u;
    METRICS[o] = sums.x;
    METRICS[o + 1u] = sums.y;
  }
}
