// A model's card in <overfit-lab>: a pure template of its ModelState.
import { html, nothing, type TemplateResult } from 'lit';
import type { LayerInfo } from '../../model/summary.ts';
import { layerInfo } from '../../model/summary.ts';
import type { Locale, Messages } from '../i18n.ts';
import { formatDuration, numberFormat } from '../i18n.ts';
import { colorClass } from '../tokens.ts';
import { cssProps } from './css-props.ts';
import type { ModelState } from './model-state.ts';
import { bestValEpoch, modelEta, modelRate, runEarlyStopping, stoppedEarly } from './model-state.ts';

export interface CardView {
  t: Messages;
  locale: Locale;
  /** No WebGPU: the card shows the model, not its progress. */
  unsupported: boolean;
  /** A run is in flight (an ETA makes sense). */
  running: boolean;
  /** "Export TF.js model" (the `keras` control): shown once the model's final weights are known. */
  onExportTfjs?: (m: ModelState) => void;
}

/** A model's key in a legend: its colour and name. */
export const modelKey = (m: { name: string; index: number }): TemplateResult =>
  html`<span class=${`key model ${colorClass(m.index)}`}><span class="line"></span>${m.name}</span>`;

/** A model's card: name and parameter counts, progress, test scores, error, Keras layer table. */
export function modelCard(m: ModelState, view: CardView): TemplateResult {
  const { t, locale } = view;
  const n = numberFormat(locale);
  const ce = m.lossMetric;
  const fx = (x: number) => n.fixed(x, 4);
  const layers = layerInfo(m.spec);
  return html`
    <article class=${`card ${colorClass(m.index)}`} part="card" data-model=${m.name} aria-labelledby=${`card-${m.name}`}>
      <header>
        <h3 id=${`card-${m.name}`}>${m.name}</h3>
        <span class="params">${t.card.params(n.int(m.params), n.int(m.trainableParams))}</span>
      </header>
      ${view.unsupported ? nothing : progress(m, view)}
      ${
        m.test
          ? html`<div class="scores" part="scores">
            <h4>${t.card.test}</h4>
            <dl class="metrics">
              ${metric(t.card.accuracy, m.test.accuracy, (x) => n.percent(x))} ${metric(t.card.crossEntropy, m.test[ce], fx)}
              ${m.test.loss !== undefined && Math.abs(m.test.loss - (m.test[ce] ?? m.test.loss)) > 1e-6 ? metric(t.card.loss, m.test.loss, fx) : nothing}
            </dl>
          </div>`
          : nothing
      }
      ${
        view.onExportTfjs && m.done && m.final
          ? html`<div class="take">
            <button class="small" part="button" data-action="export-tfjs" aria-label=${t.card.exportTfjsLabel(m.name)} aria-describedby=${`tfjs-hint-${m.index}`} @click=${() => view.onExportTfjs!(m)}>
              ${t.card.exportTfjs}
            </button>
            <span class="field-hint" id=${`tfjs-hint-${m.index}`}>${t.card.exportTfjsHint}</span>
          </div>`
          : nothing
      }
      ${m.error ? html`<p class="card-error">${m.errorKind === 'device-lost' ? t.deviceLost : m.errorKind === 'diverged' ? t.diverged(m.name) : t.modelFailed(m.name)}</p>` : nothing}
      <details class="layers" open>
        <summary>${t.card.layers}</summary>
        ${layerTable(t, layers, m.params, 'layer-table', n.int)}
      </details>
    </article>
  `;
}

/** Where early stopping stands, as the card's line says it; `state` names the case (the card's
 *  data-state): pending (no epoch yet), warmup (start_from_epoch), waiting, restored (stopped,
 *  best weights back), stopped (stopped, own weights kept), not-stopped (trained to the end or
 *  stopped by hand: the last epoch's weights), replicas / replicas-done (several replicas).
 *  Null without early stopping. */
export function earlyStoppingLine(m: ModelState, t: Messages): { state: string; text: string } | null {
  // a failed model's card says what failed; early stopping has nothing more to wait for
  if (!m.earlyStopping || m.error) return null;
  const es = t.card.es;
  const { settings } = m.earlyStopping;
  const trained = m.epochSeconds.length;
  if (m.replicas.length > 1) {
    const stopped = m.replicas.filter((r) => r.earlyStopping?.stopped_epoch != null).length;
    if (m.done) return { state: 'replicas-done', text: es.replicasDone(stopped, m.replicas.length) };
    if (!trained) return { state: 'pending', text: es.pending(settings.patience, settings.monitor) };
    return { state: 'replicas', text: es.replicas(stopped, m.replicas.length) };
  }
  const s = runEarlyStopping(m)!;
  if (s.stopped_epoch !== null)
    return s.restored_epoch !== null
      ? { state: 'restored', text: es.stopped(s.stopped_epoch, s.restored_epoch) }
      : { state: 'stopped', text: es.stoppedKept(s.stopped_epoch) };
  if (m.done) return { state: 'not-stopped', text: es.notStopped };
  if (!trained) return { state: 'pending', text: es.pending(settings.patience, settings.monitor) };
  if (s.best_epoch === null) return { state: 'warmup', text: es.warmup(settings.start_from_epoch + 1) };
  return { state: 'waiting', text: es.waiting(s.best_epoch, s.wait, settings.patience) };
}

