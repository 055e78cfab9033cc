// The uPlot charts of <overfit-lab>: loss (training solid, validation dashed, the gap shaded, or
// with seeds each curve's min-max band), accuracy and the weight norm, one colour per model (one
// sequential colour per value in a sweep, plus the sweep's summary chart), one shared cursor.
// What each chart draws comes from chart-lines.ts. uPlot owns the canvases inside containers that
// render() leaves empty; data go in with setData at most once per animation frame, and only when a
// new epoch (or the smoothing) changed them.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import uPlot from 'uplot';
import type { TokenName } from '../tokens.ts';
import { PALETTE, TOKENS } from '../tokens.ts';
import type { ChartKind, ChartLine, ChartModel } from './chart-lines.ts';
import { CHART_KINDS, chartLines, earlyStoppingData, earlyStoppingMarks, pinnedGroups } from './chart-lines.ts';
import { alignColumns } from './series.ts';

export type { ChartKind, ChartModel };
export { CHART_KINDS };

export interface ChartInput {
  models: ChartModel[];
  /** Bumped on every new epoch. */
  version: number;
  smoothing: number;
  logScale: boolean;
  /** Sweep mode: each value's label, colour and x position on the summary chart; the highlighted
   *  one; the swept model whose curves the epoch charts draw. */
  sweep?: { labels: string[]; colors: string[]; positions: number[]; highlight: number | null; model: string | null; onPick: (index: number) => void };
  labels: {
    training: string;
    validation: string;
    epoch: string;
    bestVal: string;
    gap: string;
    overfittingStartsHere: string;
    sweptValue: string;
    /** Early stopping's restored-epoch line. */
    restored: string;
    titles: Record<ChartKind, string>;
  };
}

interface Chart {
  u: uPlot;
  el: HTMLElement;
  key: string;
}

let instances = 0;

/** A y axis just wide enough for its longest tick label (uPlot's documented recipe). */
const fitLabels: uPlot.Axis.Size = (u, values, axisIdx, cycleNum) => {
  const axis = u.axes[axisIdx] as uPlot.Axis & { _size?: number; font?: [string] };
  if (cycleNum > 1 && axis._size) return axis._size;
  let size = 8 + 6;
  const longest = (values ?? []).reduce((a, v) => (v.length > a.length ? v : a), '');
  if (longest) {
    u.ctx.font = axis.font?.[0] ?? '12px sans-serif';
    size += u.ctx.measureText(longest).width / uPlot.pxRatio;
  }
  return Math.ceil(size);
};

const HEIGHT: Record<ChartKind, [number, number]> = { loss: [260, 210], accuracy: [200, 170], weights: [200, 170], summary: [220, 180] };
const NARROW = 480;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

