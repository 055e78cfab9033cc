// Adam (Keras defaults) over every trainable parameter in one dispatch on the packed buffers,
// with each tensor's L1/L2 penalty gradient added: g + l1 * sign(w) + 2 * l2 * w.
//   m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2); w -= lr_t * m / (sqrt(v) + eps)
// The workgroup's z is the replica: its parameters sit at replica * total, its penalty rates at
// TENSORS[replica * tensors ..], its step size at LR_T[slot * replicas + replica].

struct Cfg {
  total: u32,   // packed parameter count
  tensors: u32, // entries in TENSORS per replica
  replicas: u32,
  beta1: f32,
  beta2: f32,
  epsilon: f32,
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<uniform> cfg: Cfg;
@group(0) @binding(2) var<storage, read> G: array<f32>;
@group(0) @binding(3) var<storage, read> TENSORS: array<Tensor>;
@group(0) @binding(4) var<storage, read_write> W: array<f32>;
@group(0) @binding(5) var<storage, read_write> Mom: array<f32>;
@group(0) @binding(6) var<storage, read_write> Vel: array<f32>;
@group(0) @binding(7) var<storage, read> LR_T: array<f32>; // bias-corrected step size per batch slot and replica

override WG: u32 = 256u;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let p = gid.y * nwg.x * WG + gid.x;
  if (p >= cfg.total) { return; }
  let r = gid.z;
  let i = r * cfg.total + p;
  var l1 = 0.0;
  var l2 = 0.0;
  for (var t = r * cfg.tensors; t < (r + 1u) * cfg.tensors; t++) {
    let d = TENSORS[t];
    if (p >= d.offset && p < d.offset + d.size) { l1 = d.l1; l2 = d.l2; break; }
  }
  let w = W[i];
  let g = G[i] + l1 * sign(w) + 2.0 * l2 * w;
  let m = Mom[i] + (g - Mom[i]) * (1.0 - cfg.beta1);
  let v = Vel[i] + (g * g - Vel[i]) * (1.0 - cfg.beta2);
  Mom[i] = m;
  Vel[i] = v;
  W[i] = w - LR_T[step.slot * cfg.replicas + r] * m / (sqrt(v) + cfg.epsilon);
}
