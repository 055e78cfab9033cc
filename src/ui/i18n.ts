// Every string <overfit-lab> shows, in English and Korean, and the short explanation of each
// experiment. Plain data and small functions: no DOM, so Node tests can check both languages.
import { findExperiment } from '../experiments/presets.ts';
import type { GpuUnavailableReason } from '../gpu/device.ts';
import { countParams } from '../model/summary.ts';
import { MAX_SWEEP_VALUES } from './overfit-lab/replicas.ts';
import type { Locale } from './overfit-lab/types.ts';

export type { Locale };

/** 'ko', 'ko-KR' -> 'ko'; anything else (or nothing) -> 'en'. */
export function toLocale(tag: string | null | undefined): Locale {
  return tag?.trim().toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export interface ExperimentText {
  title: string;
  /** A few words for the experiment picker. */
  short: string;
  /** What the experiment compares and what the technique does. */
  body: string[];
  /** What to look for in the curves. */
  lookFor: string[];
}

export interface UnsupportedText {
  title: string;
  why: Record<GpuUnavailableReason, string>;
  todo: string[];
}

/** A preset model as the prose describes it (Dense units, parameters, epochs), so the text
 *  follows the presets. */
function presetFacts(experiment: string, model: string, locale: Locale) {
  const m = findExperiment(experiment).models.find((x) => x.name === model)!;
  const units = m.spec.layers.flatMap((l) => (l.type === 'Dense' ? [l.units] : [])).join('-');
  return { units, params: numberFormat(locale).int(countParams(m.spec).total), epochs: m.epochs };
}

const small = { en: presetFacts('imdb-overfit', 'basic', 'en'), ko: presetFacts('imdb-overfit', 'basic', 'ko') };
const large = { en: presetFacts('imdb-overfit', 'overfitting', 'en'), ko: presetFacts('imdb-overfit', 'overfitting', 'ko') };

const en = {
  experiment: 'Experiment',
  experiments: {
    'imdb-overfit': {
      title: 'Overfitting: a small and a large model',
      short: 'Overfitting',
      body: [
        'Both models read an IMDB movie review as a multi-hot vector of its 100 most frequent words and predict whether the review is positive. ' +
          `“basic” (${small.en.units} units, ${small.en.params} parameters) trains for ${small.en.epochs} epochs; “overfitting” (${large.en.units} units, ${large.en.params} parameters) for ${large.en.epochs}.`,
        'The large model has far more capacity than 100 word features need: it can memorise the training reviews.',
      ],
      lookFor: [
        'The shaded gap between a model’s solid training curve and its dashed validation curve: it widens as the model overfits.',
        'The marker at each model’s best validation epoch: after it, more training makes the model worse on reviews it has not seen.',
        'The large model drives its training loss down fast, and its validation loss turns upward sooner and higher.',
      ],
    },
    regularization: {
      title: 'Weight regularization: L1 and L2',
      short: 'L1 / L2',
      body: [
        'Regularization adds a penalty on the size of the weights to the loss, so training prefers simpler models. ' +
          'L1 adds 0.001 × Σ|w| and pushes many weights to exactly zero; L2 adds 0.001 × Σw² and shrinks all weights smoothly (weight decay).',
        'Three 128-128-1 models on the IMDB reviews: without a penalty, with L1 and with L2.',
      ],
      lookFor: [
        'The validation loss of the L1 and L2 models stays lower and turns up later than the basic model’s.',
        'The Σ|W| chart: without a penalty the weights keep growing; with L1 they stay far smaller. That is the penalty at work.',
        'The charts plot the pure cross-entropy; the penalty is part of the loss that is minimised, not of these curves (the CSV has both).',
      ],
    },
    dropout: {
      title: 'Dropout',
      short: 'Dropout',
      body: [
        'Dropout switches off a random 30 % of a layer’s units at every training step and scales the others up by 1/0.7, so no unit can rely on particular partners: ' +
          'the network has to learn redundant, more general features. At validation and test time every unit is on.',
        'Two 128-128-1 models on the IMDB reviews: without and with Dropout(0.3) after each hidden layer.',
      ],
      lookFor: [
        'With dropout the training loss is higher and noisier: the network is handicapped on purpose while it trains.',
        'Its validation loss stays closer to its training loss: the gap is smaller and opens later.',
        'The validation curve may even lie below the training curve, because validation runs without dropout.',
      ],
    },
    batchnorm: {
      title: 'Batch normalization',
      short: 'Batch norm',
      body: [
        'BatchNormalization standardises each unit over the mini-batch (mean 0, variance 1) and then rescales it with two learned parameters, γ and β. ' +
          'Activations stay in a good range while the layers below change, which usually makes training faster and steadier. At test time it uses moving averages of the batch statistics.',
        'Two 128-128-10 networks on 28×28 images (handwritten digits or clothing): without and with BatchNormalization.',
      ],
      lookFor: [
        'The batch-normalised model’s losses fall faster in the first epochs.',
        'BatchNormalization is not mainly a regulariser: both models can still overfit, so watch the gap.',
        'Its layer table lists 4 parameters per unit for each BatchNormalization layer; 2 of them (moving mean and variance) are not trainable.',
      ],
    },
  },
  whatIsOverfitting: 'What is overfitting?',
  overfitting: [
    'A model overfits when it starts to memorise its training examples instead of learning patterns that carry over to new data. ' +
      'The training loss keeps falling, but the validation loss (measured on examples the model never trains on) bottoms out and climbs again.',
    'The more capacity a model has compared with its data (more layers, more units, more epochs), the sooner and the harder it overfits. ' +
      'Smaller models, weight penalties (L1, L2), dropout and stopping at the best validation epoch all fight it.',
  ],
  lookFor: 'What to look for',
  explanation: 'About this experiment',
  dataset: 'Data set',
  datasets: { imdb: 'IMDB reviews', mnist: 'MNIST digits', 'fashion-mnist': 'Fashion-MNIST clothing' },
  epochs: 'Epochs',
  epochsDefault: (d: string) => `lab: ${d}`,
  seed: 'Seed',
  seeds: 'Seeds',
  seedsOption: (n: number) => (n === 1 ? '1 (one run)' : `${n} seeds: mean and range`),
  sweep: 'Sweep',
  sweepNone: 'none',
  sweepValues: 'Values',
  sweepPlaceholder: 'e.g. 0, 0.0001, 0.001, 0.01',
  sweepParams: { l1: 'L1 factor', l2: 'L2 factor', dropout: 'Dropout rate', lr: 'Learning rate' },
  sweepErrors: {
    param: 'Pick what to sweep: l1, l2, dropout or lr.',
    empty: 'Type the values to sweep, separated by commas.',
    number: 'Every value must be a number, e.g. 0.001 or 1e-3.',
    range: 'Out of range: l1 and l2 must be ≥ 0, a dropout rate at least 0 and below 1, a learning rate above 0.',
    duplicate: 'Each value only once, please.',
    'too-many': `At most ${MAX_SWEEP_VALUES} values.`,
  },
  earlyStopping: 'Early stopping (patience)',
  earlyStoppingOff: 'off',
  earlyStoppingHint: (monitor: string, minDelta: number, restore: boolean) =>
    `Watches ${monitor}${minDelta ? ` (an improvement must beat the best by more than ${minDelta})` : ''}; when it has not improved for this many epochs, training stops${restore ? ' and the best epoch’s weights are restored' : ''}. Empty: off.`,
  earlyStoppingHintOff: 'Epochs without a better val_loss before training stops (Keras’ EarlyStopping; the best weights are restored). Empty: off.',
  earlyStoppingJson: 'Set by the early-stopping attribute as Keras arguments; typing a patience replaces them.',
  earlyStoppingError: (detail: string) => `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.`.replace(/\.\.$/, '.'),
  legendPatience: 'patience window (early stopping)',
  legendRestored: 'restored weights',
  restored: 'restored',
  bandNote: (n: number) => `shaded: the range over ${n} seeds`,
  sweepLegend: 'Swept values (pick one to highlight its curves)',
  sweepModels: 'The swept model whose curves the charts show',
  sweepShown: 'Curves of',
  summaryModels: 'Models on the summary chart',
  sweepMean: (n: number) => (n > 1 ? `each curve: the mean over ${n} seeds` : ''),
  sweptValue: 'value',
  summaryBest: 'best val loss',
  summaryGap: 'val − train at the last epoch',
  summaryNote:
    'Each swept value’s best (lowest) validation loss, solid, and its train/validation gap at the last epoch, dashed. ' +
    'Too little regularization: a wide gap and a higher validation loss (overfitting). Too much: the model underfits and the validation loss rises again. ' +
    'The best value sits at the bottom of the U.',
  start: 'Start',
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop',
  reset: 'Reset',
  restart: 'Restart',
  tryAgain: 'Try again',
  runControls: 'Training controls',
  chartOptions: 'Chart options',
  logScale: 'Log scale (loss)',
  smoothing: 'Smoothing',
  exportLabel: 'Export',
  exportCsv: 'CSV',
  exportJson: 'JSON',
  exportPng: 'PNG',
  keras: {
    label: 'Keras',
    copy: 'Copy as Keras',
    copyLabel: 'Copy this run as a Keras (Python) script',
    download: 'Download .py',
    downloadLabel: 'Download this run as a Keras (Python) script',
    copied: 'Copied the Keras script',
    downloaded: (file: string) => `Downloaded ${file}`,
    failed: (detail: string) => `Could not write the Keras script: ${detail}`,
    noteSeeds: (seed: number, n: number) => `The Keras script trains with seed ${seed}, the first of this run’s ${n} seeds.`,
    noteSweep: (param: string, seed: number) => `The Keras script trains the models as they are, with seed ${seed}, without the ${param} sweep.`,
    dialogTitle: 'The run as a Keras script',
    dialogHint: 'The clipboard is not available here. The script is selected below: copy it (Ctrl+C or ⌘C) or download it.',
    script: 'Keras script',
    close: 'Close',
  },
  charts: {
    loss: 'Loss (cross-entropy)',
    accuracy: 'Accuracy',
    weights: 'Weight norm Σ|W|',
    summary: 'Sweep: best validation loss and final gap',
    epoch: 'epoch',
  },
  views: { label: 'Views', curves: 'Curves', weights: 'Weights' },
  weights: {
    title: 'Weights per layer',
    empty: 'Start training to see the weights.',
    waiting: 'The weights appear when the first epoch ends.',
    scrubber: 'Epoch shown',
    epoch: (e: number, n: number) => `Epoch ${e} / ${n}`,
    play: 'Play',
    pause: 'Pause',
    /** A model whose shown epoch is not the picked one (one behind, or it stopped sooner). */
    modelEpoch: (e: number) => `epoch ${e}`,
    size: (n: string) => `${n} weights`,
    nearZero: (share: string) => `${share} below 1e-3`,
    maxAbs: (v: string) => `max |w| ${v}`,
    histogramLabel: (tensor: string, epoch: number, size: string, share: string, zeros: string, median: string, max: string) =>
      `${tensor}, epoch ${epoch}: ${size} weights; ${share} below 1e-3, ${zeros} exactly zero; median |w| ${median}; largest |w| ${max}.`,
    range: (lo: string, hi: string) => `${lo} to ${hi}`,
    reading:
      'Each histogram counts one layer’s kernel weights by their size |w| on a log scale from 10⁻⁶ to 10. The bar at 0 counts weights that are exactly zero; the dashed line marks 1e-3.',
    measured: (epoch: number, items: { name: string; share: string; epoch: number }[]) => {
      const at = (i: { epoch: number }) => (i.epoch !== epoch ? ` (epoch ${i.epoch})` : '');
      const [first, ...rest] = items;
      return `At epoch ${epoch}, ${first.share} of ${first.name}’s first-layer weights${at(first)} are below 1e-3${rest.map((i) => `; ${i.name}${at(i)}: ${i.share}`).join('')}.`;
    },
    theory: {
      regularization:
        'L1 pulls every weight toward zero by the same step, so small weights keep shrinking until only a few important ones remain. ' +
        'L2 pulls in proportion to the weight: it restrains the large weights but leaves fewer of them at (nearly) zero.',
      other: 'Nothing in these models penalises the size of the weights; the L1 / L2 experiment shows how a penalty moves the histograms toward zero.',
    },
    nearZeroTitle: 'Kernel weights below 1e-3, per epoch',
    nearZeroItem: (model: string, first: string, last: string, epoch: number) => `${model}: ${first} at epoch 1, ${last} at epoch ${epoch}`,
    nearZeroLabel: (items: string[]) => `Share of all kernel weights below 1e-3, per epoch. ${items.join('; ')}.`,
    overlayTitle: 'First layer (dense/kernel), the models overlaid',
    overlayItem: (model: string, share: string, median: string) => `${model}: ${share} below 1e-3, median |w| ${median}`,
    overlayLabel: (epoch: number, items: string[]) => `Histograms of |w| in each model’s first layer at epoch ${epoch}, overlaid. ${items.join('; ')}.`,
    dead: 'Dead ReLU units',
    deadItem: (layer: string, dead: number, units: number) => `${layer} ${dead} / ${units}`,
    deadNote: 'A dead ReLU unit is never active on the validation rows: it passes nothing on, and its weights get no gradient.',
    words: 'Word importance',
    wordsIntro:
      'The 100 words ranked by the norm of their row in the first layer’s kernel, strongest first. L1 drives the rows of the words a model does not need to zero: that is its feature selection.',
    wordsPending: 'The words come when the model has finished training.',
    wordsTop: (model: string) => `${model}: the strongest words`,
    wordsCount: (below3: number, below2: number, total: number) => `${below3} of ${total} words below 1e-3, ${below2} below 1e-2`,
    wordsDropped: (list: string) => `Dropped (norm below 1e-3): ${list}`,
  },
  training: 'training',
  validation: 'validation',
  overfittingStartsHere: 'overfitting starts here',
  gapNote: 'shaded: the train/validation gap',
  legendBest: 'best validation epoch',
  status: {
    idle: 'Ready. Press Start to train on this device’s GPU.',
    checking: 'Looking for a WebGPU adapter…',
    loading: (d: string) => `Loading the ${d} data…`,
    compiling: 'Preparing the models (compiling GPU kernels)…',
    running: (n: number) => `Training ${n} ${n === 1 ? 'model' : 'models'} side by side.`,
    paused: 'Paused after the epoch in flight. Press Resume to go on.',
    stopping: 'Stopping after the epoch in flight…',
    stopped: 'Stopped. Finished epochs and their test scores are kept.',
    done: 'Finished. Test scores are on the model cards.',
    doneEarly: 'Finished: early stopping ended training before the last epoch. Test scores are on the model cards.',
    error: 'The run stopped with an error.',
    unsupported: 'WebGPU is not available in this browser.',
  },
  card: {
    params: (t: string, tr: string) => `${t} parameters (${tr} trainable)`,
    layers: 'Layers (Keras summary)',
    layer: 'Layer (type)',
    outputShape: 'Output shape',
    paramCount: 'Param #',
    total: 'Total',
    epoch: (d: number, t: number) => `Epoch ${d} / ${t}`,
    progress: (m: string) => `${m}: training progress`,
    rate: (r: string) => `${r} epochs/s`,
    eta: (t: string) => `ETA ${t}`,
    finished: 'finished',
    stopped: 'stopped',
    stoppedEarly: 'stopped early',
    exportTfjs: 'Export TF.js model',
    exportTfjsLabel: (m: string) => `Export ${m} as a TF.js model (model.json and its weights file)`,
    exportTfjsHint: 'Final weights; load with tf.loadLayersModel.',
    es: {
      pending: (patience: number, monitor: string) => `Early stopping: patience ${patience} on ${monitor}`,
      warmup: (from: number) => `Early stopping: watching from epoch ${from}`,
      waiting: (best: number, wait: number, patience: number) =>
        `Early stopping: best epoch ${best} · no improvement for ${wait} of ${patience} ${patience === 1 ? 'epoch' : 'epochs'}`,
      stopped: (stopped: number, restored: number) => `Stopped early at epoch ${stopped} · weights of epoch ${restored} restored (test scores use them)`,
      stoppedKept: (stopped: number) => `Stopped early at epoch ${stopped} · its last epoch’s weights kept (restore_best_weights is off)`,
      notStopped: 'Patience did not run out: the last epoch’s weights (Keras 2.x)',
      replicas: (stopped: number, total: number) => `Early stopping: ${stopped} of ${total} runs stopped (each on its own)`,
      replicasDone: (stopped: number, total: number) =>
        `Early stopping: ${stopped} of ${total} runs stopped early; each one’s test scores use the weights it kept`,
    },
    latest: 'Last epoch',
    test: 'Test scores',
    loss: 'loss',
    accuracy: 'accuracy',
    crossEntropy: 'cross-entropy',
    valLoss: 'val loss',
    valAccuracy: 'val accuracy',
    gap: 'gap (val − train)',
    bestEpoch: (e: number) => `best validation epoch: ${e}`,
  },
  seconds: (s: string) => `${s} s`,
  minutes: (m: string) => `${m} min`,
  diverged: (m: string) => `Model “${m}” diverged (its loss became NaN or infinite).`,
  modelFailed: (m: string) => `Model “${m}” stopped with an error.`,
  deviceLost: 'The GPU device was lost, so training stopped.',
  dataMissing: 'The data could not be loaded.',
  keptEpochs: 'The finished epochs stay on the charts. Restart to train again.',
  unknownExperiment: (id: string, valid: string) => `There is no experiment “${id}”. Valid: ${valid}.`,
  unsupported: {
    title: 'WebGPU is not available here',
    why: {
      'no-navigator-gpu': 'This browser has no WebGPU at all (navigator.gpu is missing), so the models cannot train on your GPU.',
      'no-adapter':
        'This browser knows WebGPU, but it did not grant a GPU adapter: WebGPU is switched off, blocked for this GPU or driver, or the page is not in a secure context.',
      'device-request-failed': 'A GPU adapter was found, but it refused to create a device.',
    },
    todo: [
      'Use a current desktop Chrome or Edge (113 or newer), or Safari/Firefox with WebGPU enabled.',
      'Turn on hardware acceleration (chrome://settings/system) and update the GPU driver; chrome://gpu says whether WebGPU is blocked.',
      'On Linux, start Chrome with --enable-unsafe-webgpu (and --enable-features=Vulkan).',
      'Open the page over https or from localhost.',
    ],
  },
  runs: {
    title: 'Saved runs',
    hint: 'Each finished or stopped run is kept in this browser (nothing is sent anywhere). Pin one to draw it, dimmed, beside the current run.',
    empty: 'No saved runs yet: finish or stop a run and it appears here.',
    loading: 'Reading the saved runs…',
    listLabel: 'Saved runs, newest first',
    saved: (name: string) => `Saved as ${name}`,
    seed: (s: string) => `seed ${s}`,
    seeds: (s: string) => `seeds ${s}`,
    stopped: 'stopped',
    testCe: 'test cross-entropy',
    noTest: 'no test scores',
    pin: 'Pin',
    unpin: 'Unpin',
    pinLabel: (name: string) => `Pin ${name} on the charts`,
    rename: 'Rename',
    renameLabel: (name: string) => `Rename ${name}`,
    nameField: 'New name (Enter saves, Escape cancels)',
    renamed: (name: string) => `Renamed to ${name}`,
    exportOne: 'Export',
    exportOneLabel: (name: string) => `Export ${name} as JSON`,
    exportAll: 'Export all',
    exported: (file: string) => `Downloaded ${file}`,
    import: 'Import runs (JSON)',
    imported: (n: number) => (n === 1 ? 'Imported 1 run.' : `Imported ${n} runs.`),
    skipped: (index: number, reason: string) => `Run ${index + 1} of the file skipped: ${reason}`,
    delete: 'Delete',
    deleteLabel: (name: string) => `Delete ${name}`,
    confirmDelete: (name: string) => `Delete ${name}? This cannot be undone.`,
    deleteAll: 'Delete all',
    confirmDeleteAll: (n: number) => `Delete all ${n} saved runs? Export them first to keep a copy.`,
    yesDelete: 'Delete',
    cancel: 'Cancel',
    deleted: (name: string) => `Deleted ${name}`,
    deletedAll: 'Deleted every saved run',
    pinnedKey: 'pinned run (dimmed)',
    /** English: the store's own message; the Korean set words each code. */
    error: (_code: string, message: string) => `Saved runs: ${message}`,
  },
  technicalDetail: 'Technical detail',
  edit: {
    title: 'Edit the models and the run',
    run: 'Run',
    learningRate: 'Learning rate',
    batchSize: 'Batch size',
    trainRows: 'Training rows',
    trainRowsAll: 'all',
    model: (n: number, name: string) => `Model ${n}: ${name}`,
    name: 'Name',
    layers: (name: string) => `Layers of ${name}`,
    layer: (n: number, type: string) => `Layer ${n}: ${type}`,
    units: 'Units',
    activation: 'Activation',
    activationNone: 'linear (none)',
    l1: 'L1',
    l2: 'L2',
    regularizerNone: 'none',
    rate: 'Rate',
    batchNorm: 'BatchNormalization after',
    batchNormLayer: 'normalizes the layer before (4 parameters per feature, 2 trainable)',
    flatten: (n: number) => `flattens the input to ${n} features`,
    removeLayer: (n: number) => `Remove layer ${n}`,
    addDense: 'Add Dense layer',
    addDropout: 'Add Dropout layer',
    duplicate: 'Duplicate',
    duplicateLabel: (name: string) => `Duplicate model ${name}`,
    remove: 'Remove',
    removeLabel: (name: string) => `Remove model ${name}`,
    addModel: 'Add model',
    maxModels: (n: number) => `At most ${n} models.`,
    preset: 'Reset to the lab’s preset',
    params: (total: string, trainable: string) => `${total} parameters (${trainable} trainable)`,
    summary: (name: string) => `Keras summary of ${name}`,
    invalid: (detail: string) => `${detail}.`.replace(/\.\.$/, '.'),
    startBlocked: (detail: string) => `Start waits for a valid experiment: ${detail}.`.replace(/\.\.$/, '.'),
    whileRunning: 'Edits apply to the next run; the editor is locked while one trains.',
    specError: 'The experiment given as spec is not valid',
    importTitle: 'Import a Keras model',
    importFile: 'Keras model.json file',
    importPaste: 'or paste model.to_json()',
    importButton: 'Import',
    importHint: 'Sequential models of Dense, Dropout, BatchNormalization, Activation and Flatten layers.',
    imported: (name: string) => `Imported ${name} as a new model.`,
    importFull: (n: number) => `Not imported: at most ${n} models; remove one first.`,
    importShape: (got: string, want: string, dataset: string) => `Not imported: its input shape (${got}) does not fit the rows of ${dataset} (${want}).`,
    importError: (detail: string) => `Not imported: ${detail}`,
  },
};

/** Every message, typed from the English set: Korean must have each one, with the same parameters. */
export type Messages = typeof en;

const ko: Messages = {
  experiment: '실험',
  experiments: {
    'imdb-overfit': {
      title: '과대적합: 작은 모델과 큰 모델',
      short: '과대적합',
      body: [
        '두 모델 모두 IMDB 영화 리뷰를 가장 자주 쓰이는 단어 100개의 멀티-핫 벡터로 읽고, 리뷰가 긍정적인지 예측합니다. ' +
          `“basic”(${small.ko.units} 유닛, 파라미터 ${small.ko.params}개)은 ${small.ko.epochs} 에폭, “overfitting”(${large.ko.units} 유닛, 파라미터 ${large.ko.params}개)은 ${large.ko.epochs} 에폭 동안 학습합니다.`,
        '큰 모델은 단어 특성 100개에 필요한 것보다 훨씬 큰 용량을 가지고 있어서 훈련 리뷰를 통째로 외울 수 있습니다.',
      ],
      lookFor: [
        '모델의 실선(훈련)과 점선(검증) 곡선 사이의 음영: 모델이 과대적합될수록 이 간격이 벌어집니다.',
        '모델마다 표시된 최적 검증 에폭: 그 이후로는 학습을 더 할수록 처음 보는 리뷰에 대한 성능이 나빠집니다.',
        '큰 모델은 훈련 손실을 빠르게 낮추지만, 검증 손실은 더 일찍, 더 높이 올라갑니다.',
      ],
    },
    regularization: {
      title: '가중치 규제: L1과 L2',
      short: 'L1 / L2 규제',
      body: [
        '규제는 가중치의 크기에 대한 벌칙을 손실에 더해서 더 단순한 모델을 선호하게 만듭니다. ' +
          'L1은 0.001 × Σ|w|를 더해 많은 가중치를 정확히 0으로 만들고, L2는 0.001 × Σw²를 더해 모든 가중치를 고르게 줄입니다(가중치 감쇠).',
        'IMDB 리뷰로 학습하는 128-128-1 모델 세 개: 규제 없음, L1, L2.',
      ],
      lookFor: [
        'L1과 L2 모델의 검증 손실은 basic 모델보다 낮게 유지되고 더 늦게 올라갑니다.',
        'Σ|W| 차트: 규제가 없으면 가중치가 계속 커지고, L1을 쓰면 훨씬 작게 유지됩니다. 벌칙이 작동하는 모습입니다.',
        '차트는 순수한 교차 엔트로피를 보여 줍니다. 벌칙은 최소화되는 손실에는 들어가지만 이 곡선에는 들어가지 않습니다(CSV에는 둘 다 있습니다).',
      ],
    },
    dropout: {
      title: '드롭아웃',
      short: '드롭아웃',
      body: [
        '드롭아웃은 훈련 스텝마다 층의 유닛 중 무작위로 30 %를 끄고 나머지를 1/0.7배로 키웁니다. 어떤 유닛도 특정 유닛에 기댈 수 없으니 ' +
          '네트워크는 중복되고 더 일반적인 특성을 배워야 합니다. 검증과 테스트 때는 모든 유닛이 켜져 있습니다.',
        'IMDB 리뷰로 학습하는 128-128-1 모델 두 개: 드롭아웃 없음, 은닉층마다 Dropout(0.3).',
      ],
      lookFor: [
        '드롭아웃을 쓰면 훈련 손실이 더 높고 더 흔들립니다. 훈련하는 동안 일부러 네트워크에 핸디캡을 주기 때문입니다.',
        '검증 손실이 훈련 손실에 더 가깝게 유지됩니다. 간격이 더 작고 더 늦게 벌어집니다.',
        '검증은 드롭아웃 없이 실행되므로 검증 곡선이 훈련 곡선보다 아래에 있을 수도 있습니다.',
      ],
    },
    batchnorm: {
      title: '배치 정규화',
      short: '배치 정규화',
      body: [
        'BatchNormalization은 미니배치에 대해 각 유닛을 표준화(평균 0, 분산 1)한 뒤 학습되는 두 파라미터 γ와 β로 다시 스케일합니다. ' +
          '아래층이 바뀌는 동안에도 활성화가 적당한 범위에 머물러서 보통 학습이 더 빠르고 안정적입니다. 테스트 때는 배치 통계의 이동 평균을 씁니다.',
        '28×28 이미지(손글씨 숫자 또는 옷)로 학습하는 128-128-10 네트워크 두 개: 배치 정규화 없음, 있음.',
      ],
      lookFor: [
        '배치 정규화를 쓴 모델의 손실이 처음 몇 에폭 동안 더 빨리 떨어집니다.',
        'BatchNormalization은 무엇보다 규제 기법은 아닙니다. 두 모델 모두 과대적합될 수 있으니 간격을 지켜보세요.',
        '층 표에서 BatchNormalization 층은 유닛마다 파라미터 4개를 가지며, 그중 2개(이동 평균과 이동 분산)는 훈련되지 않습니다.',
      ],
    },
  },
  whatIsOverfitting: '과대적합이란?',
  overfitting: [
    '모델이 새 데이터에도 통하는 패턴을 배우는 대신 훈련 샘플을 외우기 시작하면 과대적합된 것입니다. ' +
      '훈련 손실은 계속 떨어지지만, 검증 손실(모델이 한 번도 학습하지 않은 샘플로 잰 손실)은 바닥을 찍고 다시 올라갑니다.',
    '데이터에 비해 모델의 용량이 클수록(층, 유닛, 에폭이 많을수록) 더 일찍, 더 심하게 과대적합됩니다. ' +
      '더 작은 모델, 가중치 벌칙(L1, L2), 드롭아웃, 최적 검증 에폭에서 멈추기가 모두 과대적합을 막습니다.',
  ],
  lookFor: '살펴볼 점',
  explanation: '이 실험에 대하여',
  dataset: '데이터셋',
  datasets: { imdb: 'IMDB 리뷰', mnist: 'MNIST 숫자', 'fashion-mnist': 'Fashion-MNIST 옷' },
  epochs: '에폭',
  epochsDefault: (d) => `실습 기본값: ${d}`,
  seed: '시드',
  seeds: '시드 수',
  seedsOption: (n: number) => (n === 1 ? '1 (한 번 실행)' : `${n}개 (평균과 범위)`),
  sweep: '스윕',
  sweepNone: '없음',
  sweepValues: '값',
  sweepPlaceholder: '예: 0, 0.0001, 0.001, 0.01',
  sweepParams: { l1: 'L1 계수', l2: 'L2 계수', dropout: '드롭아웃 비율', lr: '학습률' },
  sweepErrors: {
    param: '스윕할 항목을 고르세요: l1, l2, dropout, lr.',
    empty: '스윕할 값을 쉼표로 구분해 입력하세요.',
    number: '모든 값은 숫자여야 합니다(예: 0.001 또는 1e-3).',
    range: '범위를 벗어났습니다: l1과 l2는 0 이상, 드롭아웃 비율은 0 이상 1 미만, 학습률은 0보다 커야 합니다.',
    duplicate: '같은 값은 한 번만 입력하세요.',
    'too-many': `값은 최대 ${MAX_SWEEP_VALUES}개입니다.`,
  },
  earlyStopping: '조기 종료 (patience)',
  earlyStoppingOff: '끔',
  earlyStoppingHint: (monitor, minDelta, restore) =>
    `${monitor}을(를) 지켜봅니다${minDelta ? `(최적값보다 ${minDelta} 넘게 좋아져야 개선으로 칩니다)` : ''}. 이만큼의 에폭 동안 개선이 없으면 학습을 멈추고${restore ? ' 최적 에폭의 가중치를 복원합니다' : ' 마지막 에폭의 가중치를 그대로 둡니다'}. 비우면 끔.`,
  earlyStoppingHintOff: 'val_loss가 나아지지 않는 에폭이 이만큼 이어지면 학습을 멈춥니다(Keras EarlyStopping, 최적 가중치 복원). 비우면 끔.',
  earlyStoppingJson: 'early-stopping 속성에 Keras 인자로 설정되어 있습니다. patience를 입력하면 그 설정을 대신합니다.',
  earlyStoppingError: (detail) => `조기 종료 설정이 올바르지 않습니다: ${detail}. 예: 3, 3,0.001 또는 Keras 인자의 JSON 객체.`,
  legendPatience: 'patience 구간(조기 종료)',
  legendRestored: '복원한 가중치',
  restored: '복원',
  bandNote: (n: number) => `음영: 시드 ${n}개에 걸친 범위`,
  sweepLegend: '스윕한 값(하나를 고르면 그 곡선이 강조됩니다)',
  sweepModels: '차트에 곡선을 보여 줄 스윕 모델',
  sweepShown: '곡선:',
  summaryModels: '요약 차트의 모델',
  sweepMean: (n: number) => (n > 1 ? `각 곡선: 시드 ${n}개의 평균` : ''),
  sweptValue: '값',
  summaryBest: '최적 검증 손실',
  summaryGap: '마지막 에폭의 검증 − 훈련',
  summaryNote:
    '실선은 스윕한 각 값의 최적(최저) 검증 손실, 점선은 마지막 에폭의 훈련/검증 간격입니다. ' +
    '규제가 너무 약하면 간격이 넓고 검증 손실이 높습니다(과대적합). 너무 강하면 모델이 과소적합되어 검증 손실이 다시 올라갑니다. ' +
    '가장 좋은 값은 U자의 바닥에 있습니다.',
  start: '시작',
  pause: '일시 정지',
  resume: '계속',
  stop: '멈춤',
  reset: '초기화',
  restart: '다시 시작',
  tryAgain: '다시 시도',
  runControls: '학습 조작',
  chartOptions: '차트 옵션',
  logScale: '로그 스케일(손실)',
  smoothing: '평활화',
  exportLabel: '내보내기',
  exportCsv: 'CSV',
  exportJson: 'JSON',
  exportPng: 'PNG',
  keras: {
    label: 'Keras',
    copy: 'Keras 코드로 복사',
    copyLabel: '이 실행을 Keras(Python) 스크립트로 복사',
    download: '.py 내려받기',
    downloadLabel: '이 실행을 Keras(Python) 스크립트로 내려받기',
    copied: 'Keras 스크립트를 복사했습니다',
    downloaded: (file) => `${file} 파일을 내려받았습니다`,
    failed: (detail) => `Keras 스크립트를 만들 수 없습니다: ${detail}`,
    noteSeeds: (seed, n) => `Keras 스크립트는 이 실행의 시드 ${n}개 중 첫 번째인 시드 ${seed}로 학습합니다.`,
    noteSweep: (param, seed) => `Keras 스크립트는 ${param} 스윕 없이 모델을 그대로 시드 ${seed}로 학습합니다.`,
    dialogTitle: 'Keras 스크립트로 본 이 실행',
    dialogHint: '여기서는 클립보드를 쓸 수 없습니다. 아래 스크립트가 선택되어 있으니 복사(Ctrl+C 또는 ⌘C)하거나 내려받으세요.',
    script: 'Keras 스크립트',
    close: '닫기',
  },
  charts: { loss: '손실(교차 엔트로피)', accuracy: '정확도', weights: '가중치 노름 Σ|W|', summary: '스윕: 최적 검증 손실과 마지막 간격', epoch: '에폭' },
  views: { label: '보기', curves: '곡선', weights: '가중치' },
  weights: {
    title: '층별 가중치',
    empty: '학습을 시작하면 가중치를 볼 수 있습니다.',
    waiting: '첫 에폭이 끝나면 가중치가 나타납니다.',
    scrubber: '표시할 에폭',
    epoch: (e, n) => `에폭 ${e} / ${n}`,
    play: '재생',
    pause: '일시 정지',
    modelEpoch: (e) => `에폭 ${e}`,
    size: (n) => `가중치 ${n}개`,
    nearZero: (share) => `1e-3 미만 ${share}`,
    maxAbs: (v) => `최대 |w| ${v}`,
    histogramLabel: (tensor, epoch, size, share, zeros, median, max) =>
      `${tensor}, 에폭 ${epoch}: 가중치 ${size}개 중 1e-3 미만 ${share}, 정확히 0인 가중치 ${zeros}개, |w| 중앙값 ${median}, 최대 |w| ${max}.`,
    range: (lo, hi) => `${lo}~${hi}`,
    reading:
      '각 히스토그램은 한 층의 커널 가중치를 크기 |w|에 따라 10⁻⁶부터 10까지 로그 스케일로 셉니다. 0에 있는 막대는 정확히 0인 가중치의 수이고, 점선은 1e-3의 위치입니다.',
    measured: (epoch, items) =>
      `에폭 ${epoch}에서 첫 번째 층 가중치 중 1e-3보다 작은 비율은 ${items.map((i) => `${i.name} ${i.share}${i.epoch !== epoch ? `(에폭 ${i.epoch})` : ''}`).join(', ')}입니다.`,
    theory: {
      regularization:
        'L1은 매 스텝 모든 가중치를 같은 크기만큼 0 쪽으로 당기므로, 작은 가중치는 계속 줄어들어 중요한 몇 개만 남습니다. ' +
        'L2는 가중치의 크기에 비례해 당기므로 큰 가중치를 억제하지만, 0에 (거의) 닿는 가중치는 더 적습니다.',
      other: '이 모델들에는 가중치 크기에 대한 벌칙이 없습니다. 벌칙이 히스토그램을 0 쪽으로 옮기는 모습은 L1 / L2 실험에서 볼 수 있습니다.',
    },
    nearZeroTitle: '에폭별 1e-3 미만 커널 가중치의 비율',
    nearZeroItem: (model, first, last, epoch) => `${model}: 에폭 1에서 ${first}, 에폭 ${epoch}에서 ${last}`,
    nearZeroLabel: (items) => `에폭별로 1e-3보다 작은 커널 가중치의 비율. ${items.join('; ')}.`,
    overlayTitle: '첫 번째 층(dense/kernel), 모델 겹쳐 보기',
    overlayItem: (model, share, median) => `${model}: 1e-3 미만 ${share}, |w| 중앙값 ${median}`,
    overlayLabel: (epoch, items) => `에폭 ${epoch}에서 각 모델의 첫 번째 층 |w| 히스토그램을 겹쳐 그린 차트. ${items.join('; ')}.`,
    dead: '죽은 ReLU 유닛',
    deadItem: (layer, dead, units) => `${layer} ${dead} / ${units}`,
    deadNote: '죽은 ReLU 유닛은 검증 샘플 어디에서도 활성화되지 않는 유닛입니다. 아무 신호도 전달하지 않고, 그 가중치는 그래디언트를 받지 못합니다.',
    words: '단어 중요도',
    wordsIntro:
      '첫 번째 층 커널에서 각 단어의 행이 갖는 노름으로 100개 단어의 순위를 매겼습니다(강한 단어부터). L1은 모델에 필요 없는 단어의 행을 0으로 보냅니다. 이것이 L1의 특성 선택입니다.',
    wordsPending: '단어 순위는 모델의 학습이 끝나면 나타납니다.',
    wordsTop: (model) => `${model}: 가장 강한 단어`,
    wordsCount: (below3, below2, total) => `단어 ${total}개 중 ${below3}개가 1e-3 미만, ${below2}개가 1e-2 미만`,
    wordsDropped: (list) => `버려진 단어(노름 1e-3 미만): ${list}`,
  },
  training: '훈련',
  validation: '검증',
  overfittingStartsHere: '여기서 과대적합 시작',
  gapNote: '음영: 훈련/검증 간격',
  legendBest: '최적 검증 에폭',
  status: {
    idle: '준비되었습니다. 시작을 누르면 이 기기의 GPU로 학습합니다.',
    checking: 'WebGPU 어댑터를 찾는 중…',
    loading: (d) => `${d} 데이터를 불러오는 중…`,
    compiling: '모델을 준비하는 중(GPU 커널 컴파일)…',
    running: (n) => `모델 ${n}개를 나란히 학습하는 중입니다.`,
    paused: '진행 중인 에폭이 끝난 뒤 일시 정지했습니다. 계속을 누르면 이어서 학습합니다.',
    stopping: '진행 중인 에폭이 끝나면 멈춥니다…',
    stopped: '멈췄습니다. 끝난 에폭과 테스트 점수는 그대로 남아 있습니다.',
    done: '끝났습니다. 테스트 점수는 모델 카드에 있습니다.',
    doneEarly: '끝났습니다. 조기 종료로 마지막 에폭 전에 학습을 멈췄습니다. 테스트 점수는 모델 카드에 있습니다.',
    error: '오류로 학습이 멈췄습니다.',
    unsupported: '이 브라우저에서는 WebGPU를 쓸 수 없습니다.',
  },
  card: {
    params: (t, tr) => `파라미터 ${t}개(훈련 가능 ${tr}개)`,
    layers: '층(Keras 요약)',
    layer: '층(유형)',
    outputShape: '출력 크기',
    paramCount: '파라미터 수',
    total: '합계',
    epoch: (d, t) => `에폭 ${d} / ${t}`,
    progress: (m) => `${m}: 학습 진행률`,
    rate: (r) => `초당 ${r} 에폭`,
    eta: (t) => `남은 시간 ${t}`,
    finished: '완료',
    stopped: '중간에 멈춤',
    stoppedEarly: '조기 종료됨',
    exportTfjs: 'TF.js 모델 내보내기',
    exportTfjsLabel: (m) => `${m} 모델을 TF.js 모델(model.json과 가중치 파일)로 내보내기`,
    exportTfjsHint: '최종 가중치입니다. tf.loadLayersModel로 불러오세요.',
    es: {
      pending: (patience, monitor) => `조기 종료: ${monitor} 기준, patience ${patience}`,
      warmup: (from) => `조기 종료: 에폭 ${from}부터 지켜봄`,
      waiting: (best, wait, patience) => `조기 종료: 최적 에폭 ${best} · ${patience} 에폭 중 ${wait} 에폭째 개선 없음`,
      stopped: (stopped, restored) => `에폭 ${stopped}에서 조기 종료 · 에폭 ${restored}의 가중치 복원(테스트 점수는 이 가중치로 계산)`,
      stoppedKept: (stopped) => `에폭 ${stopped}에서 조기 종료 · 마지막 에폭의 가중치 유지(restore_best_weights 꺼짐)`,
      notStopped: 'patience가 다 되지 않음: 마지막 에폭의 가중치 사용(Keras 2.x)',
      replicas: (stopped, total) => `조기 종료: 실행 ${total}개 중 ${stopped}개 멈춤(각자 판단)`,
      replicasDone: (stopped, total) => `조기 종료: 실행 ${total}개 중 ${stopped}개가 일찍 멈춤. 각 실행의 테스트 점수는 그 실행이 남긴 가중치로 계산`,
    },
    latest: '마지막 에폭',
    test: '테스트 점수',
    loss: '손실',
    accuracy: '정확도',
    crossEntropy: '교차 엔트로피',
    valLoss: '검증 손실',
    valAccuracy: '검증 정확도',
    gap: '간격(검증 − 훈련)',
    bestEpoch: (e) => `최적 검증 에폭: ${e}`,
  },
  seconds: (s) => `${s}초`,
  minutes: (m) => `${m}분`,
  diverged: (m) => `모델 “${m}”이(가) 발산했습니다(손실이 NaN 또는 무한대가 되었습니다).`,
  modelFailed: (m) => `모델 “${m}”이(가) 오류로 멈췄습니다.`,
  deviceLost: 'GPU 장치를 잃어버려서 학습이 멈췄습니다.',
  dataMissing: '데이터를 불러오지 못했습니다.',
  keptEpochs: '끝난 에폭은 차트에 그대로 남아 있습니다. 다시 시작하면 새로 학습합니다.',
  unknownExperiment: (id, valid) => `“${id}”라는 실험은 없습니다. 가능한 값: ${valid}.`,
  unsupported: {
    title: '여기서는 WebGPU를 쓸 수 없습니다',
    why: {
      'no-navigator-gpu': '이 브라우저에는 WebGPU가 전혀 없어서(navigator.gpu 없음) 모델을 GPU로 학습할 수 없습니다.',
      'no-adapter':
        '이 브라우저는 WebGPU를 알지만 GPU 어댑터를 내주지 않았습니다. WebGPU가 꺼져 있거나, 이 GPU나 드라이버에서 차단되었거나, 페이지가 보안 컨텍스트가 아닙니다.',
      'device-request-failed': 'GPU 어댑터는 찾았지만 장치를 만들지 못했습니다.',
    },
    todo: [
      '최신 데스크톱 Chrome이나 Edge(113 이상), 또는 WebGPU를 켠 Safari/Firefox를 쓰세요.',
      '하드웨어 가속을 켜고(chrome://settings/system) GPU 드라이버를 업데이트하세요. WebGPU가 차단되었는지는 chrome://gpu에서 볼 수 있습니다.',
      'Linux에서는 Chrome을 --enable-unsafe-webgpu(그리고 --enable-features=Vulkan) 옵션으로 실행하세요.',
      '페이지를 https나 localhost로 여세요.',
    ],
  },
  runs: {
    title: '저장된 실행',
    hint: '끝났거나 멈춘 실행은 이 브라우저에 저장됩니다(아무것도 밖으로 보내지 않습니다). 고정하면 현재 실행 옆에 흐리게 그려집니다.',
    empty: '아직 저장된 실행이 없습니다. 실행을 끝내거나 멈추면 여기에 나타납니다.',
    loading: '저장된 실행을 읽는 중…',
    listLabel: '저장된 실행(최신순)',
    saved: (name) => `${name}(으)로 저장했습니다`,
    seed: (s) => `시드 ${s}`,
    seeds: (s) => `시드 ${s}`,
    stopped: '중지됨',
    testCe: '테스트 교차 엔트로피',
    noTest: '테스트 점수 없음',
    pin: '고정',
    unpin: '고정 해제',
    pinLabel: (name) => `${name}을(를) 차트에 고정`,
    rename: '이름 바꾸기',
    renameLabel: (name) => `${name}의 이름 바꾸기`,
    nameField: '새 이름(Enter: 저장, Escape: 취소)',
    renamed: (name) => `이름을 ${name}(으)로 바꿨습니다`,
    exportOne: '내보내기',
    exportOneLabel: (name) => `${name}을(를) JSON으로 내보내기`,
    exportAll: '모두 내보내기',
    exported: (file) => `${file}을(를) 내려받았습니다`,
    import: '실행 가져오기(JSON)',
    imported: (n) => `실행 ${n}개를 가져왔습니다.`,
    skipped: (index, reason) => `파일의 ${index + 1}번째 실행은 건너뛰었습니다: ${reason}`,
    delete: '삭제',
    deleteLabel: (name) => `${name} 삭제`,
    confirmDelete: (name) => `${name}을(를) 삭제할까요? 되돌릴 수 없습니다.`,
    deleteAll: '모두 삭제',
    confirmDeleteAll: (n) => `저장된 실행 ${n}개를 모두 삭제할까요? 사본을 남기려면 먼저 내보내세요.`,
    yesDelete: '삭제',
    cancel: '취소',
    deleted: (name) => `${name}을(를) 삭제했습니다`,
    deletedAll: '저장된 실행을 모두 삭제했습니다',
    pinnedKey: '고정된 실행(흐리게)',
    error: (code, message) =>
      `저장된 실행: ${
        {
          unavailable: '이 브라우저는 이 페이지의 데이터를 보관하지 않습니다(사생활 보호 창이거나 사이트 데이터가 차단됨). 실행을 JSON으로 내보내 보관하세요.',
          blocked: '다른 탭의 이전 버전 실습이 저장된 실행을 열고 있습니다. 다른 탭을 닫거나 새로 고친 뒤 다시 시도하세요.',
          quota: '저장 공간이 가득 찼습니다. 오래된 실행을 삭제한 뒤(먼저 내보내 사본을 남기세요) 다시 저장하세요.',
          version: '더 새로운 버전의 실습이 쓴 데이터입니다. 페이지를 새로 고쳐 업데이트하세요.',
          format: '이 파일은 실행 목록에서 내보낸 파일이 아니거나 손상되었습니다',
          invalid: '올바르지 않은 실행입니다',
          'not-found': '그 실행은 삭제되었습니다(다른 탭에서?)',
          failed: '저장된 실행을 다루지 못했습니다',
        }[code] ?? ''
      } (${message})`,
  },
  technicalDetail: '기술적인 내용',
  edit: {
    title: '모델과 실행 설정 편집',
    run: '실행',
    learningRate: '학습률',
    batchSize: '배치 크기',
    trainRows: '훈련 샘플 수',
    trainRowsAll: '전체',
    model: (n: number, name: string) => `모델 ${n}: ${name}`,
    name: '이름',
    layers: (name: string) => `${name}의 층`,
    layer: (n: number, type: string) => `${n}번째 층: ${type}`,
    units: '유닛',
    activation: '활성화 함수',
    activationNone: 'linear (없음)',
    l1: 'L1',
    l2: 'L2',
    regularizerNone: '없음',
    rate: '비율',
    batchNorm: '뒤에 BatchNormalization',
    batchNormLayer: '앞 층의 출력을 정규화합니다(특성마다 파라미터 4개, 그중 2개 학습)',
    flatten: (n: number) => `입력을 특성 ${n}개로 펼칩니다`,
    removeLayer: (n: number) => `${n}번째 층 삭제`,
    addDense: 'Dense 층 추가',
    addDropout: 'Dropout 층 추가',
    duplicate: '복제',
    duplicateLabel: (name: string) => `${name} 모델 복제`,
    remove: '삭제',
    removeLabel: (name: string) => `${name} 모델 삭제`,
    addModel: '모델 추가',
    maxModels: (n: number) => `모델은 최대 ${n}개까지입니다.`,
    preset: '실습 기본값으로 되돌리기',
    params: (total: string, trainable: string) => `파라미터 ${total}개 (학습 ${trainable}개)`,
    summary: (name: string) => `${name}의 Keras 요약`,
    invalid: (detail: string) => `잘못된 값: ${detail}`,
    startBlocked: (detail: string) => `실험이 올바라야 시작할 수 있습니다: ${detail}`,
    whileRunning: '편집한 내용은 다음 실행에 적용됩니다. 학습하는 동안에는 편집할 수 없습니다.',
    specError: 'spec으로 받은 실험이 올바르지 않습니다',
    importTitle: 'Keras 모델 가져오기',
    importFile: 'Keras model.json 파일',
    importPaste: '또는 model.to_json() 결과 붙여넣기',
    importButton: '가져오기',
    importHint: 'Dense, Dropout, BatchNormalization, Activation, Flatten 층으로 된 Sequential 모델.',
    imported: (name: string) => `${name} 모델을 새 모델로 가져왔습니다.`,
    importFull: (n: number) => `가져오지 못했습니다: 모델은 최대 ${n}개까지입니다. 먼저 하나를 삭제하세요.`,
    importShape: (got: string, want: string, dataset: string) =>
      `가져오지 못했습니다: 입력 크기(${got})가 ${dataset} 데이터의 행 크기(${want})와 맞지 않습니다.`,
    importError: (detail: string) => `가져오지 못했습니다: ${detail}`,
  },
};

export const MESSAGES: Record<Locale, Messages> = { en, ko };

/** A data set's name in the messages' language (an unknown one as it is). */
export const datasetText = (m: Messages, name: string): string => (m.datasets as Record<string, string | undefined>)[name] ?? name;

/** The explanation of an experiment id (an unknown id gets its own name and nothing else). */
export function experimentText(m: Messages, id: string): ExperimentText {
  return (m.experiments as Record<string, ExperimentText | undefined>)[id] ?? { title: id, short: id, body: [], lookFor: [] };
}

/** Locale-aware numbers: fixed digits, or a percentage. */
export function numberFormat(locale: Locale) {
  const cache = new Map<string, Intl.NumberFormat>();
  const get = (key: string, o: Intl.NumberFormatOptions) => {
    let f = cache.get(key);
    if (!f) cache.set(key, (f = new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-US', o)));
    return f;
  };
  return {
    int: (n: number) => get('int', { maximumFractionDigits: 0 }).format(n),
    fixed: (n: number, digits = 3) => get(`f${digits}`, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n),
    percent: (n: number, digits = 1) => get(`p${digits}`, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n),
    /** 2 significant-ish digits for rates: 12, 3.4, 0.25. */
    rate: (n: number) => get(`r${n >= 10 ? 0 : n >= 1 ? 1 : 2}`, { maximumFractionDigits: n >= 10 ? 0 : n >= 1 ? 1 : 2 }).format(n),
  };
}

/** A duration in seconds as "12 s" / "3.5 min" (or Korean). */
export function formatDuration(m: Messages, locale: Locale, seconds: number): string {
  const n = numberFormat(locale);
  if (seconds < 90) return m.seconds(n.int(Math.max(1, Math.round(seconds))));
  return m.minutes(n.rate(seconds / 60));
}
