// The model editor of <overfit-lab> (the `edit` control): a pure template of a draft and its
// check (edit-model.ts). Per model its layers (Dense units, activation, L1 / L2, BatchNormalization
// after it; Dropout rate), name, duplicate and remove, its Keras summary; per run the epochs,
// seed, learning rate, batch size and training rows. Every field says what is wrong with it,
// beside it (aria-invalid, aria-describedby). The element owns the state and gets each edit back.
import { html, nothing, type TemplateResult } from 'lit';
import type { Locale, Messages } from '../i18n.ts';
import { numberFormat } from '../i18n.ts';
import { colorClass } from '../tokens.ts';
import { layerTable } from './model-card.ts';
import type { Draft, DraftCheck, DraftLayer, DraftModel, LayerField } from './edit-model.ts';
import {
  addLayer,
  addModel,
  duplicateModel,
  EDIT_ACTIVATIONS,
  hasBatchNorm,
  MAX_MODELS,
  removeLayer,
  removeModel,
  renameModel,
  setLayerField,
  setRunText,
  toggleBatchNorm,
} from './edit-model.ts';

/** The run fields that are the element's own settings (seed, epochs, training rows). */
export type ElementRunField = 'epochs' | 'seed' | 'trainLimit';

export interface EditorView {
  t: Messages;
  locale: Locale;
  draft: Draft;
  check: DraftCheck;
  /** The element's run fields as shown (typed text, or its setting). */
  run: Record<ElementRunField, string>;
  /** The epochs field's placeholder (each model's own epochs). */
  epochsPlaceholder: string;
  /** A run is in flight: everything is locked. */
  active: boolean;
  /** The editor is open (closed, only its summary line is there). */
  open: boolean;
  onToggle(open: boolean): void;
  onEdit(next: Draft): void;
  onRunField(field: ElementRunField, text: string): void;
  onPreset(): void;
  /** "Import a Keras model": the outcome of the last import (null: none yet), and the two ways in. */
  importMessage: { ok: boolean; text: string } | null;
  onImport(json: string): void;
}

interface FieldOptions {
  id: string;
  name: string;
  label: string;
  value: string;
  error: string | undefined;
  onInput: (text: string) => void;
  placeholder?: string;
  mode?: 'numeric' | 'decimal' | 'text';
  wide?: boolean;
}

/** A labelled text field with its message beside it. */
function field(t: Messages, o: FieldOptions): TemplateResult {
  const err = o.error ? `${o.id}-error` : null;
  return html`<span class=${o.wide ? 'edit-field wide' : 'edit-field'}>
    <label class="field"
      >${o.label}
      <input
        id=${o.id}
        name=${o.name}
        type="text"
        inputmode=${o.mode ?? 'decimal'}
        spellcheck="false"
        autocomplete="off"
        placeholder=${o.placeholder ?? nothing}
        .value=${o.value}
        aria-invalid=${o.error ? 'true' : 'false'}
        aria-describedby=${err ?? nothing}
        @input=${(e: Event) => o.onInput((e.target as HTMLInputElement).value)}
      />
    </label>
    ${o.error ? html`<span class="field-error" id=${err!} data-error-for=${o.name}>${t.edit.invalid(o.error)}</span>` : nothing}
  </span>`;
}

/** The whole editor. */
export function editor(v: EditorView): TemplateResult {
  const { t, draft } = v;
  const e = t.edit;
  const full = draft.models.length >= MAX_MODELS;
  const toggle = (ev: Event) => v.onToggle((ev.target as HTMLDetailsElement).open);
  if (!v.open)
    return html`<details class="editor" part="editor" @toggle=${toggle}>
      <summary data-action="edit">${e.title}</summary>
    </details>`;
  return html`<details class="editor" part="editor" open @toggle=${toggle}>
    <summary data-action="edit">${e.title}</summary>
    ${v.active ? html`<p class="field-hint">${e.whileRunning}</p>` : nothing}
    <fieldset class="edit-body" ?disabled=${v.active}>
      ${runFields(v)}
      <div class="edit-models">${draft.models.map((m, mi) => modelEditor(v, m, mi))}</div>
      <div class="edit-actions">
        <button part="button" data-action="add-model" aria-disabled=${full} aria-describedby=${full ? 'edit-max' : nothing} @click=${() => !full && v.onEdit(addModel(draft))}>
          ${e.addModel}
        </button>
        ${full ? html`<span class="field-hint" id="edit-max">${e.maxModels(MAX_MODELS)}</span>` : nothing}
        <button part="button" data-action="preset" @click=${v.onPreset}>${e.preset}</button>
      </div>
      ${importer(v)}
    </fieldset>
  </details>`;
}