export class ChartsController implements ReactiveController {
  private charts = new Map<ChartKind, Chart>();
  private readonly syncKey = `overfit-lab-${++instances}`;
  private frame = 0;
  private drawnKey = '';
  private resize = new ResizeObserver((entries) => {
    for (const e of entries) {
      const c = [...this.charts.entries()].find(([, ch]) => ch.el === e.target);
      if (c) this.fit(c[0], c[1]);
    }
  });

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { hasUpdated: boolean },
    private readonly input: () => ChartInput,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const root = this.host.shadowRoot;
    const input = this.input();
    for (const kind of CHART_KINDS) {
      const el = root?.querySelector<HTMLElement>(`[data-chart="${kind}"]`) ?? null;
      const old = this.charts.get(kind);
      if (!el) {
        if (old) this.drop(kind, old);
        continue;
      }
      const key = this.structureKey(kind, input);
      if (old && old.el === el && old.key === key) continue;
      if (old) this.drop(kind, old);
      const data = this.data(kind, input);
      const u = new uPlot(this.options(kind, input, el), data, el);
      markDrawn(el, u, data, this.pinned(kind, input));
      const chart = { u, el, key };
      this.charts.set(kind, chart);
      this.resize.observe(el);
    }
    const dataKey = `${input.version}|${input.smoothing}`;
    if (dataKey !== this.drawnKey && !this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        const now = this.input();
        this.drawnKey = `${now.version}|${now.smoothing}`;
        for (const [kind, c] of this.charts) {
          const data = this.data(kind, now);
          c.u.setData(data);
          markDrawn(c.el, c.u, data, this.pinned(kind, now));
        }
      });
    }
  }

  hostConnected(): void {
    // Back in the page after a move: the charts were destroyed on the way out; build them again.
    if (this.host.hasUpdated) this.host.requestUpdate();
  }

  hostDisconnected(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    for (const [kind, c] of this.charts) this.drop(kind, c);
    this.drawnKey = '';
  }

  private drop(kind: ChartKind, c: Chart): void {
    this.resize.unobserve(c.el);
    c.u.destroy();
    this.charts.delete(kind);
  }

  private structureKey(kind: ChartKind, input: ChartInput): string {
    const l = input.labels;
    return JSON.stringify([
      input.models.map((m) => [m.name, m.index, !!m.band, !!m.sweep, m.pinned ?? null]),
      input.sweep && [input.sweep.labels, input.sweep.positions, input.sweep.highlight, input.sweep.model],
      kind === 'loss' && input.logScale,
      l.training,
      l.validation,
      l.titles[kind],
      this.colors(),
    ]);
  }

  /** A token as the page themes it (--overfit-*), else its default. */
  private token(name: TokenName | `color-${number}`): string {
    const fallback = name.startsWith('color-') ? PALETTE[Number(name.slice(6)) - 1] : TOKENS[name as TokenName];
    return getComputedStyle(this.host).getPropertyValue(`--overfit-${name}`).trim() || fallback;
  }

  private colors(): string[] {
    return PALETTE.map((_, i) => this.token(`color-${i + 1}`));
  }

  private size(kind: ChartKind, el: HTMLElement): { width: number; height: number } {
    const width = Math.max(200, Math.floor(el.clientWidth || 300));
    return { width, height: HEIGHT[kind][width < NARROW ? 1 : 0] };
  }

  private fit(kind: ChartKind, c: Chart): void {
    if (!c.el.clientWidth) return; // hidden (the Weights view): keep the size it had, for a PNG export
    const s = this.size(kind, c.el);
    if (s.width !== c.u.width || s.height !== c.u.height) c.u.setSize(s);
  }

  private lines(kind: ChartKind, input: ChartInput) {
    const { labels, sweep } = input;
    return chartLines(kind, { models: input.models, labels, colors: this.colors(), sweep });
  }

  /** The pinned runs' groups a chart draws ("<run> · <model>"). */
  private pinned(kind: ChartKind, input: ChartInput): string[] {
    return kind === 'summary' ? [] : pinnedGroups(this.lines(kind, input).lines);
  }

  /** Columns for one chart, one per line; the summary's x is each swept value's position. */
  private data(kind: ChartKind, input: ChartInput): uPlot.AlignedData {
    const cols = this.lines(kind, input).lines.map((l) => l.values);
    if (kind === 'summary') {
      const [, ...ys] = alignColumns(cols);
      return [input.sweep?.positions ?? [], ...ys] as uPlot.AlignedData;
    }
    return alignColumns(cols, kind === 'weights' ? 0 : input.smoothing) as uPlot.AlignedData;
  }

  private options(kind: ChartKind, input: ChartInput, el: HTMLElement): uPlot.Options {
    const colors = this.colors();
    const fg = this.token('muted');
    const grid = this.token('grid');
    const font = `12px ${this.token('font')}`;
    const { labels, sweep } = input;
    const { lines, bands } = this.lines(kind, input);
    const series: uPlot.Series[] = [
      { label: kind === 'summary' ? labels.sweptValue : labels.epoch },
      ...lines.map(
        (l): uPlot.Series => ({
          label: l.label,
          stroke: withAlpha(l.color, l.alpha ?? 1),
          width: l.width,
          ...(l.dash ? { dash: l.dash } : {}),
          // the summary's gap is an order of magnitude below the loss: its own axis, on the right
          ...(l.role === 'gap' ? { scale: 'gap' } : {}),
          points: l.points ? { show: true, size: 8, fill: l.color } : l.width ? {} : { show: false },
        }),
      ),
    ];
    // uPlot numbers series from 1 (0 is x).
    const uBands: uPlot.Band[] = bands.map((b) => ({ series: [b.between[0] + 1, b.between[1] + 1], fill: withAlpha(b.color, b.alpha) }));
    const pct = (v: number) => `${+(v * 100).toFixed(1)}%`;
    const axis = (extra: uPlot.Axis = {}): uPlot.Axis => ({
      stroke: fg,
      font,
      labelFont: font,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
      ...extra,
    });
    const positions = sweep?.positions ?? [];
    const xAxis =
      kind === 'summary'
        ? // A tick at each swept value, labelled with it (a 0 on a log axis has its own tick at the left).
          axis({ label: labels.sweptValue, labelSize: 18, size: 34, splits: () => positions, values: () => sweep?.labels ?? [] })
        : axis({ label: labels.epoch, labelSize: 18, size: 34, incrs: [1, 2, 5, 10, 20, 50, 100] });
    const xScale: uPlot.Scale =
      kind === 'summary' ? { time: false, range: () => summaryRange(positions) } : { time: false, range: (_u, _min, max) => [1, Math.max(2, max ?? 2)] };
    return {
      ...this.size(kind, el),
      title: undefined,
      series,
      bands: uBands,
      cursor: kind === 'summary' ? { drag: { x: false, y: false } } : { sync: { key: this.syncKey }, drag: { x: false, y: false } },
      legend: { show: false },
      scales: {
        x: xScale,
        y:
          kind === 'loss' && input.logScale
            ? { distr: 3, log: 10 }
            : kind === 'accuracy'
              ? { range: (_u, min, max) => [Math.max(0, Math.floor((min ?? 0) * 20) / 20), Math.min(1, Math.ceil((max ?? 1) * 20) / 20 || 1)] }
              : {},
      },
      axes:
        kind === 'summary'
          ? [
              xAxis,
              axis({ size: fitLabels, label: labels.bestVal, labelSize: 18 }),
              axis({ scale: 'gap', side: 1, size: fitLabels, label: labels.gap, labelSize: 18, grid: { show: false } }),
            ]
          : [xAxis, axis(kind === 'accuracy' ? { size: fitLabels, values: (_u, splits) => splits.map(pct) } : { size: fitLabels })],
      hooks: {
        // under the grid and the curves: early stopping's patience windows
        drawClear: kind === 'loss' ? [(u) => this.drawPatience(u, colors)] : [],
        draw: [(u) => (kind === 'summary' ? this.drawHighlight(u) : this.drawMarkers(u, kind, colors))],
        setCursor: [(u) => this.tooltip(u, kind)],
        ready: kind === 'summary' ? [(u) => u.over.addEventListener('click', (e) => this.pick(u, e))] : [],
      },
    };
  }

  /** A click on the summary chart picks the swept value nearest the cursor. */
  private pick(u: uPlot, e: MouseEvent): void {
    const sweep = this.input().sweep;
    if (!sweep) return;
    const x = u.posToVal(e.clientX - u.over.getBoundingClientRect().left, 'x');
    let best = 0;
    sweep.positions.forEach((p, i) => {
      if (Math.abs(p - x) < Math.abs(sweep.positions[best] - x)) best = i;
    });
    sweep.onPick(best);
  }

  /** The highlighted value on the summary chart: a vertical line in its colour. */
  private drawHighlight(u: uPlot): void {
    const sweep = this.input().sweep;
    if (!sweep || sweep.highlight === null) return;
    const x = Math.round(u.valToPos(sweep.positions[sweep.highlight], 'x', true));
    const { top, height } = u.bbox;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = sweep.colors[sweep.highlight];
    ctx.lineWidth = 2 * uPlot.pxRatio;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    ctx.restore();
  }

  /** Early stopping on the loss chart, under the curves: each one-run model's patience window
   *  (best epoch to the stop, or to the latest epoch while it waits), faintly in its colour. */
  private drawPatience(u: uPlot, colors: string[]): void {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const drawn: { name: string; window: [number, number]; restored: null }[] = [];
    for (const m of this.input().models) {
      const window = earlyStoppingMarks(m)?.window;
      if (!window) continue;
      const [a, b] = window.map((e) => u.valToPos(e, 'x', true));
      const x0 = Math.max(left, Math.min(a, b));
      const x1 = Math.min(left + width, Math.max(a, b));
      if (!(x1 > x0)) continue;
      ctx.save();
      ctx.fillStyle = withAlpha(colors[m.index % colors.length], 0.1);
      ctx.fillRect(x0, top, x1 - x0, height);
      ctx.restore();
      drawn.push({ name: m.name, window, restored: null });
    }
    setMark(u, 'patience', earlyStoppingData(drawn).patience);
  }

  /** Early stopping's restored epoch of each one-run model: a solid line in its colour; on the
   *  loss chart labelled at the bottom (the best-epoch labels are at the top). */
  private drawRestored(u: uPlot, kind: ChartKind, colors: string[]): void {
    const input = this.input();
    const ctx = u.ctx;
    const px = uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    const drawn: { name: string; window: null; restored: number }[] = [];
    input.models.forEach((m, i) => {
      const restored = earlyStoppingMarks(m)?.restored ?? null;
      if (restored === null) return;
      const x = Math.round(u.valToPos(restored, 'x', true));
      if (x < left - 1 || x > left + width + 1) return;
      const color = colors[m.index % colors.length];
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = 2 * px;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      if (kind === 'loss') {
        const text = input.labels.restored;
        ctx.font = `${600} ${11 * px}px ${this.token('font')}`;
        const w = ctx.measureText(text).width;
        const right = x + 6 * px + w <= left + width;
        const ty = top + height - 17 * px - i * 14 * px;
        ctx.fillStyle = this.token('bg');
        ctx.globalAlpha = 0.85;
        ctx.fillRect(right ? x + 3 * px : x - 7 * px - w, ty - px, w + 4 * px, 13 * px);
        ctx.globalAlpha = 1;
        ctx.fillStyle = color;
        ctx.textAlign = right ? 'left' : 'right';
        ctx.textBaseline = 'top';
        ctx.fillText(text, right ? x + 5 * px : x - 5 * px, ty);
      }
      ctx.restore();
      drawn.push({ name: m.name, window: null, restored });
    });
    setMark(u, 'restored', earlyStoppingData(drawn).restored);
  }

  /** A dashed line at each model's best validation epoch; on the loss chart a dot and a label. */
  private drawMarkers(u: uPlot, kind: ChartKind, colors: string[]): void {
    this.drawRestored(u, kind, colors);
    const input = this.input();
    const ctx = u.ctx;
    const px = uPlot.pxRatio;
    const { left, top, width, height } = u.bbox;
    input.models.forEach((m, i) => {
      if (m.sweep) return; // the mean over every swept value has no best epoch to show
      const seen = m.history[`val_${m.lossMetric}`]?.length ?? 0;
      if (m.best === null || m.best >= seen) return; // a marker needs at least one epoch after the best
      const x = Math.round(u.valToPos(m.best, 'x', true));
      if (x < left - 1 || x > left + width + 1) return;
      const color = colors[m.index % colors.length];
      ctx.save();
      ctx.strokeStyle = color;
      ctx.lineWidth = px;
      ctx.setLineDash([3 * px, 3 * px]);
      ctx.beginPath();
      ctx.moveTo(x + 0.5, top);
      ctx.lineTo(x + 0.5, top + height);
      ctx.stroke();
      ctx.setLineDash([]);
      if (kind === 'loss') {
        const v = m.history[`val_${m.lossMetric}`]?.[m.best - 1];
        if (v !== undefined && Number.isFinite(v)) {
          const y = u.valToPos(v, 'y', true);
          ctx.fillStyle = color;
          ctx.strokeStyle = TOKENS.bg;
          ctx.lineWidth = 1.5 * px;
          ctx.beginPath();
          ctx.arc(x, y, 4.5 * px, 0, 2 * Math.PI);
          ctx.fill();
          ctx.stroke();
        }
        const text = m.overfitting ? input.labels.overfittingStartsHere : input.labels.bestVal;
        ctx.font = `${600} ${11 * px}px ${this.token('font')}`;
        ctx.fillStyle = color;
        const w = ctx.measureText(text).width;
        const right = x + 4 * px + w <= left + width;
        ctx.textAlign = right ? 'left' : 'right';
        ctx.textBaseline = 'top';
        const ty = top + 4 * px + i * 14 * px;
        ctx.fillStyle = this.token('bg');
        ctx.globalAlpha = 0.85;
        ctx.fillRect(right ? x + 2 * px : x - 6 * px - w, ty - px, w + 4 * px, 13 * px);
        ctx.globalAlpha = 1;
        ctx.fillStyle = color;
        ctx.fillText(text, right ? x + 4 * px : x - 4 * px, ty);
      }
      ctx.restore();
    });
  }

  /** Values under the cursor (shared by the curve charts), in a small box beside it. */
  private tooltip(u: uPlot, kind: ChartKind): void {
    const idx = u.cursor.idx;
    let tip = u.over.querySelector<HTMLElement>('.tip');
    if (idx === null || idx === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
      if (tip) tip.hidden = true;
      return;
    }
    if (!tip) {
      tip = document.createElement('div');
      tip.className = 'tip';
      tip.setAttribute('aria-hidden', 'true');
      u.over.append(tip);
    }
    const input = this.input();
    const fmt = (v: number | null | undefined) =>
      v === null || v === undefined ? '–' : kind === 'accuracy' ? `${(v * 100).toFixed(1)}%` : kind === 'weights' ? v.toFixed(1) : v.toFixed(4);
    // One row per model (per model and value in a sweep): its shown curves, not the band edges.
    const groups = new Map<string, { color: string; vals: string[] }>();
    this.lines(kind, input).lines.forEach((l: ChartLine, i) => {
      if (l.role === 'min' || l.role === 'max') return;
      const g = groups.get(l.group) ?? { color: l.color, vals: [] };
      g.vals.push(fmt(u.data[1 + i]?.[idx] as number | null));
      groups.set(l.group, g);
    });
    const rows = [...groups].map(([name, g]) => `<div><i></i><b>${escapeHtml(name)}</b> ${g.vals.join(' / ')}</div>`);
    const l = input.labels;
    const head =
      kind === 'summary'
        ? `${escapeHtml(l.sweptValue)} ${escapeHtml(input.sweep?.labels[idx] ?? '')} <span>(${escapeHtml(l.bestVal)} / ${escapeHtml(l.gap)})</span>`
        : `${escapeHtml(l.epoch)} ${u.data[0][idx]}${kind === 'weights' ? '' : ` <span>(${escapeHtml(l.training)} / ${escapeHtml(l.validation)})</span>`}`;
    tip.innerHTML = `<div class="tip-head">${head}</div>${rows.join('')}`;
    // Swatch colours through the CSSOM: a style attribute in the markup is dropped by a strict CSP.
    const colors = [...groups.values()].map((g) => g.color);
    tip.querySelectorAll<HTMLElement>(':scope > div > i').forEach((swatch, i) => (swatch.style.background = colors[i]));
    tip.hidden = false;
    const w = u.over.clientWidth;
    const left = u.cursor.left;
    tip.style.left = left > w / 2 ? '' : `${left + 12}px`;
    tip.style.right = left > w / 2 ? `${w - left + 12}px` : '';
  }

  /** The charts stacked into one PNG, with titles and a legend, on a white background. */
  async png(title: string): Promise<Blob> {
    const input = this.input();
    const colors = this.colors();
    const px = uPlot.pxRatio;
    const charts = CHART_KINDS.map((k) => [k, this.charts.get(k)] as const).filter((c): c is readonly [ChartKind, Chart] => !!c[1]);
    if (!charts.length) throw new Error('no charts to export');
    const pad = 12 * px;
    const head = 28 * px;
    const legendH = 24 * px;
    const widths = charts.map(([, c]) => c.u.ctx.canvas.width);
    const width = Math.max(...widths) + 2 * pad;
    const height = head + legendH + charts.reduce((s, [, c]) => s + c.u.ctx.canvas.height + 22 * px, 0) + pad;
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext('2d')!;
    const font = this.token('font');
    // Default (light) colours whatever the page's theme: the file is read outside the page.
    ctx.fillStyle = TOKENS.bg;
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = TOKENS.fg;
    ctx.textBaseline = 'middle';
    ctx.font = `600 ${15 * px}px ${font}`;
    ctx.fillText(title, pad, head / 2 + 4 * px);
    // Legend: one swatch per model, then the line styles.
    let x = pad;
    const y = head + legendH / 2;
    ctx.font = `${12 * px}px ${font}`;
    const swatch = (color: string, dash: number[], label: string) => {
      ctx.strokeStyle = color;
      ctx.lineWidth = 2 * px;
      ctx.setLineDash(dash.map((d) => d * px));
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x + 22 * px, y);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = TOKENS.fg;
      ctx.fillText(label, x + 26 * px, y);
      x += 26 * px + ctx.measureText(label).width + 16 * px;
    };
    if (input.sweep) input.sweep.labels.forEach((label, i) => swatch(input.sweep!.colors[i], [], label));
    else
      for (const m of input.models)
        swatch(
          m.pinned ? withAlpha(colors[m.index % colors.length], 0.45) : colors[m.index % colors.length],
          [],
          m.pinned ? `${m.pinned.run} · ${m.name}` : m.name,
        );
    swatch(TOKENS.muted, [], input.labels.training);
    swatch(TOKENS.muted, [6, 4], input.labels.validation);
    let top = head + legendH;
    for (const [kind, c] of charts) {
      ctx.fillStyle = TOKENS.fg;
      ctx.font = `600 ${13 * px}px ${font}`;
      ctx.fillText(input.labels.titles[kind], pad, top + 11 * px);
      top += 22 * px;
      ctx.drawImage(c.u.ctx.canvas, pad, top);
      top += c.u.ctx.canvas.height;
    }
    return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
  }
}

