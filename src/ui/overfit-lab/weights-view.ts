// <overfit-lab>'s Weights view: an epoch scrubber with Play, what this run measured, the share of
// kernel weights near zero over epochs, the first layers overlaid (regularization), per model one
// |w| histogram per kernel tensor and its dead ReLU units, and on IMDB the words by weight norm.
// A pure template: the numbers come from weights-data.ts, the epoch from the EpochPlayer. Plain
// SVG drawn by Lit: no canvas, no style attributes (colours are classes, sizes SVG attributes, so
// a strict CSP keeps them), and every figure is text for a screen reader.
import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { Locale, Messages } from '../i18n.ts';
import { numberFormat } from '../i18n.ts';
import { colorClass } from '../tokens.ts';
import { modelKey } from './model-card.ts';
import type { Bar, FirstLayer, Histogram, WeightsModel } from './weights-data.ts';
import {
  DECADES,
  deadUnitsAt,
  epochTicks,
  firstLayers,
  formatMagnitude,
  modelEpoch,
  modelHistograms,
  NEAR_ZERO_SLOT,
  nearZeroSeries,
  overlayPeak,
  SLOTS,
  shareAxis,
  wordsPeak,
  wordsSummary,
} from './weights-data.ts';

export interface WeightsViewModel extends WeightsModel {
  /** Training has ended (its words, on IMDB, are there). */
  done: boolean;
}

export interface WeightsView {
  t: Messages;
  locale: Locale;
  experiment: string;
  models: readonly WeightsViewModel[];
  /** The data set has words (IMDB): show word importance. */
  words: boolean;
  /** A run is in flight (before its first epoch: "appear when the first epoch ends"). */
  active: boolean;
  /** The shown epoch (1-based) and how many there are; 0: none yet. */
  epoch: number;
  count: number;
  playing: boolean;
  onPick: (epoch: number) => void;
  onPlay: () => void;
}

/** The experiment whose models differ only in their penalty: its first layers are overlaid. */
const OVERLAY_EXPERIMENT = 'regularization';

export function weightsView(v: WeightsView): TemplateResult {
  const { t } = v;
  if (!v.count) return html`<p class="weights-empty" part="weights-empty">${v.active ? t.weights.waiting : t.weights.empty}</p>`;
  const layers = firstLayers(v.models, v.epoch);
  const overlay = v.experiment === OVERLAY_EXPERIMENT && layers.length > 1;
  return html`
    <section class="weights" part="weights" aria-labelledby="weights-title" data-epoch=${v.epoch}>
      <h3 id="weights-title" class="visually-hidden">${t.weights.title}</h3>
      ${scrubber(v)} ${explanation(v, layers)}
      <div class="weights-charts">${nearZeroChart(v)} ${overlay ? overlayChart(v, layers) : nothing}</div>
      <div class="weights-models">${v.models.map((m) => modelColumn(v, m))}</div>
      ${v.models.some((m) => deadUnitsAt(m, v.epoch).length) ? html`<p class="note">${t.weights.deadNote}</p>` : nothing}
      ${v.words ? wordsSection(v) : nothing}
    </section>
  `;
}

function scrubber(v: WeightsView): TemplateResult {
  const w = v.t.weights;
  const label = w.epoch(v.epoch, v.count);
  return html`<div class="scrubber" part="weights-scrubber">
    <button class="small" part="button" data-action="play-epochs" aria-disabled=${v.count < 2} @click=${() => v.count > 1 && v.onPlay()}>
      ${v.playing ? w.pause : w.play}
    </button>
    <label class="range">
      <span class="epoch-label" data-epoch=${v.epoch}>${label}</span>
      <input
        name="weights-epoch"
        type="range"
        min="1"
        max=${v.count}
        step="1"
        .value=${String(v.epoch)}
        aria-label=${w.scrubber}
        aria-valuetext=${label}
        @input=${(e: Event) => v.onPick((e.target as HTMLInputElement).valueAsNumber)}
      />
    </label>
  </div>`;
}

/** What this run measured (from its data) and the course's theory in a sentence or two. */
function explanation(v: WeightsView, layers: FirstLayer[]): TemplateResult {
  const { t, locale } = v;
  const pct = numberFormat(locale).percent;
  const items = layers.map((l) => ({ name: l.name, share: pct(l.histogram.share), epoch: l.epoch }));
  return html`<div class="weights-explain" part="weights-explanation">
    ${items.length ? html`<p class="measured">${t.weights.measured(v.epoch, items)}</p>` : nothing}
    <p>${v.experiment === OVERLAY_EXPERIMENT ? t.weights.theory.regularization : t.weights.theory.other}</p>
    <p class="reading">${t.weights.reading}</p>
  </div>`;
}