/** A Keras model.json (a file, or pasted model.to_json()) as a new model; the outcome beside it. */
function importer(v: EditorView): TemplateResult {
  const e = v.t.edit;
  const msg = v.importMessage;
  const onFile = async (ev: Event) => {
    const input = ev.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    input.value = ''; // the same file again is a new import
    v.onImport(text);
  };
  const onPaste = (ev: Event) => {
    const box = (ev.currentTarget as HTMLElement).closest('.edit-import')?.querySelector('textarea');
    if (box?.value.trim()) v.onImport(box.value);
  };
  return html`<fieldset class="edit-import" data-edit="import" aria-describedby="import-hint">
    <legend>${e.importTitle}</legend>
    <p class="field-hint" id="import-hint">${e.importHint}</p>
    <div class="edit-row">
      <label class="field"
        >${e.importFile}
        <input type="file" name="import-file" accept=".json,application/json" aria-describedby="import-message" @change=${onFile} />
      </label>
      <label class="field wide"
        >${e.importPaste}
        <textarea name="import-json" rows="2" spellcheck="false" autocomplete="off" aria-describedby="import-message"></textarea>
      </label>
      <button part="button" class="small" data-action="import-paste" @click=${onPaste}>${e.importButton}</button>
    </div>
    <p class=${msg && !msg.ok ? 'field-error import-message' : 'field-hint import-message'} id="import-message" role="status" aria-live="polite" data-ok=${msg ? String(msg.ok) : nothing}>
      ${msg?.text ?? ''}
    </p>
  </fieldset>`;
}

function runFields(v: EditorView): TemplateResult {
  const { t, draft, check } = v;
  const e = t.edit;
  const own = (f: ElementRunField, label: string, placeholder?: string) =>
    field(t, {
      id: `edit-run-${f}`,
      name: f,
      label,
      value: v.run[f],
      error: check.run.get(f),
      placeholder,
      mode: 'numeric',
      onInput: (x) => v.onRunField(f, x),
    });
  return html`<fieldset class="edit-run" data-edit="run">
    <legend>${e.run}</legend>
    ${own('epochs', t.epochs, v.epochsPlaceholder)} ${own('seed', t.seed)}
    ${field(t, {
      id: 'edit-run-lr',
      name: 'learning-rate',
      label: e.learningRate,
      value: draft.learningRate,
      error: check.run.get('learningRate'),
      onInput: (x) => v.onEdit(setRunText(draft, 'learningRate', x)),
    })}
    ${field(t, {
      id: 'edit-run-batch',
      name: 'batch-size',
      label: e.batchSize,
      value: draft.batchSize,
      error: check.run.get('batchSize'),
      mode: 'numeric',
      onInput: (x) => v.onEdit(setRunText(draft, 'batchSize', x)),
    })}
    ${own('trainLimit', e.trainRows, e.trainRowsAll)}
  </fieldset>`;
}

function modelEditor(v: EditorView, m: DraftModel, mi: number): TemplateResult {
  const { t, draft, check } = v;
  const e = t.edit;
  const c = check.models[mi];
  const n = numberFormat(v.locale);
  const id = `edit-m${mi}`;
  const only = draft.models.length < 2;
  const full = draft.models.length >= MAX_MODELS;
  const modelError = c.errors.get('model');
  return html`<fieldset class=${`edit-model ${colorClass(mi)}`} data-edit-model=${m.name} aria-describedby=${modelError ? `${id}-error` : nothing}>
    <legend><span class="swatch" aria-hidden="true"></span>${e.model(mi + 1, m.name)}</legend>
    <div class="edit-row">
      ${field(t, {
        id: `${id}-name`,
        name: 'model-name',
        label: e.name,
        value: m.name,
        error: c.errors.get('name'),
        mode: 'text',
        wide: true,
        onInput: (x) => v.onEdit(renameModel(draft, mi, x)),
      })}
      <button part="button" class="small" data-action="duplicate-model" aria-label=${e.duplicateLabel(m.name)} aria-disabled=${full} @click=${() => !full && v.onEdit(duplicateModel(draft, mi))}>
        ${e.duplicate}
      </button>
      <button part="button" class="small" data-action="remove-model" aria-label=${e.removeLabel(m.name)} aria-disabled=${only} @click=${() => !only && v.onEdit(removeModel(draft, mi))}>
        ${e.remove}
      </button>
    </div>
    <ol class="edit-layers" aria-label=${e.layers(m.name)}>
      ${m.layers.map((l, li) => layerEditor(v, m, mi, l, li))}
    </ol>
    <div class="edit-row">
      <button part="button" class="small" data-action="add-dense" @click=${() => v.onEdit(addLayer(draft, mi, 'Dense'))}>${e.addDense}</button>
      <button part="button" class="small" data-action="add-dropout" @click=${() => v.onEdit(addLayer(draft, mi, 'Dropout'))}>${e.addDropout}</button>
    </div>
    ${modelError ? html`<p class="field-error" id=${`${id}-error`}>${e.invalid(modelError)}</p>` : nothing}
    ${
      c.params && c.layers
        ? html`<p class="edit-params" data-params=${c.params.total}>${e.params(n.int(c.params.total), n.int(c.params.trainable))}</p>
          <details class="layers" open>
            <summary>${e.summary(m.name)}</summary>
            ${layerTable(t, c.layers, c.params.total, 'edit-summary', n.int)}
          </details>`
        : nothing
    }
  </fieldset>`;
}

