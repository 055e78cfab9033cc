// <overfit-lab>: trains the Keras overfitting lab's models on the visitor's GPU (WebGPU) and
// draws their curves live. Behaviour lives in controllers (run, charts, locale); render() only
// reads their state.
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Experiment } from '../../experiments/presets.ts';
import { EXPERIMENTS, findExperiment, validateExperiment } from '../../experiments/presets.ts';
import type { ChartInput, ChartKind } from './charts-controller.ts';
import { ChartsController } from './charts-controller.ts';
import type { ExportRun } from './export.ts';
import { exportName, toCsv, toJson } from './export.ts';
import type { Messages } from '../i18n.ts';
import { datasetText, experimentText, MESSAGES } from '../i18n.ts';
import { LocaleController } from './locale-controller.ts';
import { webgpuRunner } from './lab-runner.ts';
import { modelCard, modelKey } from './model-card.ts';
import type { ModelState } from './model-state.ts';
import { bestValEpoch, runEarlyStopping, stoppedEarly } from './model-state.ts';
import type { Sweep, SweepParam } from './replicas.ts';
import { formatValue, parseSweep, SEED_COUNTS, SWEEP_PARAMS, sweepApplies, sweepCurves, sweepPositions, sweepSummary } from './replicas.ts';
import { RunController } from './run-controller.ts';
import { patienceField, pickModels, readEarlyStopping, withPatience } from './settings.ts';
import type { Draft, DraftCheck } from './edit-model.ts';
import { checkDraft, draftOf, experimentOf, runField } from './edit-model.ts';
import type { ElementRunField } from './editor.ts';
import { editor } from './editor.ts';
import { colorClass, sequentialColors } from '../tokens.ts';
import { cssProps } from './css-props.ts';
import type { ControlName } from './series.ts';
import { overfittingStarted, parseControls } from './series.ts';
import { styles } from './styles.ts';
import { EpochPlayer } from './epoch-player.ts';
import { epochCount } from './weights-data.ts';
import { weightsView } from './weights-view.ts';
import type { TfjsFiles } from './keras-export.ts';
import { kerasFileName, kerasRun, kerasScriptOf, tfjsFiles } from './keras-export.ts';
import type { ImportRefusal } from './edit-model.ts';
import { importModel } from './edit-model.ts';
import { specFromKerasJson } from '../../model/keras-json.ts';
import type { RunNameWords } from './run-store.ts';
import { RunsController } from './runs-controller.ts';
import { runsPanel } from './runs-list.ts';
import { pinnedChartModels, pinnedLabel, RUNS_FILE } from './runs.ts';
import type { LabHost, OverfitDoneDetail, OverfitEpochDetail, OverfitErrorDetail, OverfitStartDetail, RunStatus } from './types.ts';

/**
 * Trains the Keras "overfitting" lab's models in the browser on the visitor's GPU (WebGPU) and
 * draws their training and validation curves live, side by side.
 *
 * @tag overfit-lab
 * @summary The overfitting lab (IMDB basic vs. overfitting MLP, L1/L2, Dropout, BatchNormalization) as one embeddable element.
 *
 * With `seeds` above 1 each model trains as that many replicas at once (seeds `seed`, `seed`+1, ...) and
 * its curves show their mean with the min-max range shaded; with `sweep` (`l2=0,0.001,0.01`) one
 * curve per value (mean over the seeds) in a sequential palette, and a summary chart of the best
 * validation loss and the final train/validation gap against the value.
 *
 * Two views, switched by tabs above the charts or the `view` attribute: the curves, and the weights
 * (per model one histogram of |w| per layer at an epoch picked with a scrubber or played through,
 * the share of kernel weights below 1e-3 over epochs, in the regularization experiment the models'
 * first layers overlaid, dead ReLU units, and on IMDB the words ranked by first-layer weight norm),
 * with a sentence of what the run measured.
 *
 * With the `edit` control (the lab page shows it; `controls="all edit"`), a model editor: per model
 * its layers (Dense units, activation, L1 and L2 factors, BatchNormalization after it; Dropout
 * rate), add, duplicate, rename and remove models (up to six); per run the epochs, seed, learning
 * rate, batch size and training rows. Every value is checked as it is typed, with the model spec's
 * own messages beside the field, and the Keras summary follows; Start stays disabled, saying why,
 * while anything is invalid. Edits apply when a run starts. The experiment as data is the `spec`
 * property (and attribute): what `--spec FILE.json` reads. The editor imports a Keras model
 * (`model.to_json()`, a TF.js model.json, as a file or pasted) as a new model.
 *
 * With the `keras` control (the lab page shows it; `controls="all edit keras"`), the run goes
 * elsewhere: "Copy as Keras" copies the run (the models shown, data set, seed, epochs, rows,
 * learning rate, early stopping) as a tf.keras Python script to the clipboard, or, where the
 * clipboard is refused, shows it selected in a dialog; "Download .py" saves it. With several seeds
 * the script is the first seed's, and a note says so. Once a model has finished (or was stopped),
 * its card offers "Export TF.js model": its final weights as `<model>.json` and
 * `<model>.weights.bin`, what `tf.loadLayersModel` reads.
 *
 * With the `runs` control (the lab page shows it; `controls="all edit keras runs"`), each finished
 * or stopped run is saved in the browser (IndexedDB; nothing is sent anywhere) with its experiment,
 * seeds, adapter, histories and test scores, and a status line says "Saved as <name>". The "Saved
 * runs" panel lists them (name, date, experiment, seeds, adapter, each model's test cross-entropy):
 * Pin draws a run's curves on the loss, accuracy and weight-norm charts next to the current run,
 * dimmed and labelled "<run> · <model>" (the chart's container lists them in `data-pinned`);
 * Rename, Delete, Export (one or all, `overfit-lab-runs.json`) and Import. A storage failure (a
 * private window, a full disk) shows its message and leaves the run alone.
 *
 * @fires {CustomEvent<OverfitStartDetail>} overfit-start - A run starts. `detail`: `{experiment}`, what it trains as a `spec` that repeats it (models, batch size, learning rate, data set, seed, every model's epochs, row limits).
 * @fires {CustomEvent<OverfitEpochDetail>} overfit-epoch - A model finished an epoch. `detail`: `{model, epoch, epochs, metrics, seconds, replicas?, earlyStopping?}`; `metrics` holds `loss`, `accuracy`, the pure cross-entropy (`binary_crossentropy` or `sparse_categorical_crossentropy`), their `val_` twins and `weight_l1` (with several replicas: their mean); `replicas`, only with several, is each one's `{index, seed, value, metrics, earlyStopping?}` (`value`: the swept setting's, or null); with `early-stopping`, `earlyStopping` is `{best_epoch, stopped_epoch, restored_epoch, wait}` after this epoch (1-based epochs; `stopped_epoch` null while it trains on; on the model when it is one run, else on each replica).
 * @fires {CustomEvent<OverfitDoneDetail>} overfit-done - The run ended (all epochs, stopped, or stopped early). `detail`: `{result, stopped}`; `result` has every model's history, test scores and GPU stats, and each replica's (`replicas`, `historyMin`, `historyMax`); with `early-stopping` each model's `earlyStopping` is `{settings, best_epoch, stopped_epoch, restored_epoch}` (with several replicas each one's outcome is in its `replicas` entry and the model's best and restored epochs are null). `stopped` is true only for the Stop button, not for early stopping.
 * @fires {CustomEvent<OverfitErrorDetail>} overfit-error - Something failed. `detail`: `{kind, model, message, error}`; `kind` is `no-webgpu`, `device-lost`, `diverged` (one model's loss became NaN; the others go on), `data`, `config` or `other`.
 *
 * @csspart base - The element's outer wrapper.
 * @csspart title - The experiment's title.
 * @csspart picker - The experiment picker.
 * @csspart explanation - The explanation of the experiment (hide it where the page explains it already).
 * @csspart toolbar - The row of controls.
 * @csspart button - Every button.
 * @csspart status - The live status line.
 * @csspart alert - The message shown when a run fails (lost device, diverged model, missing data).
 * @csspart unsupported - The panel shown where WebGPU is not available.
 * @csspart tabs - The tab list that switches between the curves and the weights.
 * @csspart tab - Each of its tabs.
 * @csspart charts - The charts with their legend.
 * @csspart legend - The legend above the charts.
 * @csspart chart - Each of the three charts.
 * @csspart chart-loss - The loss chart.
 * @csspart chart-accuracy - The accuracy chart.
 * @csspart chart-weights - The weight-norm chart.
 * @csspart chart-summary - The sweep's summary chart (best validation loss and final gap per swept value).
 * @csspart sweep-values - The swept values' toggle buttons that highlight one value's curves.
 * @csspart sweep-models - In a sweep of several models, the buttons that pick whose curves the epoch charts show.
 * @csspart summary-legend - The summary chart's key: the swept models' colours, best validation loss and gap.
 * @csspart weights - The Weights view.
 * @csspart weights-empty - The Weights view before the first epoch.
 * @csspart weights-scrubber - The Weights view's Play button and epoch slider.
 * @csspart weights-explanation - What the run measured about its weights, and how to read the view.
 * @csspart weights-near-zero - The chart of the share of kernel weights below 1e-3 per epoch.
 * @csspart weights-overlay - The regularization experiment's first-layer histograms, overlaid.
 * @csspart weights-model - A model's histograms (one per kernel tensor) and dead ReLU units.
 * @csspart histogram - Each histogram of |w| (its data-counts: zeros, then the bins).
 * @csspart words - Word importance (IMDB): each model's words ranked by first-layer weight norm.
 * @csspart cards - The model cards.
 * @csspart card - Each model card.
 * @csspart progress - A card's progress bar.
 * @csspart scores - A card's final test scores.
 * @csspart layer-table - A card's Keras layer summary table.
 * @csspart editor - The model editor (the `edit` control).
 * @csspart edit-summary - The editor's Keras summary table of a model, as edited.
 * @csspart keras-dialog - The dialog with the Keras script, shown where the clipboard is refused.
 * @csspart runs - The "Saved runs" panel (the `runs` control).
 *
 * @cssprop [--overfit-font=system-ui, sans-serif] - Text font.
 * @cssprop [--overfit-mono=ui-monospace, monospace] - Font of layer tables and model names.
 * @cssprop [--overfit-fg=#1b1f24] - Text colour.
 * @cssprop [--overfit-muted=#57606a] - Secondary text and chart axes.
 * @cssprop [--overfit-bg=#ffffff] - Background.
 * @cssprop [--overfit-surface=#f6f8fa] - Background of the explanation and score boxes.
 * @cssprop [--overfit-border=#d0d7de] - Borders.
 * @cssprop [--overfit-grid=#e6eaef] - Chart grid lines and empty progress bars.
 * @cssprop [--overfit-accent=#0b5cad] - Primary button, selected experiment, focus ring.
 * @cssprop [--overfit-accent-fg=#ffffff] - Text on the accent colour.
 * @cssprop [--overfit-danger=#b42318] - Error messages.
 * @cssprop [--overfit-radius=8px] - Corner radius of boxes.
 * @cssprop [--overfit-gap=16px] - Space between sections.
 * @cssprop [--overfit-color-1=#0072b2] - First model's colour (Okabe–Ito blue); `--overfit-color-2` … `--overfit-color-6` follow (vermillion, bluish green, reddish purple, sky blue, orange).
 */