/** The card's state word once a model no longer trains: stopped early, finished or stopped (by hand). */
export function finishedState(m: ModelState, t: Messages): string {
  return stoppedEarly(m) ? t.card.stoppedEarly : m.epochSeconds.length >= m.epochs ? t.card.finished : t.card.stopped;
}

/** The Keras summary table (`model.summary()`): each layer's name, output shape and parameters. */
export function layerTable(t: Messages, layers: LayerInfo[], total: number, part: string, int: (x: number) => string): TemplateResult {
  return html`<div class="table-wrap">
    <table part=${part}>
      <thead>
        <tr>
          <th scope="col">${t.card.layer}</th>
          <th scope="col">${t.card.outputShape}</th>
          <th scope="col" class="num">${t.card.paramCount}</th>
        </tr>
      </thead>
      <tbody>
        ${layers.map(
          (l) => html`<tr>
            <td>${l.name} (${l.type})</td>
            <td>(None, ${l.outputShape.join(', ')})</td>
            <td class="num">${int(l.params)}</td>
          </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr>
          <td colspan="2">${t.card.total}</td>
          <td class="num">${int(total)}</td>
        </tr>
      </tfoot>
    </table>
  </div>`;
}

/** A card's progress bar, epoch counter, speed, ETA and last epoch's metrics. */
function progress(m: ModelState, { t, locale, running }: CardView): TemplateResult {
  const n = numberFormat(locale);
  const done = m.epochSeconds.length;
  const pct = Math.min(100, (100 * done) / Math.max(1, m.epochs));
  const rate = modelRate(m);
  const eta = modelEta(m, running);
  const last = (k: string) => m.history[k]?.[done - 1];
  const ce = m.lossMetric;
  const best = bestValEpoch(m);
  const fx = (x: number) => n.fixed(x, 4);
  const early = stoppedEarly(m);
  const ended = (m.done && !m.error) || early;
  const es = earlyStoppingLine(m, t);
  const epochText = t.card.epoch(done, m.epochs);
  return html`
    <div
      class=${early ? 'progress early' : 'progress'}
      part="progress"
      role="progressbar"
      aria-label=${t.card.progress(m.name)}
      aria-valuemin="0"
      aria-valuemax=${m.epochs}
      aria-valuenow=${done}
      aria-valuetext=${early ? `${epochText}, ${t.card.stoppedEarly}` : epochText}
    >
      <div ${cssProps({ width: `${pct}%` })}></div>
    </div>
    <div class="meta">
      <span class="epoch">${epochText}</span>
      ${rate !== null ? html`<span class="rate">${t.card.rate(n.rate(rate))}</span>` : nothing}
      ${
        eta !== null
          ? html`<span class="eta">${t.card.eta(formatDuration(t, locale, eta))}</span>`
          : ended
            ? html`<span class="state" data-state=${early ? 'stopped-early' : done >= m.epochs ? 'finished' : 'stopped'}>${finishedState(m, t)}</span>`
            : nothing
      }
      ${best !== null ? html`<span class="best">${t.card.bestEpoch(best)}</span>` : nothing}
    </div>
    ${es ? html`<p class="early-stopping" data-state=${es.state}>${es.text}</p>` : nothing}
    <dl class="metrics" aria-label=${t.card.latest}>
      ${metric(t.card.loss, last(ce), fx)} ${metric(t.card.valLoss, last(`val_${ce}`), fx)}
      ${metric(t.card.accuracy, last('accuracy'), (x) => n.percent(x))} ${metric(t.card.valAccuracy, last('val_accuracy'), (x) => n.percent(x))}
      ${done ? metric(t.card.gap, last(`val_${ce}`)! - last(ce)!, (x) => (x >= 0 ? '+' : '') + n.fixed(x, 4)) : nothing}
    </dl>
  `;
}

function metric(label: string, v: number | undefined, f: (x: number) => string): TemplateResult {
  return html`<div><dt>${label}</dt><dd>${v === undefined || Number.isNaN(v) ? '–' : f(v)}</dd></div>`;
}