function layerEditor(v: EditorView, m: DraftModel, mi: number, l: DraftLayer, li: number): TemplateResult {
  const { t, draft, check } = v;
  const e = t.edit;
  const c = check.models[mi];
  const id = `edit-m${mi}-l${li}`;
  const set = (f: LayerField) => (x: string) => v.onEdit(setLayerField(draft, mi, li, f, x));
  const num = (f: LayerField, label: string, mode: 'numeric' | 'decimal', placeholder?: string) =>
    field(t, { id: `${id}-${f}`, name: f, label, value: l[f], error: c.errors.get(`L${li}.${f}`), mode, placeholder, onInput: set(f) });
  const layerError = c.errors.get(`L${li}`);
  const last = li === m.layers.length - 1;
  const body = (() => {
    switch (l.type) {
      case 'Dense':
        return html`${num('units', e.units, 'numeric')} ${activationSelect(v, l, `${id}-activation`, c.errors.get(`L${li}.activation`), set('activation'))}
        ${num('l1', e.l1, 'decimal', e.regularizerNone)} ${num('l2', e.l2, 'decimal', e.regularizerNone)}
        ${
          last
            ? nothing
            : html`<label class="check"
                ><input type="checkbox" name="batch-norm" .checked=${hasBatchNorm(m, li)} @change=${() => v.onEdit(toggleBatchNorm(draft, mi, li))} />${e.batchNorm}</label
              >`
        }`;
      case 'Dropout':
        return num('rate', e.rate, 'decimal');
      case 'Activation':
        return activationSelect(v, l, `${id}-activation`, c.errors.get(`L${li}.activation`), set('activation'));
      case 'BatchNormalization':
        return html`<span class="field-hint">${e.batchNormLayer}</span>`;
      case 'Flatten':
        return html`<span class="field-hint">${e.flatten(m.inputShape.reduce((a, b) => a * b, 1))}</span>`;
    }
  })();
  return html`<li data-layer=${li} data-type=${l.type}>
    <div class="edit-layer" role="group" aria-labelledby=${`${id}-title`} aria-describedby=${layerError ? `${id}-error` : nothing}>
      <span class="edit-layer-title" id=${`${id}-title`}>${e.layer(li + 1, l.type)}</span>
      <span class="edit-layer-fields">${body}</span>
      <button part="button" class="small" data-action="remove-layer" aria-label=${e.removeLayer(li + 1)} @click=${() => v.onEdit(removeLayer(draft, mi, li))}>×</button>
      ${layerError ? html`<span class="field-error" id=${`${id}-error`}>${e.invalid(layerError)}</span>` : nothing}
    </div>
  </li>`;
}

function activationSelect(v: EditorView, l: DraftLayer, id: string, error: string | undefined, onChange: (x: string) => void): TemplateResult {
  const e = v.t.edit;
  const shown = l.activation || 'linear';
  const err = error ? `${id}-error` : null;
  return html`<span class="edit-field">
    <label class="field"
      >${e.activation}
      <select
        id=${id}
        name="activation"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${err ?? nothing}
        @change=${(ev: Event) => {
          const x = (ev.target as HTMLSelectElement).value;
          // linear is the spec's "no activation" (a following Activation layer needs none)
          onChange(x === 'linear' && l.type === 'Dense' ? '' : x);
        }}
      >
        ${EDIT_ACTIVATIONS.map((a) => html`<option value=${a} ?selected=${a === shown}>${a === 'linear' && l.type === 'Dense' ? e.activationNone : a}</option>`)}
      </select>
    </label>
    ${error ? html`<span class="field-error" id=${err!} data-error-for="activation">${e.invalid(error)}</span>` : nothing}
  </span>`;
}