export class OverfitLab extends LitElement implements LabHost {
  static override styles = styles;

  /** Which of the lab's experiments to show: `imdb-overfit`, `regularization`, `dropout` or `batchnorm`. */
  @property({ reflect: true }) experiment = 'imdb-overfit';

  /** Language of the interface, `ko` or `en`. Default: the nearest `lang` attribute up the page (usually `<html lang>`). */
  @property() override lang = '';

  /** Epochs for every model; unset, each model trains for the lab's own count (e.g. 20, or 300 for the large IMDB model). */
  @property({ type: Number }) epochs: number | undefined = undefined;

  /** Seed of weight initialization, shuffling and dropout; the same seed repeats a run exactly. */
  @property({ type: Number }) seed = 1;

  /** How many seeds to train each model with, all at once: 1, 3, 5 or 10 (`seed`, `seed`+1, ...). Above 1 the curves are the mean, with the range over the seeds shaded. */
  @property({ type: Number }) seeds = 1;

  /**
   * A sweep, as the CLI's `--sweep`: `l1`, `l2`, `dropout` or `lr`, then `=` and comma-separated
   * values, e.g. `l2=0,0.0001,0.001,0.01`. One replica per value (and seed); one curve per value and
   * a summary chart. An invalid one disables Start and says why.
   */
  @property() sweep = '';

  /**
   * Keras' `EarlyStopping` for every model, as the CLI's `--early-stopping`: a patience (`3`) or
   * patience and min_delta (`3,0.001`), which monitor `val_loss` and restore the best epoch's
   * weights, or a JSON object of Keras' arguments (`{"patience": 3, "monitor": "val_accuracy"}`,
   * Keras' defaults for the rest). Empty: off. Keras 2.x restores the best weights only when
   * patience runs out. An invalid one disables Start and says why.
   */
  @property({ attribute: 'early-stopping' }) earlyStopping = '';

  /**
   * Which view to show: `curves` (loss, accuracy and weight norm over epochs) or `weights` (the
   * weights' histograms per layer and epoch, their share near zero and, on IMDB, word importance).
   * The tabs above the charts set it.
   */
  @property({ reflect: true }) view: 'curves' | 'weights' = 'curves';

  /** Start training as soon as the element is on the page (and WebGPU is there). */
  @property({ type: Boolean }) autostart = false;

  /**
   * The debug switch: before training, print every pipeline's WGSL and a check of each dispatch of
   * one step of each model against the CPU reference to the browser console (slow; for developers).
   */
  @property({ type: Boolean }) debug = false;

  /**
   * Which controls to show: `all` (default), `none`, or a space-separated list of `experiment`,
   * `dataset`, `epochs`, `seed`, `seeds`, `sweep`, `early-stopping` (the patience field), `run`
   * (start / pause / resume), `stop`, `reset`, `chart` (log scale, smoothing), `export`, `edit`
   * (the model editor, with its own epochs and seed fields, and Keras model import), `keras`
   * (Copy as Keras, Download .py, and each finished model card's Export TF.js model) and `runs`
   * (save each run in the browser; the "Saved runs" panel: pin, rename, delete, export, import).
   * `all` is every control but `edit`, `keras` and `runs`: `all edit keras runs` adds them (the
   * lab page's default).
   */
  @property() controls = 'all';

  /** Train only these of the experiment's models (names, e.g. `basic` or `basic l2`); default: all. */
  @property() models = '';

  /** The data set where the experiment offers a choice: `mnist` or `fashion-mnist` for `batchnorm`. */
  @property({ attribute: 'dataset' }) datasetName = '';

  /** URL of the folder that holds the data files (`imdb.ofl`, `mnist.ofl`, `fashion-mnist.ofl`). */
  @property({ attribute: 'data-base' }) dataBase = '/data';

  /** Train on only the first N training rows (quick demos and tests). */
  @property({ type: Number, attribute: 'train-limit' }) trainLimit: number | undefined = undefined;

  /** Validate and test on only the first N test rows. */
  @property({ type: Number, attribute: 'test-limit' }) testLimit: number | undefined = undefined;

