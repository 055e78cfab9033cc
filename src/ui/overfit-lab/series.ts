// Pure helpers behind the charts and cards: smoothing, best epochs, aligned columns, rates, the
// `controls` attribute. No DOM here, so Node tests cover them.

/** TensorBoard's debiased exponential moving average; `weight` 0 returns the values unchanged. */
export function smooth(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let debias = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    debias = debias * w + (1 - w);
    return last / debias;
  });
}

/** The 1-based epoch with the lowest finite value, or null when there is none. */
export function bestEpoch(values: readonly number[] | undefined): number | null {
  let best = -1;
  values?.forEach((v, i) => {
    if (Number.isFinite(v) && (best < 0 || v < values[best])) best = i;
  });
  return best < 0 ? null : best + 1;
}

/** True once the validation loss has clearly turned up after its minimum: overfitting has started. */
export function overfittingStarted(val: readonly number[] | undefined): boolean {
  const b = bestEpoch(val);
  if (!val || b === null || b >= val.length) return false;
  return val[val.length - 1] > val[b - 1] * 1.01;
}

/** uPlot's columnar data: x = 1..length, each column padded with nulls to that length. */
export function alignColumns(columns: (readonly number[] | undefined)[], smoothing = 0): [number[], ...(number | null)[][]] {
  const length = Math.max(0, ...columns.map((c) => c?.length ?? 0));
  const x = Array.from({ length }, (_, i) => i + 1);
  return [
    x,
    ...columns.map((c) => {
      const s = c ? smooth(c, smoothing) : [];
      return x.map((_, i) => (i < s.length && Number.isFinite(s[i]) ? s[i] : null));
    }),
  ];
}

/** Epochs per second from the wall-clock times (ms) at which a model's epochs ended, over the
 *  last `window` intervals between epochs. The first epoch's time also holds the data upload and
 *  kernel compiles, so there is no rate before a second epoch. */
export function epochRate(ends: readonly number[], window = 5): number | null {
  if (ends.length < 2) return null;
  const use = ends.slice(-window - 1);
  const ms = use[use.length - 1] - use[0];
  return ms > 0 ? (1000 * (use.length - 1)) / ms : null;
}

/** Which controls the `controls` attribute asks for: "all" (or nothing), "none", or a list. */
export const CONTROL_NAMES = [
  'experiment',
  'dataset',
  'epochs',
  'seed',
  'seeds',
  'sweep',
  'early-stopping',
  'run',
  'stop',
  'reset',
  'chart',
  'export',
  'edit',
  'keras',
  'runs',
] as const;
export type ControlName = (typeof CONTROL_NAMES)[number];

/** What `all` means: every control but the model editor, the Keras / TF.js tools and the saved
 *  runs, which a page asks for (`all edit keras runs`). */
const ALL: readonly ControlName[] = CONTROL_NAMES.filter((c) => c !== 'edit' && c !== 'keras' && c !== 'runs');

export function parseControls(value: string | null | undefined): Set<ControlName> {
  const v = (value ?? '').trim().toLowerCase();
  const words = v ? v.split(/[\s,]+/) : ['all'];
  if (words.includes('none')) return new Set();
  const all = words.includes('all');
  return new Set(CONTROL_NAMES.filter((c) => words.includes(c) || (all && ALL.includes(c))));
}
