// The design tokens of <overfit-lab>: its styles declare them as --overfit-* custom properties
// (the defaults a page may override) and the CLI's PNG draws with them, so the two agree.

/** Okabe–Ito, one colour per model: the first four have at least 3:1 contrast on white, and all
 *  stay distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00'] as const;

/** The class that gives an element its model's colour as `--c` (styles.ts declares .c1 to .c6):
 *  a class, not a style attribute, which a strict Content-Security-Policy (style-src without
 *  'unsafe-inline') would drop. */
export const colorClass = (index: number): string => `c${(index % PALETTE.length) + 1}`;

/** Sequential (viridis, dark purple to green; its light yellow end is left out for contrast on
 *  white): the values of a sweep, smallest darkest, in order. */
export const SEQUENTIAL = ['#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c', '#22a884', '#44bf70', '#7ad151'] as const;

/** `n` colours spread evenly over the sequential palette, in order. */
export function sequentialColors(n: number): string[] {
  const last = SEQUENTIAL.length - 1;
  return Array.from({ length: n }, (_, i) => SEQUENTIAL[n === 1 ? 0 : Math.round((i * last) / (n - 1))]);
}

export const TOKENS = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans KR', 'Apple SD Gothic Neo', 'Malgun Gothic', sans-serif",
  mono: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace",
  fg: '#1b1f24',
  muted: '#57606a',
  bg: '#ffffff',
  surface: '#f6f8fa',
  border: '#d0d7de',
  grid: '#e6eaef',
  accent: '#0b5cad',
  'accent-fg': '#ffffff',
  danger: '#b42318',
  radius: '8px',
  gap: '16px',
} as const;

export type TokenName = keyof typeof TOKENS;

/** Every token as a custom-property declaration, the model colours as --overfit-color-1..6. */
export function tokenDeclarations(): string {
  const colours = PALETTE.map((c, i) => [`color-${i + 1}`, c.toLowerCase()]);
  return [...Object.entries(TOKENS), ...colours].map(([k, v]) => `--overfit-${k}: ${v};`).join('\n');
}