/** The summary's x range: the values' positions with half a step of room on each side. */
function summaryRange(positions: readonly number[]): [number, number] {
  if (!positions.length) return [0, 1];
  const lo = Math.min(...positions);
  const hi = Math.max(...positions);
  const pad = hi > lo ? (hi - lo) / (2 * Math.max(1, positions.length - 1)) : 0.5;
  return [lo - pad, hi + pad];
}

/** A mark on the chart's container (data-patience, data-restored); removed when empty. */
function setMark(u: uPlot, key: 'patience' | 'restored', value: string): void {
  const el = u.root.parentElement;
  if (!el) return;
  if (value) el.dataset[key] = value;
  else delete el.dataset[key];
}

/** What a chart drew, on its container for tests and scripts: lines, shaded bands, points with a
 *  value, and the pinned runs' models (data-pinned: "<run> · <model>" joined by " | "; absent: none). */
function markDrawn(el: HTMLElement, u: uPlot, data: uPlot.AlignedData, pinned: readonly string[]): void {
  el.dataset.lines = String(u.series.length - 1);
  if (pinned.length) el.dataset.pinned = pinned.join(' | ');
  else delete el.dataset.pinned;
  el.dataset.bands = String((u as uPlot & { bands?: uPlot.Band[] }).bands?.length ?? 0);
  el.dataset.points = String(data.slice(1).reduce((n, col) => n + (col as (number | null)[]).filter((v) => v !== null).length, 0));
}