  /**
   * The experiment to run instead of the preset `experiment`: an object, or its JSON (the
   * attribute), in the format of the CLI's `--spec FILE.json`: `{id, dataset, batchSize, models:
   * [{name, epochs, spec: {name, inputShape, layers}}]}` and optionally `learningRate`, `seed`,
   * `trainLimit` and `testLimit` (which set the element's `seed`, `train-limit` and `test-limit`).
   * Invalid JSON or an invalid experiment shows the validation message and keeps Start disabled.
   * Reading it gives the experiment as edited, with the element's seed, epochs and row limits (null
   * when there is none: an unknown `experiment`, or an invalid `spec`).
   */
  @property({ attribute: 'spec', noAccessor: true })
  get spec(): Experiment | null {
    if (!this.draft) return null;
    const n = (f: ElementRunField) => (this.runText[f] === undefined ? undefined : runField(f, this.runText[f]!));
    const epochs = n('epochs');
    const e = experimentOf(this.draft, { seed: this.seed, epochs: epochs && !epochs.error ? epochs.value : this.epochs, trainLimit: this.trainLimit });
    return this.testLimit === undefined ? e : { ...e, testLimit: this.testLimit };
  }
  set spec(value: Experiment | string | null | undefined) {
    const old = this.specSource;
    this.specSource = null;
    this.specError = null;
    if (value !== null && value !== undefined && value !== '') {
      try {
        const x: unknown = typeof value === 'string' ? JSON.parse(value) : structuredClone(value);
        validateExperiment(x);
        this.specSource = x;
        this.editorOpen = true; // show what the given experiment is
        if (x.seed !== undefined) this.seed = x.seed;
        if (x.trainLimit !== undefined) this.trainLimit = x.trainLimit;
        if (x.testLimit !== undefined) this.testLimit = x.testLimit;
      } catch (e) {
        this.specError = (e as Error).message;
      }
    }
    this.specVersion++;
    this.draftKey = '';
    this.runText = {};
    this.requestUpdate('spec', old);
  }

  /** The valid `spec` given, or null (the preset). */
  private specSource: Experiment | null = null;
  /** Why the `spec` given is not an experiment (JSON or validateExperiment's message), or null. */
  @state() private specError: string | null = null;
  /** Bumped when a `spec` is given or taken away (the run controller starts over). */
  specVersion = 0;
  /** The experiment as edited (null: no experiment to edit: an unknown id or an invalid spec). */
  @state() private draft: Draft | null = null;
  /** The editor is open (it opens by itself for a given spec). Closed, the toolbar has the epochs and seed fields. */
  @state() private editorOpen = false;
  /** The editor's epochs, seed and training rows fields as typed. */
  @state() private runText: Partial<Record<ElementRunField, string>> = {};
  /** What the draft was made from: the spec, or the preset and its picked models. */
  private draftKey = '';
  private checked: { draft: Draft; runText: object; check: DraftCheck } | null = null;
  private lastValid: Experiment | null = null;

  /** The edited experiment when valid (the run controller's), else the last valid one. */
  get edited(): Experiment | null {
    const c = this.check();
    if (c?.experiment) this.lastValid = c.experiment;
    return this.draft ? this.lastValid : null;
  }

  /** Why Start waits: an invalid `spec`, or the editor's first invalid field. */
  get editError(): string | null {
    return this.specError ?? this.check()?.first ?? null;
  }

  private check(): DraftCheck | null {
    const d = this.draft;
    if (!d) return null;
    if (this.checked?.draft !== d || this.checked.runText !== this.runText)
      this.checked = { draft: d, runText: this.runText, check: checkDraft(d, this.runText) };
    return this.checked.check;
  }

  /** The last Copy as Keras / Download .py outcome, for the live status beside them. */
  @state() private kerasStatus: { kind: 'copied' } | { kind: 'downloaded'; file: string } | { kind: 'failed'; detail: string } | null = null;
  /** The script the clipboard refused, shown in the dialog; null: the dialog is closed. */
  @state() private kerasDialog: string | null = null;
  /** The last Keras model import's outcome, beside the editor's import control. */
  @state() private importOutcome: { kind: 'ok'; name: string } | { kind: 'refused'; refusal: ImportRefusal } | { kind: 'error'; detail: string } | null = null;

  /** Smoothing of the loss and accuracy curves, 0 (raw) to 0.95 (TensorBoard-style moving average). */
  @state() smoothing = 0;

  /** Logarithmic y axis on the loss chart. */
  @state() logScale = false;

  /** In a sweep, the value (its index) whose curves stand out; null: all alike. */
  @state() highlight: number | null = null;

  /** In a sweep of several models, the one whose curves the epoch charts draw; null: the first. */
  @state() sweepModel: string | null = null;

  private readonly runner = new RunController(this, webgpuRunner);
  private readonly runs = new RunsController(this);
  /** The "Saved runs" panel is open. */
  @state() private runsOpen = true;
  /** After the next update, focus this element of the shadow root (a selector). */
  private focusNext: string | null = null;

  /** Whether runs are saved and listed (the `runs` control). */
  get runsEnabled(): boolean {
    return parseControls(this.controls).has('runs');
  }

  /** How a saved run's default name says its seeds (`seed 1`, `시드 1`). */
  get runNameWords(): RunNameWords {
    return this.t.runs;
  }

  /** The seeds and sweep of the run that starts, for its saved copy. */
  runReplicas(): { seeds: number[]; sweep: Sweep | null } | null {
    const s = this.runner.settings;
    return s ? { seeds: s.seeds, sweep: s.sweep } : null;
  }
  private readonly i18n = new LocaleController(this);
  private readonly charts = new ChartsController(this, () => this.chartInput());
  private readonly player = new EpochPlayer(
    this,
    () => epochCount(this.runner.models),
    () => this.runner.models,
  );

  /** Where the run is: `checking`, `unsupported`, `idle`, `loading`, `compiling`, `running`, `paused`, `stopping`, `stopped`, `done` or `error`. */
  get status(): RunStatus {
    return this.runner.status;
  }

  /** The settings and every model's history so far (what the CSV and JSON exports contain). */
  get history(): ExportRun {
    return this.runner.snapshot();
  }

  /** Trains the experiment's models from scratch; resolves when the run ends. */
  start(): Promise<void> {
    return this.runner.start();
  }

  /** Pauses after the epoch in flight. */
  pause(): void {
    this.runner.pause();
  }

  /** Goes on after pause(). */
  resume(): void {
    this.runner.resume();
  }

  /** Stops after the epoch in flight; finished epochs stay and each model is still tested. */
  stop(): void {
    this.runner.stop();
  }

  /** Abandons any run and clears the charts. */
  reset(): void {
    this.runner.reset();
  }

  /** The history as CSV: one row per model and epoch. */
  exportCsv(): string {
    return toCsv(this.runner.snapshot());
  }

  /** The settings, history, test scores and errors as JSON. */
  exportJson(): string {
    return toJson(this.runner.snapshot());
  }

  /**
   * The run as a tf.keras Python script ("Copy as Keras"): what the element runs or ran (its models,
   * data set, seed, with several seeds the first, epochs, rows, learning rate and early stopping).
   * Throws when there is no experiment (an unknown id) or the script cannot be written.
   */
  exportKeras(): string {
    const s = this.runner.settings;
    if (!s) throw new Error(this.runner.problem?.message ?? 'no experiment');
    return kerasScriptOf(s);
  }

  /**
   * A finished model's final weights as TF.js Layers files: `json` (model.json's text, its
   * manifest naming `weights`) and `weights` (the bytes); null while the model has no final
   * weights (before it finishes, or after a reset).
   */
  exportTfjs(model: string): TfjsFiles | null {
    const m = this.runner.models.find((x) => x.name === model);
    return m?.final ? tfjsFiles(m, m.final) : null;
  }