// ---- the near-zero share over epochs: one line per model ----

const LINE = { w: 400, h: 170, l: 36, r: 10, t: 10, b: 28 };

function nearZeroChart(v: WeightsView): TemplateResult {
  const { t, locale } = v;
  const pct = numberFormat(locale).percent;
  const last = Math.max(2, v.count);
  const pw = LINE.w - LINE.l - LINE.r;
  const ph = LINE.h - LINE.t - LINE.b;
  const x = (e: number) => LINE.l + ((e - 1) / (last - 1)) * pw;
  const series = v.models.map((m) => ({ m, values: nearZeroSeries(m.weights) })).filter((s) => s.values.length);
  const scale = shareAxis(Math.max(0, ...series.flatMap((s) => s.values)));
  const y = (share: number) => LINE.t + (1 - share / scale.top) * ph;
  const summary = series.map((s) => t.weights.nearZeroItem(s.m.name, pct(s.values[0]), pct(s.values[s.values.length - 1]), s.values.length));
  return html`<figure class="wchart" part="weights-near-zero">
    <figcaption id="cap-near-zero">${t.weights.nearZeroTitle}</figcaption>
    <div class="legend">${v.models.map(modelKey)}</div>
    <svg
      viewBox=${`0 0 ${LINE.w} ${LINE.h}`}
      data-top=${scale.top}
      role="img"
      aria-labelledby="cap-near-zero"
      aria-describedby="desc-near-zero"
      data-points=${series.reduce((n, s) => n + s.values.length, 0)}
    >
      <desc id="desc-near-zero">${t.weights.nearZeroLabel(summary)}</desc>
      ${scale.ticks.map(
        (s) => svg`<line class="grid" x1=${LINE.l} x2=${LINE.w - LINE.r} y1=${y(s)} y2=${y(s)}></line>
          <text class="tick" x=${LINE.l - 4} y=${y(s) + 3} text-anchor="end">${pct(s, scale.digits)}</text>`,
      )}
      ${epochTicks(last).map((e) => svg`<text class="tick" x=${x(e)} y=${LINE.h - LINE.b + 12} text-anchor="middle">${e}</text>`)}
      <text class="axis-title" x=${LINE.l + pw / 2} y=${LINE.h - 3} text-anchor="middle">${t.charts.epoch}</text>
      <line class="cursor" x1=${x(v.epoch)} x2=${x(v.epoch)} y1=${LINE.t} y2=${LINE.t + ph}></line>
      ${series.map(
        ({ m, values }) => svg`<g class=${`series ${colorClass(m.index)}`} data-model=${m.name} data-values=${values.join(',')}>
          <polyline points=${values.map((s, i) => `${x(i + 1)},${y(s)}`).join(' ')}></polyline>
          ${values.map((s, i) => svg`<circle cx=${x(i + 1)} cy=${y(s)} r="2.5"><title>${m.name} · ${t.charts.epoch} ${i + 1}: ${pct(s)}</title></circle>`)}
        </g>`,
      )}
    </svg>
  </figure>`;
}

// ---- histograms on the log |w| axis ----

interface Frame {
  w: number;
  h: number;
  l: number;
  r: number;
  t: number;
  b: number;
}

const SMALL: Frame = { w: 240, h: 92, l: 4, r: 4, t: 6, b: 16 };
const WIDE: Frame = { w: 400, h: 170, l: 10, r: 10, t: 10, b: 28 };

const slotX = (f: Frame, slot: number) => f.l + (slot * (f.w - f.l - f.r)) / SLOTS;
const plotH = (f: Frame) => f.h - f.t - f.b;
const base = (f: Frame) => f.t + plotH(f);

const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** 10^exp as a tick label: 10⁻⁶ … 0.1 written as powers, then 1 and 10. */
const decade = (exp: number) => (exp === 0 ? '1' : exp === 1 ? '10' : `10${exp < 0 ? '⁻' : ''}${[...String(Math.abs(exp))].map((d) => SUP[+d]).join('')}`);

/** The axis: decade ticks (when `sparse`, only the odd ones labelled: 10⁻³ is, and 10⁻⁶ would
 *  touch the "0" under the zeros' bar) and the dashed line at 1e-3. */
