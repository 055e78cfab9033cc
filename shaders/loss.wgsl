// Loss from logits, one workgroup per batch:
//   classes == 1: sigmoid + binary cross-entropy, accuracy = (z > 0) == label
//   classes  > 1: softmax + sparse categorical cross-entropy, accuracy = argmax == label
// Writes dL/dlogits (mean over the batch) in training mode, and the batch's cross-entropy sum,
// correct count and row count into metric slot step.slot; nothing is read back here.

struct Cfg {
  classes: u32,
  metrics_off: u32, // first float of the step slots in METRICS
  z_rstride: u32,       // per replica (z): its logits and their gradient
  order_rstride: u32,   // its row order (0: shared)
  metrics_rstride: u32, // its metrics block
}

@group(0) @binding(0) var<uniform> step: Step;
@group(0) @binding(1) var<uniform> cfg: Cfg;
@group(0) @binding(2) var<storage, read> Z: array<f32>;        // logits (rows, classes)
@group(0) @binding(3) var<storage, read> labels: array<u32>;
@group(0) @binding(4) var<storage, read> order: array<u32>;
@group(0) @binding(5) var<storage, read_write> dZ: array<f32>;
@group(0) @binding(6) var<storage, read_write> METRICS: array<f32>;

@compute @workgroup_size(RED_WG)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let zb = wid.z * cfg.z_rstride;
  let ob = wid.z * cfg.order_rstride + step.row_start;
  let rows = step.rows;
  let C = cfg.classes;
  let inv_rows = 1.0 / f32(rows);
  var ce = 0.0;
  var ok = 0.0;
  for (var r = lid.x; r < rows; r += RED_WG) {
    let y = labels[order[ob + r]];
    if (C == 1u) {
      let z = Z[zb + r];
      let yf = f32(y);
      ce += max(z, 0.0) - z * yf + log(1.0 + exp(-abs(z)));
      ok += select(0.0, 1.0, (z > 0.0) == (y == 1u));
      if (step.training == 1u) { dZ[zb + r] = (1.0 / (1.0 + exp(-z)) - yf) * inv_rows; }
    } else {
      var zmax = Z[zb + r * C];
      var best = 0u;
      for (var c = 1u; c < C; c++) {
        let z = Z[zb + r * C + c];
        if (z > zmax) { zmax = z; best = c; }
      }
      var s = 0.0;
      for (var c = 0u; c < C; c++) { s += exp(Z[zb + r * C + c] - zmax); }
      ce += log(s) + zmax - Z[zb + r * C + y];
      ok += select(0.0, 1.0, best == y);
      if (step.training == 1u) {
        for (var c = 0u; c < C; c++) {
          let p = exp(Z[zb + r * C + c] - zmax) / s;
          dZ[zb + r * C + c] = (p - select(0.0, 1.0, c == y)) * inv_rows;
        }
      }
    }
  }
  let sums = reduce2(lid.x, ce, ok);
  if (lid.x == 0u) {
    let o = wid.z * cfg.metrics_rstride + cfg.metrics_off + step.slot * 4u;
    METRICS[o] = sums.x;
    METRICS[o + 1u] = sums.y;
    METRICS[o + 2u] = f32(rows);
  }
}
