// The "Saved runs" panel of <overfit-lab> (the `runs` control): a pure template of the runs list
// and the last outcome. Per run its name, date, experiment, seeds, adapter and each model's test
// cross-entropy; Pin / Unpin, Rename (inline: Enter saves, Escape cancels), Export and Delete (with
// a confirmation); for the list Export all, Import (a JSON file) and Delete all. The element owns
// the state (RunsController) and gets each action back.
import { html, nothing, type TemplateResult } from 'lit';
import type { Locale, Messages } from '../i18n.ts';
import { experimentText, numberFormat } from '../i18n.ts';
import type { SavedRunSummary } from './run-store.ts';
import type { RunsMessage } from './runs-controller.ts';
import { colorClass } from '../tokens.ts';
import { adapterText, seedsText, testCrossEntropy } from './runs.ts';

export interface RunsView {
  t: Messages;
  locale: Locale;
  open: boolean;
  list: SavedRunSummary[] | null;
  pinned: ReadonlySet<string>;
  renaming: string | null;
  confirming: string | null;
  message: RunsMessage | null;
  onToggle(open: boolean): void;
  onPin(id: string): void;
  onRename(id: string | null): void;
  onRenamed(id: string, name: string): void;
  onExport(id?: string): void;
  onImport(file: File): void;
  onConfirm(id: string | null): void;
  onDelete(id: string): void;
  onDeleteAll(): void;
}

/** The last outcome in words (and whether it is an error). */
export function runsMessageText(t: Messages, m: RunsMessage | null): { ok: boolean; lines: string[] } | null {
  const r = t.runs;
  if (!m) return null;
  switch (m.kind) {
    case 'saved':
      return { ok: true, lines: [r.saved(m.name)] };
    case 'renamed':
      return { ok: true, lines: [r.renamed(m.name)] };
    case 'deleted':
      return { ok: true, lines: [r.deleted(m.name)] };
    case 'deleted-all':
      return { ok: true, lines: [r.deletedAll] };
    case 'exported':
      return { ok: true, lines: [r.exported(m.file)] };
    case 'imported':
      return { ok: m.skipped.length === 0, lines: [r.imported(m.count), ...m.skipped.map((s) => r.skipped(s.index, s.reason))] };
    case 'error':
      return { ok: false, lines: [r.error(m.code, m.message)] };
  }
}

export function runsPanel(v: RunsView): TemplateResult {
  const { t } = v;
  const r = t.runs;
  const toggle = (ev: Event) => v.onToggle((ev.target as HTMLDetailsElement).open);
  const msg = runsMessageText(t, v.message);
  const list = v.list;
  const lines = msg ? msg.lines.map((l, i) => (i ? html`<br />${l}` : l)) : '';
  const status = html`<p class="runs-status" aria-live="polite" aria-atomic="true" data-ok=${msg ? String(msg.ok) : nothing}>${lines}</p>`;
  return html`<details class="runs" part="runs" ?open=${v.open} @toggle=${toggle}>
    <summary data-action="runs">${r.title}${list?.length ? html` <span class="count">(${list.length})</span>` : nothing}</summary>
    <p class="field-hint">${r.hint}</p>
    ${status}
    ${
      list === null
        ? v.message?.kind === 'error'
          ? nothing // the store could not be read: the status says why
          : html`<p class="field-hint">${r.loading}</p>`
        : list.length === 0
          ? html`<p class="runs-empty">${r.empty}</p>`
          : html`<ul class="runs-list" aria-label=${r.listLabel}>
              ${list.map((run) => runItem(v, run))}
            </ul>`
    }
    <div class="edit-row runs-actions">
      <button class="small" part="button" data-action="runs-export-all" aria-disabled=${!list?.length} @click=${() => list?.length && v.onExport()}>${r.exportAll}</button>
      <label class="field runs-import"
        >${r.import}
        <input
          type="file"
          name="runs-import"
          accept="application/json,.json"
          @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            if (file) v.onImport(file);
            input.value = '';
          }}
      /></label>
      ${
        v.confirming === '*'
          ? confirmRow(v, r.confirmDeleteAll(list?.length ?? 0), () => v.onDeleteAll(), 'delete-all')
          : html`<button class="small" part="button" data-action="runs-delete-all" aria-disabled=${!list?.length} @click=${() => list?.length && v.onConfirm('*')}>
              ${r.deleteAll}
            </button>`
      }
    </div>
  </details>`;
}

function confirmRow(v: RunsView, question: string, yes: () => void, id: string): TemplateResult {
  const r = v.t.runs;
  return html`<span class="confirm" role="group" aria-labelledby=${`confirm-${id}`}>
    <span id=${`confirm-${id}`}>${question}</span>
    <button class="small danger" part="button" data-action="confirm-delete" @click=${yes}>${r.yesDelete}</button>
    <button class="small" part="button" data-action="cancel-delete" @click=${() => v.onConfirm(null)}>${r.cancel}</button>
  </span>`;
}

function runItem(v: RunsView, run: SavedRunSummary): TemplateResult {
  const { t, locale } = v;
  const r = t.runs;
  const n = numberFormat(locale);
  const date = new Intl.DateTimeFormat(locale === 'ko' ? 'ko-KR' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(run.savedAt));
  const seeds = seedsText(run);
  const pinned = v.pinned.has(run.id);
  const nameId = `run-name-${run.id}`;
  const name =
    v.renaming === run.id
      ? html`<input
          class="rename"
          name="run-name"
          type="text"
          aria-label=${r.nameField}
          .value=${run.name}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              v.onRenamed(run.id, (e.target as HTMLInputElement).value);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              v.onRename(null);
            }
          }}
        />`
      : html`<strong class="run-name" id=${nameId}>${run.name}</strong>`;
  const meta = [
    date,
    experimentText(t, run.experiment.id).short,
    run.seeds && run.seeds.length > 1 ? r.seeds(seeds) : r.seed(seeds),
    adapterText(run.adapter),
    ...(run.stopped ? [r.stopped] : []),
  ];
  return html`<li class="run" data-run=${run.id} data-pinned=${String(pinned)}>
    <div class="run-head">${name}</div>
    <p class="run-meta">${meta.join(' · ')}</p>
    <p class="run-models">
      <span class="group-label">${r.testCe}:</span>
      ${run.models.map((m, i) => {
        const ce = testCrossEntropy(m);
        return html`<span class=${`run-model ${colorClass(i)}`}><span class="swatch"></span>${m.name} ${ce === null ? r.noTest : n.fixed(ce, 4)}</span>`;
      })}
    </p>
    <div class="edit-row run-actions">
      <button class="small" part="button" data-action="pin" aria-pressed=${String(pinned)} aria-label=${r.pinLabel(run.name)} @click=${() => v.onPin(run.id)}>
        ${pinned ? r.unpin : r.pin}
      </button>
      <button class="small" part="button" data-action="rename" aria-label=${r.renameLabel(run.name)} @click=${() => v.onRename(run.id)}>${r.rename}</button>
      <button class="small" part="button" data-action="export-run" aria-label=${r.exportOneLabel(run.name)} @click=${() => v.onExport(run.id)}>${r.exportOne}</button>
      ${
        v.confirming === run.id
          ? confirmRow(v, r.confirmDelete(run.name), () => v.onDelete(run.id), run.id)
          : html`<button class="small" part="button" data-action="delete-run" aria-label=${r.deleteLabel(run.name)} @click=${() => v.onConfirm(run.id)}>${r.delete}</button>`
      }
    </div>
  </li>`;
}