function axis(f: Frame, sparse: boolean): SVGTemplateResult {
  const y = base(f);
  return svg`<line class="baseline" x1=${f.l} x2=${f.w - f.r} y1=${y} y2=${y}></line>
    ${DECADES.map(
      (d) => svg`<line class="grid" x1=${slotX(f, d.slot)} x2=${slotX(f, d.slot)} y1=${f.t} y2=${y + 3}></line>
        ${!sparse || d.exp % 2 !== 0 ? svg`<text class="tick" x=${slotX(f, d.slot)} y=${y + 12} text-anchor="middle">${decade(d.exp)}</text>` : nothing}`,
    )}
    <text class="tick" x=${slotX(f, 0.5)} y=${y + 12} text-anchor="middle">0</text>
    <line class="marker" x1=${slotX(f, NEAR_ZERO_SLOT)} x2=${slotX(f, NEAR_ZERO_SLOT)} y1=${f.t} y2=${y}></line>`;
}

/** A bar's height for `value` of `peak`; a non-empty bar at least a sliver, so it shows. */
const barH = (f: Frame, value: number, peak: number) => (value > 0 ? Math.max(1, (value / peak) * plotH(f)) : 0);

function bars(f: Frame, h: Histogram): SVGTemplateResult[] {
  return h.bars
    .filter((b) => b.count > 0)
    .map((b) => {
      const bh = barH(f, b.count, h.peak);
      return svg`<rect class=${b.kind === 'zero' ? 'bar zero' : 'bar'} x=${slotX(f, b.slot)} y=${base(f) - bh} width=${slotX(f, b.slot + 1) - slotX(f, b.slot)} height=${bh}></rect>`;
    });
}

/** The median bar's |w| range as words. */
function medianText(t: Messages, b: Bar): string {
  if (b.kind === 'zero') return '0';
  return t.weights.range(formatMagnitude(b.lo), b.hi === Infinity ? '∞' : formatMagnitude(b.hi));
}

function histogramFigure(v: WeightsView, m: WeightsModel, h: Histogram, epoch: number): TemplateResult {
  const { t, locale } = v;
  const n = numberFormat(locale);
  const share = n.percent(h.share);
  const max = formatMagnitude(h.maxAbs);
  const label = t.weights.histogramLabel(h.tensor, epoch, n.int(h.size), share, n.int(h.zeros), medianText(t, h.median), max);
  return html`<figure
    class="hist"
    part="histogram"
    data-model=${m.name}
    data-tensor=${h.tensor}
    data-epoch=${epoch}
    data-size=${h.size}
    data-near-zero=${h.nearZero}
    data-counts=${h.bars.map((b) => b.count).join(',')}
  >
    <figcaption><span class="tensor">${h.tensor}</span> · ${t.weights.size(n.int(h.size))}</figcaption>
    <svg viewBox=${`0 0 ${SMALL.w} ${SMALL.h}`} role="img" aria-label=${label}>${axis(SMALL, true)} ${bars(SMALL, h)}</svg>
    <p class="hist-stats"><span class="near-zero">${t.weights.nearZero(share)}</span> · <span class="max-abs">${t.weights.maxAbs(max)}</span></p>
  </figure>`;
}

/** A model: its name (and its epoch when not the picked one), dead ReLU units, one histogram per
 *  kernel tensor. */
function modelColumn(v: WeightsView, m: WeightsModel): TemplateResult {
  const { t } = v;
  const e = modelEpoch(m, v.epoch);
  const dead = deadUnitsAt(m, v.epoch);
  return html`<section class=${`wmodel ${colorClass(m.index)}`} part="weights-model" data-model=${m.name} data-epoch=${e} aria-labelledby=${`wm-${m.name}`}>
    <h4 id=${`wm-${m.name}`}><span class="line"></span>${m.name} ${e && e !== v.epoch ? html`<span class="wepoch">${t.weights.modelEpoch(e)}</span>` : nothing}</h4>
    ${
      dead.length
        ? html`<p class="dead" data-dead=${dead.map((d) => `${d.layer}:${d.dead}/${d.units}`).join(' ')}>
          ${t.weights.dead}: ${dead.map((d) => t.weights.deadItem(d.layer, d.dead, d.units)).join(' · ')}
        </p>`
        : nothing
    }
    ${modelHistograms(m, v.epoch).map((h) => histogramFigure(v, m, h, e))}
  </section>`;
}