  /** The three charts in one PNG image. */
  exportPng(): Promise<Blob> {
    const s = this.runner.settings;
    return this.charts.png([this.experimentTitle(), s && datasetText(this.t, s.dataset), s && `${this.t.seed} ${s.seed}`].filter(Boolean).join(' · '));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('sweep')) this.highlight = null;
    if (changed.has('experiment')) this.sweepModel = null;
    this.syncDraft();
    // A setting changed from outside (attribute, toolbar, spec): the editor shows it, not what was typed.
    const value = { epochs: this.epochs, seed: this.seed, trainLimit: this.trainLimit };
    for (const f of ['epochs', 'seed', 'trainLimit'] as const)
      if (this.runText[f] !== undefined && changed.has(f) && runField(f, this.runText[f]!).value !== value[f]) {
        const { [f]: _, ...rest } = this.runText;
        this.runText = rest;
      }
  }

  /** A new draft when what it comes from changes: the spec, or the preset and its models. */
  private syncDraft(): void {
    const key = JSON.stringify([this.specVersion, this.specSource ? '' : this.experiment, this.specSource ? '' : this.models]);
    if (key === this.draftKey) return;
    this.draftKey = key;
    this.lastValid = null;
    this.importOutcome = null;
    if (this.specError) {
      this.draft = null;
      return;
    }
    try {
      this.draft = draftOf(this.specSource ?? pickModels(findExperiment(this.experiment || 'imdb-overfit'), this.models));
    } catch {
      this.draft = null; // the run controller says what is wrong (an unknown id or model)
    }
  }

  // ---- rendering: reads state, never changes it ----

  private get t(): Messages {
    return MESSAGES[this.i18n.locale];
  }

  private experimentTitle(): string {
    return experimentText(this.t, this.specSource?.id ?? this.experiment).title;
  }

  /** What the charts show: one run, seeds (bands) or a sweep; from the settings of the run. */
  private chartMode(): 'single' | 'seeds' | 'sweep' {
    const s = this.runner.settings;
    if (!s || s.replicas.length < 2) return 'single';
    return s.sweep ? 'sweep' : 'seeds';
  }

  private chartInput(): ChartInput {
    const t = this.t;
    const mode = this.chartMode();
    const sweep = mode === 'sweep' ? this.runner.settings!.sweep! : null;
    const pinned = [...this.runs.pinned.values()].flatMap(pinnedChartModels);
    return {
      models: [
        ...this.runner.models.map((m) => {
          const curves = sweep && sweepApplies(m.spec, sweep) && sweepCurves(m.replicas, sweep);
          const es = runEarlyStopping(m);
          return {
            name: m.name,
            index: m.index,
            history: m.history,
            lossMetric: m.lossMetric,
            best: bestValEpoch(m),
            overfitting: overfittingStarted(m.history[`val_${m.lossMetric}`]),
            // a sweep's reference model (one it leaves alone) keeps its band over the seeds
            ...(mode !== 'single' && !curves && m.replicas.length > 1 ? { band: { min: m.historyMin, max: m.historyMax } } : {}),
            ...(curves ? { sweep: { curves, summary: sweepSummary(curves, m.lossMetric) } } : {}),
            ...(es ? { earlyStopping: { best_epoch: es.best_epoch, stopped_epoch: es.stopped_epoch, restored_epoch: es.restored_epoch } } : {}),
          };
        }),
        ...pinned,
      ],
      version: this.runner.version,
      smoothing: this.smoothing,
      logScale: this.logScale,
      ...(sweep
        ? {
            sweep: {
              labels: sweep.values.map(formatValue),
              colors: sequentialColors(sweep.values.length),
              positions: sweepPositions(sweep),
              highlight: this.highlight,
              model: this.shownSweepModel(),
              onPick: (i: number) => this.pickValue(i),
            },
          }
        : {}),
      labels: {
        training: t.training,
        validation: t.validation,
        epoch: t.charts.epoch,
        bestVal: t.summaryBest,
        gap: t.summaryGap,
        overfittingStartsHere: t.overfittingStartsHere,
        sweptValue: sweep ? t.sweepParams[sweep.param] : t.sweptValue,
        restored: t.restored,
        titles: { loss: t.charts.loss, accuracy: t.charts.accuracy, weights: t.charts.weights, summary: t.charts.summary },
      },
    };
  }

  protected override render(): TemplateResult {
    const locale = this.i18n.locale;
    const t = this.t;
    const show = parseControls(this.controls);
    const r = this.runner;
    const unsupported = r.status === 'unsupported';
    return html`
      <div class="lab" part="base" lang=${locale}>
        <div class="head">
          <h2 part="title">${this.experimentTitle()}</h2>
          ${show.has('experiment') ? this.renderPicker(t, r.active) : nothing}
        </div>
        ${r.settings ? this.renderExplanation(t) : nothing}
        ${unsupported ? this.renderUnsupported(t) : this.renderToolbar(t, show)}
        <p class="status" part="status" role="status" aria-live="polite" data-status=${r.status}>${this.statusText(t)}</p>
        ${this.renderAlert(t)} ${this.renderSpecError(t, show)} ${show.has('edit') && !unsupported ? this.renderEditor(t) : nothing}
        ${unsupported || !r.models.length ? nothing : this.renderViews(t)}
        ${show.has('runs') ? this.renderRuns(t) : nothing}
        <div class="cards" part="cards">
          ${r.models.map((m) => modelCard(m, { t, locale, unsupported, running: r.active, ...(show.has('keras') ? { onExportTfjs: (x) => this.onExportTfjs(x.name) } : {}) }))}
        </div>
        ${show.has('keras') ? this.renderKerasDialog(t) : nothing}
      </div>
    `;
  }

  /** The "Saved runs" panel. */
  private renderRuns(t: Messages): TemplateResult {
    const c = this.runs;
    return runsPanel({
      t,
      locale: this.i18n.locale,
      open: this.runsOpen,
      list: c.list,
      pinned: new Set(c.pinned.keys()),
      renaming: c.renaming,
      confirming: c.confirming,
      message: c.message,
      onToggle: (open) => (this.runsOpen = open),
      onPin: (id) => void c.togglePin(id),
      onRename: (id) => {
        const was = c.renaming;
        c.startRename(id);
        this.focusNext = id ? `[data-run="${id}"] input[name="run-name"]` : `[data-run="${was}"] [data-action="rename"]`;
      },
      onRenamed: (id, name) =>
        void c.rename(id, name).then((ok) => {
          if (ok) this.focusNext = `[data-run="${id}"] [data-action="rename"]`;
          this.requestUpdate();
        }),
      onExport: (id) => void this.onExportRuns(id),
      onImport: (file) => void file.text().then((text) => c.importJson(text)),
      onConfirm: (id) => {
        c.confirm(id);
        if (id) this.focusNext = `[data-action="cancel-delete"]`;
      },
      onDelete: (id) => {
        this.focusNext = '[data-action="runs-delete-all"]';
        void c.remove(id);
      },
      onDeleteAll: () => {
        this.focusNext = 'summary[data-action="runs"]';
        void c.removeAll();
      },
    });
  }

  private async onExportRuns(id?: string): Promise<void> {
    const text = await this.runs.exportJson(id);
    if (text === null) return;
    save(new Blob([text], { type: 'application/json' }), RUNS_FILE);
    this.runs.say({ kind: 'exported', file: RUNS_FILE });
  }

  /** The model editor of the draft, with its check. */
  private renderEditor(t: Messages): TemplateResult | typeof nothing {
    const d = this.draft;
    const check = this.check();
    if (!d || !check) return nothing;
    const epochs = [...new Set(d.models.map((m) => m.epochs))].join(' / ');
    const shown = (f: ElementRunField, v: number | undefined) => this.runText[f] ?? (v === undefined ? '' : String(v));
    return editor({
      t,
      locale: this.i18n.locale,
      draft: d,
      check,
      run: { epochs: shown('epochs', this.epochs), seed: shown('seed', this.seed), trainLimit: shown('trainLimit', this.trainLimit) },
      epochsPlaceholder: t.epochsDefault(epochs),
      active: this.runner.active,
      open: this.editorOpen,
      onToggle: (open) => (this.editorOpen = open),
      onEdit: (next) => (this.draft = next),
      onRunField: (f, text) => this.onRunField(f, text),
      onPreset: () => this.resetToPreset(),
      importMessage: this.importText(t),
      onImport: (json) => this.onImport(json),
    });
  }

  /** A `spec` that is not an experiment: why, and the way back to the preset. */
  private renderSpecError(t: Messages, show: Set<ControlName>): TemplateResult | typeof nothing {
    if (!this.specError) return nothing;
    return html`<div class="alert" part="alert" role="alert" data-alert="spec">
      <h3>${t.edit.specError}</h3>
      <p class="detail">${t.edit.invalid(this.specError)}</p>
      ${show.has('edit') ? html`<button part="button" data-action="preset" @click=${this.resetToPreset}>${t.edit.preset}</button>` : nothing}
    </div>`;
  }

  private renderPicker(t: Messages, disabled: boolean): TemplateResult {
    return html`
      <fieldset class="picker" part="picker" ?disabled=${disabled}>
        <legend>${t.experiment}</legend>
        ${EXPERIMENTS.map(
          (e) => html`<label class="pill">
            <input type="radio" name="experiment" value=${e.id} .checked=${e.id === this.experiment} @change=${this.onExperiment} /><span>${experimentText(t, e.id).short}</span>
          </label>`,
        )}
      </fieldset>
    `;
  }

  private renderExplanation(t: Messages): TemplateResult {
    const x = experimentText(t, this.experiment);
    const overfitting = t.overfitting.map((p) => html`<p>${p}</p>`);
    const first = this.experiment === 'imdb-overfit';
    return html`
      <details class="explain" part="explanation" open>
        <summary>${t.explanation}</summary>
        ${first ? overfitting : nothing} ${x.body.map((p) => html`<p>${p}</p>`)}
        <h4>${t.lookFor}</h4>
        <ul>
          ${x.lookFor.map((p) => html`<li>${p}</li>`)}
        </ul>
        ${
          first
            ? nothing
            : html`<details class="sub">
              <summary>${t.whatIsOverfitting}</summary>
              ${overfitting}
            </details>`
        }
      </details>
    `;
  }

  private renderToolbar(t: Messages, show: Set<ControlName>): TemplateResult | typeof nothing {
    const r = this.runner;
    const active = r.active;
    const s = r.settings;
    const runLabel = r.status === 'paused' ? t.resume : active ? t.pause : r.hasHistory || r.status === 'error' ? t.restart : t.start;
    const sweepError = parseSweep(this.sweep).error;
    const es = readEarlyStopping(this.earlyStopping);
    const editError = active ? null : this.editError;
    const runDisabled =
      r.status === 'checking' ||
      r.status === 'stopping' ||
      (r.status === 'error' && r.problem?.kind === 'config') ||
      (!active && (sweepError !== null || es.error !== null || editError !== null));
    // The open editor has its own epochs and seed fields.
    const editing = show.has('edit') && this.draft !== null && this.editorOpen;
    const choices = s?.experiment.datasets ?? [];
    const defaults = [...new Set(s?.experiment.models.map((m) => m.epochs) ?? [])].join(' / ');
    const groups = [
      show.has('run') || show.has('stop') || show.has('reset')
        ? html`<div class="group" role="group" aria-label=${t.runControls}>
            ${
              show.has('run')
                ? html`<button
                    class="primary"
                    part="button"
                    data-action="run"
                    aria-disabled=${runDisabled}
                    aria-describedby=${editError && !this.specError ? 'start-reason' : nothing}
                    @click=${this.onRun}
                  >
                    ${runLabel}
                  </button>`
                : nothing
            }
            ${show.has('stop') ? html`<button part="button" data-action="stop" aria-disabled=${!active || r.status === 'stopping'} @click=${this.onStop}>${t.stop}</button>` : nothing}
            ${show.has('reset') ? html`<button part="button" data-action="reset" aria-disabled=${!active && !r.hasHistory} @click=${this.onReset}>${t.reset}</button>` : nothing}
          </div>`
        : nothing,
      show.has('dataset') && choices.length > 1
        ? html`<label class="field"
            >${t.dataset}
            <select name="dataset" ?disabled=${active} @change=${this.onDataset}>
              ${choices.map((d) => html`<option value=${d} ?selected=${d === s!.dataset}>${datasetText(t, d)}</option>`)}
            </select></label
          >`
        : nothing,
      show.has('epochs') && !editing
        ? html`<label class="field"
            >${t.epochs}
            <input name="epochs" type="number" min="1" step="1" inputmode="numeric" placeholder=${t.epochsDefault(defaults)} title=${t.epochsDefault(defaults)} .value=${this.epochs ? String(this.epochs) : ''} ?disabled=${active} @change=${this.onEpochs} />
          </label>`
        : nothing,
      show.has('seed') && !editing
        ? html`<label class="field"
            >${t.seed}
            <input name="seed" type="number" step="1" inputmode="numeric" .value=${String(this.seed)} ?disabled=${active} @change=${this.onSeed} />
          </label>`
        : nothing,
      show.has('seeds')
        ? html`<label class="field"
            >${t.seeds}
            <select name="seeds" ?disabled=${active} @change=${this.onSeeds}>
              ${SEED_COUNTS.map((n) => html`<option value=${n} ?selected=${n === this.seeds}>${t.seedsOption(n)}</option>`)}
            </select></label
          >`
        : nothing,
      show.has('sweep') ? this.renderSweepControl(t, active, sweepError) : nothing,
      show.has('early-stopping')
        ? this.renderEarlyStoppingControl(t, active, es)
        : es.error
          ? // no field to put it beside, but Start stays off: say why anyway
            html`<p class="field-error" id="early-stopping-error" role="alert">${t.earlyStoppingError(es.error)}</p>`
          : nothing,
      show.has('chart')
        ? html`<div class="group" role="group" aria-label=${t.chartOptions}>
            <label class="check"><input name="log-scale" type="checkbox" .checked=${this.logScale} @change=${this.onLog} />${t.logScale}</label>
            <label class="range"
              >${t.smoothing}
              <input name="smoothing" type="range" min="0" max="0.95" step="0.05" .value=${String(this.smoothing)} @input=${this.onSmoothing} />
              <output aria-hidden="true">${this.smoothing.toFixed(2)}</output>
            </label>
          </div>`
        : nothing,
      show.has('export')
        ? html`<div class="group" role="group" aria-label=${t.exportLabel}>
            <span class="group-label" aria-hidden="true">${t.exportLabel}</span>
            ${(['csv', 'json', 'png'] as const).map(
              (k) =>
                html`<button class="small" part="button" data-action=${`export-${k}`} aria-label=${`${t.exportLabel} ${k.toUpperCase()}`} aria-disabled=${!r.hasHistory} @click=${() => this.onExport(k)}>
                  ${{ csv: t.exportCsv, json: t.exportJson, png: t.exportPng }[k]}
                </button>`,
            )}
          </div>`
        : nothing,
      show.has('keras') ? this.renderKerasControl(t) : nothing,
    ].filter((g) => g !== nothing);
    // Why Start waits for the editor (a bad spec has its own alert).
    const reason =
      editError && !this.specError ? html`<p class="field-error start-reason" id="start-reason" role="alert">${t.edit.startBlocked(editError)}</p>` : nothing;
    return groups.length ? html`<div class="toolbar" part="toolbar">${groups}</div>${reason}` : reason;
  }

  /** Whether Copy as Keras has a run to write: the one that ran (or runs), or, before any, the
   *  settings as they stand when they are valid. */
  private kerasReady(): boolean {
    const r = this.runner;
    const s = r.settings;
    if (!s) return false;
    if (r.active || r.hasHistory) return true;
    return !s.sweepError && !s.earlyStoppingError && !this.editError;
  }

  /** Copy as Keras and Download .py, what the script leaves out (several seeds, a sweep), and the
   *  outcome as a live status. */
  private renderKerasControl(t: Messages): TemplateResult {
    const k = t.keras;
    const s = this.runner.settings;
    const ready = this.kerasReady();
    const note = s && ready ? kerasRun(s).note : null;
    const st = this.kerasStatus;
    const statusText = !st ? '' : st.kind === 'copied' ? k.copied : st.kind === 'downloaded' ? k.downloaded(st.file) : k.failed(st.detail);
    return html`<div class="group keras" role="group" aria-label=${k.label}>
      <span class="group-label" aria-hidden="true">${k.label}</span>
      <button class="small" part="button" data-action="copy-keras" aria-label=${k.copyLabel} aria-disabled=${!ready} aria-describedby=${note ? 'keras-note' : nothing} @click=${this.onCopyKeras}>
        ${k.copy}
      </button>
      <button class="small" part="button" data-action="download-keras" aria-label=${k.downloadLabel} aria-disabled=${!ready} @click=${this.onDownloadKeras}>${k.download}</button>
      ${
        note
          ? html`<p class="field-hint" id="keras-note" data-note=${note.kind}>
              ${note.kind === 'seeds' ? k.noteSeeds(note.seed, note.count) : k.noteSweep(t.sweepParams[note.param as SweepParam] ?? note.param, note.seed)}
            </p>`
          : nothing
      }
      <p class="keras-status" role="status" aria-live="polite" data-ok=${st ? String(st.kind !== 'failed') : nothing}>${statusText}</p>
    </div>`;
  }

  /** The script, selected in a read-only text area, where the clipboard is refused or missing. */
  private renderKerasDialog(t: Messages): TemplateResult {
    const k = t.keras;
    return html`<dialog class="keras-dialog" part="keras-dialog" aria-labelledby="keras-dialog-title" aria-describedby="keras-dialog-hint" @close=${this.onKerasDialogClose}>
      ${
        this.kerasDialog === null
          ? nothing
          : html`<h3 id="keras-dialog-title">${k.dialogTitle}</h3>
            <p id="keras-dialog-hint">${k.dialogHint}</p>
            <textarea name="keras-script" readonly spellcheck="false" aria-label=${k.script} .value=${this.kerasDialog}></textarea>
            <div class="edit-row">
              <button part="button" class="primary" data-action="dialog-download-keras" @click=${this.onDownloadKeras}>${k.download}</button>
              <button part="button" data-action="close-keras" @click=${this.closeKerasDialog}>${k.close}</button>
            </div>`
      }
    </dialog>`;
  }

  /** The last import's outcome in words. */
  private importText(t: Messages): { ok: boolean; text: string } | null {
    const o = this.importOutcome;
    const e = t.edit;
    if (!o) return null;
    if (o.kind === 'ok') return { ok: true, text: e.imported(o.name) };
    if (o.kind === 'error') return { ok: false, text: e.importError(o.detail) };
    const r = o.refusal;
    return { ok: false, text: r.kind === 'full' ? e.importFull(r.max) : e.importShape(r.got.join(', '), r.want.join(', '), datasetText(t, r.dataset)) };
  }

  /** The sweep as two fields: what to sweep and its values, with why they do not parse. */
  private renderSweepControl(t: Messages, active: boolean, error: ReturnType<typeof parseSweep>['error']): TemplateResult {
    const { param, values } = this.sweepParts();
    return html`<div class="group sweep" role="group" aria-label=${t.sweep}>
      <label class="field"
        >${t.sweep}
        <select name="sweep-param" ?disabled=${active} @change=${this.onSweepParam}>
          <option value="" ?selected=${!param}>${t.sweepNone}</option>
          ${SWEEP_PARAMS.map((p) => html`<option value=${p} ?selected=${p === param}>${t.sweepParams[p]}</option>`)}
        </select></label
      >
      <label class="field"
        >${t.sweepValues}
        <input
          name="sweep-values"
          type="text"
          inputmode="decimal"
          spellcheck="false"
          placeholder=${t.sweepPlaceholder}
          .value=${values}
          ?disabled=${active}
          aria-invalid=${error !== null}
          aria-describedby=${error ? 'sweep-error' : nothing}
          @change=${this.onSweepValues}
        />
      </label>
      ${error ? html`<p class="field-error" id="sweep-error" role="alert" data-error=${error}>${t.sweepErrors[error]}</p>` : nothing}
    </div>`;
  }

  /** Early stopping as a patience field (empty: off), what it watches and restores, and why the
   *  `early-stopping` text does not parse. A JSON value shows its patience and stays until edited. */
  private renderEarlyStoppingControl(t: Messages, active: boolean, es: ReturnType<typeof readEarlyStopping>): TemplateResult {
    const json = this.earlyStopping.trim().startsWith('{');
    const s = es.settings;
    const hint = [
      s ? t.earlyStoppingHint(s.monitor, s.min_delta, s.restore_best_weights) : t.earlyStoppingHintOff,
      ...(json && s ? [t.earlyStoppingJson] : []),
    ].join(' ');
    return html`<div class="group patience" role="group" aria-label=${t.earlyStopping}>
      <label class="field"
        >${t.earlyStopping}
        <input
          name="early-stopping"
          type="number"
          min="0"
          step="1"
          inputmode="numeric"
          placeholder=${t.earlyStoppingOff}
          .value=${patienceField(this.earlyStopping)}
          ?disabled=${active}
          aria-invalid=${es.error !== null}
          aria-describedby=${es.error ? 'early-stopping-error early-stopping-hint' : 'early-stopping-hint'}
          data-source=${json ? 'json' : 'text'}
          @change=${this.onPatience}
        />
      </label>
      <p class="field-hint" id="early-stopping-hint">${hint}</p>
      ${es.error ? html`<p class="field-error" id="early-stopping-error" role="alert">${t.earlyStoppingError(es.error)}</p>` : nothing}
    </div>`;
  }

  /** The `sweep` text split at its `=`: the parameter and the values as typed. */
  private sweepParts(): { param: string; values: string } {
    const text = this.sweep.trim();
    const eq = text.indexOf('=');
    return eq < 0 ? { param: text, values: '' } : { param: text.slice(0, eq).trim(), values: text.slice(eq + 1).trim() };
  }

  private statusText(t: Messages): string {
    const r = this.runner;
    const s = r.status;
    if (s === 'loading') return t.status.loading(datasetText(t, r.settings?.dataset ?? ''));
    if (s === 'running') {
      const training = r.models.filter((m) => !m.error);
      return t.status.running(training.filter((m) => !stoppedEarly(m)).length || training.length);
    }
    if (s === 'done' && r.models.some(stoppedEarly)) return t.status.doneEarly;
    return (t.status[s] as string) ?? '';
  }

  private renderUnsupported(t: Messages): TemplateResult {
    const p = this.runner.problem;
    const reason = p?.reason ?? 'no-adapter';
    return html`
      <section class="panel" part="unsupported" aria-labelledby="unsupported-title">
        <h3 id="unsupported-title">${t.unsupported.title}</h3>
        <p>${t.unsupported.why[reason]}</p>
        <ul>
          ${t.unsupported.todo.map((x) => html`<li>${x}</li>`)}
        </ul>
        <details>
          <summary>${t.technicalDetail}</summary>
          <p class="detail">${p?.message}</p>
        </details>
        <button part="button" data-action="retry" @click=${this.onRun}>${t.tryAgain}</button>
      </section>
    `;
  }

  private renderAlert(t: Messages): TemplateResult | typeof nothing {
    const r = this.runner;
    const p = r.problem;
    // A lost device is reported once for the run (p), not per model.
    const failed = r.models.filter((m) => m.error && m.errorKind !== 'device-lost');
    if (r.status === 'unsupported' || (!p && !failed.length)) return nothing;
    const modelTitle = (m: ModelState) => (m.errorKind === 'diverged' ? t.diverged(m.name) : t.modelFailed(m.name));
    const title = p
      ? {
          'device-lost': t.deviceLost,
          data: t.dataMissing,
          config: t.unknownExperiment(this.experiment, EXPERIMENTS.map((e) => e.id).join(', ')),
          'no-webgpu': t.unsupported.title,
          diverged: '',
          other: t.status.error,
        }[p.kind]
      : failed.map(modelTitle).join(' ');
    const details = p ? (p.kind === 'config' ? [] : [p.message]) : failed.map((m) => m.error!);
    const canRestart = !r.active && p?.kind !== 'config';
    return html`
      <div class="alert" part="alert" role="alert">
        <h3>${title}</h3>
        ${details.map((d) => html`<p class="detail">${d}</p>`)}
        ${r.hasHistory ? html`<p>${t.keptEpochs}</p>` : nothing}
        ${canRestart ? html`<button part="button" data-action="restart" @click=${this.onRestart}>${p?.kind === 'data' ? t.tryAgain : t.restart}</button>` : nothing}
      </div>
    `;
  }

  /** The views' tabs (WAI-ARIA tabs: arrow keys, Home and End move between them) and the shown
   *  one's panel; the curves stay in the page while hidden, so their charts keep their data. */
  private renderViews(t: Messages): TemplateResult {
    const view = shownView(this.view);
    const r = this.runner;
    const tab = (v: LabView) =>
      html`<button
        role="tab"
        class="tab"
        part="tab"
        id=${`tab-${v}`}
        data-view=${v}
        aria-selected=${view === v}
        aria-controls=${`panel-${v}`}
        tabindex=${view === v ? 0 : -1}
        @click=${() => (this.view = v)}
        @keydown=${this.onTabKey}
      >
        ${t.views[v]}
      </button>`;
    return html`
      <div class="tabs" role="tablist" part="tabs" aria-label=${t.views.label}>${VIEWS.map(tab)}</div>
      <div role="tabpanel" id="panel-curves" aria-labelledby="tab-curves" tabindex="0" ?hidden=${view !== 'curves'}>${this.renderCharts(t)}</div>
      ${
        view === 'weights'
          ? html`<div role="tabpanel" id="panel-weights" aria-labelledby="tab-weights">
            ${weightsView({
              t,
              locale: this.i18n.locale,
              experiment: r.settings?.experiment.id ?? this.experiment,
              models: r.models,
              words: r.settings?.dataset === 'imdb',
              active: r.active,
              epoch: this.player.shown(),
              count: epochCount(r.models),
              playing: this.player.playing,
              onPick: (e) => this.player.pick(e),
              onPlay: () => this.player.toggle(),
            })}
          </div>`
          : nothing
      }
    `;
  }

  private renderCharts(t: Messages): TemplateResult {
    const mode = this.chartMode();
    const s = this.runner.settings!;
    const figure = (kind: ChartKind, title: string, legend: TemplateResult | typeof nothing = nothing) =>
      html`<figure class="chart" part=${`chart chart-${kind}`}>
        <figcaption id=${`cap-${kind}`}>${title}</figcaption>
        <div class="plot" data-chart=${kind} role="img" aria-labelledby=${`cap-${kind}`}></div>
        ${legend}
      </figure>`;
    const titles = [t.charts.loss, t.charts.accuracy, t.charts.weights, ...(mode === 'sweep' ? [t.charts.summary] : [])];
    return html`
      <section class="charts" part="charts" aria-label=${titles.join(', ')} data-mode=${mode}>
        <div class="legend" part="legend">
          ${mode === 'sweep' ? this.renderSweepLegend(t) : this.runner.models.map(modelKey)}
          ${[...this.runs.pinned.values()].flatMap((run) =>
            run.models.map(
              (m, i) =>
                html`<span class=${`key pinned ${colorClass(i)}`} data-pinned=${run.id}><span class="line"></span>${pinnedLabel(run.name, m.name)}</span>`,
            ),
          )}
          <span class="key"><span class="line"></span>${t.training}</span>
          <span class="key"><span class="line dashed"></span>${t.validation}</span>
          ${mode === 'sweep' ? (s.seeds.length > 1 ? html`<span class="key">${t.sweepMean(s.seeds.length)}</span>` : nothing) : html`<span class="key"><span class="line dotted"></span>${t.legendBest}</span>`}
          ${mode === 'sweep' ? nothing : html`<span class="key"><span class="line band"></span>${mode === 'seeds' ? t.bandNote(s.seeds.length) : t.gapNote}</span>`}
          ${
            this.runner.models.some((m) => runEarlyStopping(m))
              ? html`<span class="key" data-key="patience"><span class="line window"></span>${t.legendPatience}</span>
                  <span class="key" data-key="restored"><span class="line restored"></span>${t.legendRestored}</span>`
              : nothing
          }
        </div>
        ${figure('loss', t.charts.loss)} ${figure('accuracy', t.charts.accuracy)} ${figure('weights', t.charts.weights)}
        ${
          mode === 'sweep'
            ? html`${figure('summary', t.charts.summary, this.renderSummaryLegend(t))}
                <p class="note">${t.summaryNote}</p>`
            : nothing
        }
      </section>
    `;
  }

  /** The summary chart's key: each swept model's colour; best validation loss solid, gap dashed. */
  private renderSummaryLegend(t: Messages): TemplateResult {
    return html`<div class="legend summary-legend" part="summary-legend" role="group" aria-label=${t.summaryModels}>
      ${this.sweptModels().map(modelKey)}
      <span class="key"><span class="line"></span>${t.summaryBest}</span>
      <span class="key"><span class="line dashed"></span>${t.summaryGap}</span>
    </div>`;
  }

  /** One toggle per swept value, in its colour: pressed, its curves stand out (keyboard too). */
  private renderSweepLegend(t: Messages): TemplateResult {
    const sweep = this.runner.settings!.sweep!;
    const colors = sequentialColors(sweep.values.length);
    const swept = this.sweptModels();
    const shown = this.shownSweepModel();
    const model = (m: ModelState) =>
      html`<button class=${`key model toggle ${colorClass(m.index)}`} part="button" aria-pressed=${m.name === shown} @click=${() => (this.sweepModel = m.name)}>
        <span class="line"></span>${m.name}
      </button>`;
    return html`${
      swept.length > 1
        ? html`<span class="sweep-models" part="sweep-models" role="group" aria-label=${t.sweepModels}>
            <span class="group-label">${t.sweepShown}</span>${swept.map(model)}
          </span>`
        : nothing
    }
      ${this.runner.models.filter((m) => !swept.includes(m)).map(modelKey)}
      <span class="sweep-values" part="sweep-values" role="group" aria-label=${t.sweepLegend}>
      <span class="group-label">${t.sweepParams[sweep.param]}</span>
      ${sweep.values.map(
        (v, i) =>
          html`<button class="key value toggle" part="button" data-value=${v} aria-pressed=${this.highlight === i} ${cssProps({ '--c': colors[i] })} @click=${() => this.pickValue(i)}>
            <span class="line"></span>${formatValue(v)}
          </button>`,
      )}
    </span>`;
  }

  // ---- event handlers: forward to the controllers or set properties ----

  /** Arrow keys, Home and End move to another tab and show its view (automatic activation). */
  private onTabKey(e: KeyboardEvent): void {
    const i = VIEWS.indexOf(shownView(this.view));
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: VIEWS.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    this.view = VIEWS[(to + VIEWS.length) % VIEWS.length];
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${this.view}`)?.focus());
  }

  private onExperiment(e: Event): void {
    // picking a preset leaves a given spec
    if (this.specSource || this.specError) this.dropSpec();
    this.experiment = (e.target as HTMLInputElement).value;
  }

  /** The editor's epochs, seed and training rows: kept as typed; a valid value is the setting. */
  private onRunField(f: ElementRunField, text: string): void {
    this.runText = { ...this.runText, [f]: text };
    const r = runField(f, text);
    if (r.error) return;
    if (f === 'seed') this.seed = r.value!;
    else if (f === 'epochs') this.epochs = r.value;
    else this.trainLimit = r.value;
  }

  /** Takes the `spec` away (the attribute too), so the preset shows again. */
  private dropSpec(): void {
    if (this.hasAttribute('spec')) this.removeAttribute('spec');
    this.spec = null;
  }

  /** "Reset to the lab's preset": the preset experiment's models, batch size and learning rate. */
  private resetToPreset(): void {
    this.dropSpec();
    this.draftKey = '';
    this.runText = {};
    this.requestUpdate();
  }

  private onDataset(e: Event): void {
    this.datasetName = (e.target as HTMLSelectElement).value;
  }

  private onEpochs(e: Event): void {
    const v = (e.target as HTMLInputElement).valueAsNumber;
    this.epochs = Number.isInteger(v) && v > 0 ? v : undefined;
  }

  private onSeed(e: Event): void {
    const v = (e.target as HTMLInputElement).valueAsNumber;
    this.seed = Number.isFinite(v) ? Math.trunc(v) : 1;
  }

  private onSeeds(e: Event): void {
    this.seeds = Number((e.target as HTMLSelectElement).value) || 1;
  }

  private onPatience(e: Event): void {
    this.earlyStopping = withPatience(this.earlyStopping, (e.target as HTMLInputElement).value);
  }

  private onSweepParam(e: Event): void {
    const param = (e.target as HTMLSelectElement).value as SweepParam | '';
    this.sweep = param ? `${param}=${this.sweepParts().values}` : '';
  }

  private onSweepValues(e: Event): void {
    const values = (e.target as HTMLInputElement).value.trim();
    this.sweep = values || this.sweepParts().param ? `${this.sweepParts().param}=${values}` : '';
  }

  /** The models a sweep varies (a dropout sweep leaves a model without Dropout alone). */
  private sweptModels(): ModelState[] {
    const sweep = this.runner.settings?.sweep;
    return sweep ? this.runner.models.filter((m) => sweepApplies(m.spec, sweep)) : [];
  }

  /** The swept model whose curves the epoch charts draw: the picked one, else the first. */
  private shownSweepModel(): string | null {
    const names = this.sweptModels().map((m) => m.name);
    return this.sweepModel && names.includes(this.sweepModel) ? this.sweepModel : (names[0] ?? null);
  }

  /** Highlights a swept value's curves, or all alike again when it is already highlighted. */
  private pickValue(i: number): void {
    this.highlight = this.highlight === i ? null : i;
  }

  private onLog(e: Event): void {
    this.logScale = (e.target as HTMLInputElement).checked;
  }

  private onSmoothing(e: Event): void {
    this.smoothing = (e.target as HTMLInputElement).valueAsNumber || 0;
  }

  private disabled(e: Event): boolean {
    return (e.currentTarget as HTMLElement).getAttribute('aria-disabled') === 'true';
  }

  private onRun(e: Event): void {
    if (this.disabled(e)) return;
    const s = this.runner.status;
    if (s === 'paused') this.runner.resume();
    else if (this.runner.active) this.runner.pause();
    else void this.runner.start();
  }

  private onStop(e: Event): void {
    if (!this.disabled(e)) this.runner.stop();
  }

  private onReset(e: Event): void {
    if (!this.disabled(e)) this.runner.reset();
  }

  private onRestart(): void {
    void this.runner.start();
  }

  protected override updated(): void {
    if (this.focusNext) {
      const el = this.renderRoot.querySelector<HTMLElement>(this.focusNext);
      if (el) {
        this.focusNext = null;
        el.focus();
        if (el instanceof HTMLInputElement) el.select();
      }
    }
    // The clipboard refused the script: show it in the dialog, selected.
    const d = this.renderRoot.querySelector<HTMLDialogElement>('dialog.keras-dialog');
    if (d && this.kerasDialog !== null && !d.open) {
      d.showModal();
      const area = d.querySelector('textarea')!;
      area.focus();
      area.setSelectionRange(0, area.value.length);
      area.scrollTop = 0; // selected whole, shown from its first line
    }
  }

  /** Copies the run's Keras script; where the clipboard is refused or missing, shows it in a dialog. */
  private async onCopyKeras(e: Event): Promise<void> {
    if (this.disabled(e)) return;
    let script: string;
    try {
      script = this.exportKeras();
    } catch (err) {
      this.kerasStatus = { kind: 'failed', detail: (err as Error).message };
      return;
    }
    this.kerasStatus = null;
    try {
      const clip = (globalThis.navigator as Navigator | undefined)?.clipboard;
      if (!clip?.writeText) throw new Error('no clipboard');
      await clip.writeText(script);
      this.kerasStatus = { kind: 'copied' };
    } catch {
      this.kerasDialog = script;
    }
  }

  private onDownloadKeras(e: Event): void {
    if (this.disabled(e)) return;
    const s = this.runner.settings;
    try {
      const script = this.kerasDialog ?? this.exportKeras();
      const file = kerasFileName(s!);
      save(new Blob([script], { type: 'text/x-python' }), file);
      this.kerasStatus = { kind: 'downloaded', file };
    } catch (err) {
      this.kerasStatus = { kind: 'failed', detail: (err as Error).message };
    }
  }

  private closeKerasDialog(): void {
    this.renderRoot.querySelector<HTMLDialogElement>('dialog.keras-dialog')?.close();
  }

  private onKerasDialogClose(): void {
    this.kerasDialog = null;
  }

  /** A model's final weights as `<model>.json` and `<model>.weights.bin`, one download after the other. */
  private async onExportTfjs(model: string): Promise<void> {
    const f = this.exportTfjs(model);
    if (!f) return;
    save(new Blob([f.json.text], { type: 'application/json' }), f.json.name);
    await new Promise((r) => setTimeout(r, 150)); // browsers take two downloads better apart
    save(new Blob([f.weights.bytes], { type: 'application/octet-stream' }), f.weights.name);
  }

  /** A Keras model.json as a new model of the draft, or why not. */
  private onImport(json: string): void {
    const d = this.draft;
    if (!d) return;
    try {
      const out = importModel(d, specFromKerasJson(json));
      if ('refused' in out) this.importOutcome = { kind: 'refused', refusal: out.refused };
      else {
        this.draft = out.draft;
        this.importOutcome = { kind: 'ok', name: out.name };
      }
    } catch (err) {
      this.importOutcome = { kind: 'error', detail: (err as Error).message };
    }
  }

  private async onExport(kind: 'csv' | 'json' | 'png'): Promise<void> {
    if (!this.runner.hasHistory) return;
    const snap = this.runner.snapshot();
    const blob =
      kind === 'png'
        ? await this.exportPng()
        : new Blob([kind === 'csv' ? toCsv(snap) : toJson(snap)], { type: kind === 'csv' ? 'text/csv' : 'application/json' });
    save(blob, exportName(snap, kind));
  }
}

/** Offers a blob for download under a file name. */
function save(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** The element's views: the curves and the weights. */
export type LabView = 'curves' | 'weights';
const VIEWS: readonly LabView[] = ['curves', 'weights'];
/** The `view` attribute as a view (anything else: the curves). */
const shownView = (v: string): LabView => (v === 'weights' ? 'weights' : 'curves');

if (!customElements.get('overfit-lab')) customElements.define('overfit-lab', OverfitLab);

declare global {
  interface HTMLElementTagNameMap {
    'overfit-lab': OverfitLab;
  }
  interface HTMLElementEventMap {
    'overfit-start': CustomEvent<OverfitStartDetail>;
    'overfit-epoch': CustomEvent<OverfitEpochDetail>;
    'overfit-done': CustomEvent<OverfitDoneDetail>;
    'overfit-error': CustomEvent<OverfitErrorDetail>;
  }
}