// ---- the first layers overlaid ----

function overlayChart(v: WeightsView, layers: FirstLayer[]): TemplateResult {
  const { t, locale } = v;
  const pct = numberFormat(locale).percent;
  const f = WIDE;
  const peak = overlayPeak(layers) || 1;
  const y = (share: number) => base(f) - barH(f, share, peak);
  const ordered = [...layers].sort((a, b) => a.index - b.index);
  const zeroW = (slotX(f, 1) - slotX(f, 0)) / ordered.length;
  const items = ordered.map((l) => t.weights.overlayItem(l.name, pct(l.histogram.share), medianText(t, l.histogram.median)));
  return html`<figure class="wchart" part="weights-overlay" data-models=${ordered.map((l) => l.name).join(',')} data-epoch=${v.epoch}>
    <figcaption id="cap-overlay">${t.weights.overlayTitle}</figcaption>
    <div class="legend">${ordered.map(modelKey)}</div>
    <svg viewBox=${`0 0 ${f.w} ${f.h}`} role="img" aria-labelledby="cap-overlay" aria-describedby="desc-overlay">
      <desc id="desc-overlay">${t.weights.overlayLabel(v.epoch, items)}</desc>
      ${axis(f, false)}
      ${ordered.map((l, i) => {
        const h = l.histogram;
        const share = (c: number) => c / Math.max(1, h.size);
        const steps = h.bars
          .filter((b) => b.kind !== 'zero')
          .flatMap((b) => [`${slotX(f, b.slot)},${y(share(b.count))}`, `${slotX(f, b.slot + 1)},${y(share(b.count))}`]);
        const from = slotX(f, h.bars[1].slot);
        const to = slotX(f, h.bars[h.bars.length - 1].slot + 1);
        const zh = base(f) - y(share(h.zeros));
        return svg`<g class=${`series ${colorClass(l.index)}`} data-model=${l.name}>
          <path class="area" d=${`M${from},${base(f)} L${steps.join(' L')} L${to},${base(f)} Z`}></path>
          ${zh > 0 ? svg`<rect class="bar zero" x=${slotX(f, 0) + i * zeroW} y=${base(f) - zh} width=${zeroW} height=${zh}></rect>` : nothing}
        </g>`;
      })}
    </svg>
  </figure>`;
}

// ---- word importance (IMDB) ----

function wordsSection(v: WeightsView): TemplateResult {
  const { t } = v;
  const peak = wordsPeak(v.models) || 1;
  return html`<section class="words" part="words" aria-labelledby="words-title">
    <h4 id="words-title">${t.weights.words}</h4>
    <p class="note">${t.weights.wordsIntro}</p>
    <div class="weights-models">${v.models.map((m) => wordsColumn(v, m, peak))}</div>
  </section>`;
}

function wordsColumn(v: WeightsView, m: WeightsViewModel, peak: number): TemplateResult | typeof nothing {
  const { t } = v;
  const w = t.weights;
  if (!m.words) {
    // done without words: it failed before the end; nothing to rank
    return m.done
      ? nothing
      : html`<div class=${`wmodel ${colorClass(m.index)}`} data-model=${m.name}><h5><span class="line"></span>${m.name}</h5><p class="note">${w.wordsPending}</p></div>`;
  }
  const s = wordsSummary(m.words);
  const shown = 40;
  return html`<figure class=${`wmodel wordlist ${colorClass(m.index)}`} data-model=${m.name}>
    <figcaption><span class="line"></span>${w.wordsTop(m.name)}</figcaption>
    <ol>
      ${s.top.map(
        (x) => html`<li data-word=${x.word} data-norm=${x.norm}>
          <span class="word">${x.word}</span>
          <svg class="wbar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
            <rect class="track" width="100" height="8"></rect><rect class="bar" width=${(100 * x.norm) / peak} height="8"></rect>
          </svg>
          <span class="norm">${formatMagnitude(x.norm)}</span>
        </li>`,
      )}
    </ol>
    <p class="words-count" data-below-1e3=${s.below1e3} data-below-1e2=${s.below1e2}>${w.wordsCount(s.below1e3, s.below1e2, s.total)}</p>
    ${
      s.dropped.length
        ? html`<p class="note dropped">${w.wordsDropped(
            s.dropped
              .slice(0, shown)
              .map((x) => x.word)
              .join(', ') + (s.dropped.length > shown ? ', …' : ''),
          )}</p>`
        : nothing
    }
  </figure>`;
}
