// `npm run train -- --experiment ID ...`: runs a lab experiment headless in Chromium on WebGPU,
// prints Keras-style summaries and per-epoch lines, writes the history JSON and a PNG of the loss.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { DatasetName } from '../data/format.ts';
import { loadDataset } from '../data/load-node.ts';
import type { Experiment } from '../experiments/presets.ts';
import { EXPERIMENT_IDS, findExperiment, validateExperiment } from '../experiments/presets.ts';
import type { EarlyStoppingSettings } from '../experiments/early-stopping.ts';
import { checkMonitor, parseEarlyStopping } from '../experiments/early-stopping.ts';
import type { EarlyStoppingOutcome, ReplicaResult } from '../experiments/result.ts';
import { emptyModelResult, nearZeroShare } from '../experiments/result.ts';
import type { WordWeight } from '../experiments/words.ts';
import { countNearZero } from '../experiments/words.ts';
import type { DeadUnits, WeightStats } from '../plan/weight-stats.ts';
import type { ExperimentRunResult } from '../experiments/run.ts';
import type { TuneResult } from '../graph/autotune.ts';
import type { MatmulPlan } from '../graph/matmul.ts';
import type { EpochProfile } from '../graph/profiler.ts';
import type { EpochLog } from '../graph/trainer.ts';
import type { ModelSpec } from '../model/spec.ts';
import { lossMetricOf } from '../model/spec.ts';
import { summary } from '../model/summary.ts';
import { oneOf, parse, positiveInt, seedList, sweepOf, UsageError } from './args.ts';
import { SWEEP_PARAMS } from '../plan/replicas.ts';
import { openPage } from './browser.ts';
import { debugSwitch } from './debug-switch.ts';
import type { PageOutcome, PageRunOptions } from './page.ts';

export const TRAIN_USAGE = `npm run train -- --experiment ID | --spec FILE.json [--model NAME]... [--epochs N]
  [--train-limit N] [--test-limit N] [--seed S] [--dataset mnist|fashion-mnist] [--out FILE.json]
  [--seeds N | --seeds S1,S2,...] [--sweep PARAM=V1,V2,...]
  [--early-stopping PATIENCE[,MIN_DELTA] | --early-stopping JSON]
  [--profile] [--profile-cpu] [--tune | --no-tune] [--tune-cache FILE]
  --seeds:   train each model as replicas (seeds 1..N, or the seeds listed), together on the GPU;
             the JSON keeps the mean history and adds historyMin/historyMax and every replica
  --sweep:   one replica per value of l1 or l2 (hidden Dense kernels), dropout (every Dropout
             layer) or lr (Adam), e.g. --sweep l2=0,0.0001,0.001,0.01 (crossed with --seeds);
             a dropout sweep trains a model without Dropout once per seed, as the reference
  --profile: GPU time per kernel per epoch (timestamp queries; --profile-cpu: CPU-side timing),
             printed after the run and written to FILE.profile.json
  --early-stopping PATIENCE[,MIN_DELTA]: Keras' EarlyStopping on val_loss, restoring the best
             weights when patience runs out (the test scores are theirs); or a JSON object of
             Keras' arguments with Keras' defaults, e.g. '{"patience":3,"monitor":"val_accuracy"}'
  matmul:    by default the first run on an adapter times the matmul variants on the models' shapes
             (seconds) and caches the choice in FILE (~/.cache/overfit-lab/matmul-tune.json);
             later runs read it. --tune: time again now (and update FILE); --no-tune: no timing,
             the per-adapter first choice (barrier-free direct variants on a CPU/fallback adapter,
             tiled on GPUs)
  OVERFIT_DEBUG=1 (environment): print every pipeline's WGSL and check each dispatch of one step
             of each model against the CPU reference before training (on stderr)`;

/** `best epoch 4, stopped at epoch 7, test scores from the weights of epoch 4`. */
export function earlyStoppingLine(o: EarlyStoppingOutcome): string {
  const stop = o.stopped_epoch === null ? 'patience did not run out' : `stopped at epoch ${o.stopped_epoch}`;
  const weights = o.restored_epoch === null ? 'weights of the last epoch' : `weights restored from epoch ${o.restored_epoch}`;
  return `early stopping: best epoch ${o.best_epoch ?? '-'}, ${stop}, ${weights}`;
}

const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

/** `weights at epoch 20: 12.3 % of kernel weights below 1e-3 (dense 15.0 %, ...), largest |w| 0.91`. */
export function weightsLine(stats: readonly WeightStats[], epoch: number): string {
  const each = stats.map((s) => `${s.tensor.replace(/\/kernel$/, '')} ${percent(s.nearZero / s.size)}`).join(', ');
  return `weights at epoch ${epoch}: ${percent(nearZeroShare(stats))} of kernel weights below 1e-3 (${each}), largest |w| ${Math.max(...stats.map((s) => s.maxAbs)).toPrecision(3)}`;
}

/** `dead ReLU units at epoch 20 (never active on a validation row): dense 3 / 128, dense_1 0 / 128`. */
export function deadUnitsLine(dead: readonly DeadUnits[], epoch: number): string {
  return `dead ReLU units at epoch ${epoch} (never active on a validation row): ${dead.map((d) => `${d.layer} ${d.dead} / ${d.units}`).join(', ')}`;
}

/** The ten strongest words by first-layer weight norm, and how many are (nearly) dropped. */
export function wordsLine(words: readonly WordWeight[]): string {
  const top = words
    .slice(0, 10)
    .map((w) => `${w.word} ${w.norm.toFixed(3)}`)
    .join(', ');
  return `words by first-layer weight norm: ${top}; ${countNearZero(words)} of ${words.length} below 1e-3, ${countNearZero(words, 0.01)} below 0.01`;
}

/** `seed 3 l2 0.001`: a replica by its seed and the setting it sweeps. */
export function replicaName(r: ReplicaResult): string {
  const sweep = (['l1', 'l2', 'dropout'] as const).filter((k) => r[k] !== null).map((k) => `${k} ${r[k]}`);
  return [`seed ${r.seed}`, ...sweep, ...(r.lr === 0.001 ? [] : [`lr ${r.lr}`])].join(' ');
}

export interface TrainArgs {
  experiment: Experiment;
  options: PageRunOptions;
  out: string;
  /** `--tune`: ignore the cached timings and time again (the file is updated). */
  retune: boolean;
  tuneCache: string;
}

export async function parseTrainArgs(argv: string[]): Promise<TrainArgs> {
  const v = parse(argv, {
    experiment: { type: 'string' },
    spec: { type: 'string' },
    model: { type: 'string', multiple: true },
    epochs: { type: 'string' },
    'train-limit': { type: 'string' },
    'test-limit': { type: 'string' },
    seed: { type: 'string' },
    seeds: { type: 'string' },
    sweep: { type: 'string' },
    dataset: { type: 'string' },
    out: { type: 'string' },
    profile: { type: 'boolean' },
    'profile-cpu': { type: 'boolean' },
    tune: { type: 'boolean' },
    'no-tune': { type: 'boolean' },
    'tune-cache': { type: 'string' },
    'early-stopping': { type: 'string' },
  });
  if (v.tune && v['no-tune']) throw new UsageError('give at most one of --tune (time again now) and --no-tune (no timing)');
  if (!v.experiment === !v.spec) throw new UsageError(`give exactly one of --experiment (${EXPERIMENT_IDS.join(', ')}) or --spec FILE.json`);
  let experiment: Experiment;
  if (v.spec) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(v.spec, 'utf8'));
    } catch (e) {
      throw new UsageError(`--spec ${v.spec}: ${(e as Error).message}`);
    }
    validateExperiment(json);
    experiment = json;
  } else {
    experiment = findExperiment(oneOf('experiment', v.experiment, EXPERIMENT_IDS)!);
  }
  const names = experiment.models.map((m) => m.name);
  for (const m of v.model ?? []) oneOf('model', m, names);
  const dataset = oneOf('dataset', v.dataset, experiment.datasets ?? [experiment.dataset]) as DatasetName | undefined;
  if (v.seed !== undefined && v.seeds !== undefined) throw new UsageError('give --seed S (one run) or --seeds N|S1,S2,... (replicas), not both');
  const seedText = v.seed;
  const seed = seedText === undefined ? (experiment.seed ?? 1) : Number(seedText);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed must be an integer in [0, 4294967295], got "${seedText}"`);
  return {
    experiment,
    options: {
      seed,
      ...(v.seeds === undefined ? {} : { seeds: seedList(v.seeds) }),
      ...(v.sweep === undefined ? {} : { sweep: sweepOf(v.sweep, SWEEP_PARAMS) }),
      epochs: positiveInt('epochs', v.epochs),
      models: v.model,
      dataset,
      trainLimit: positiveInt('train-limit', v['train-limit']) ?? experiment.trainLimit,
      testLimit: positiveInt('test-limit', v['test-limit']) ?? experiment.testLimit,
      ...(v.profile || v['profile-cpu'] ? { profile: v['profile-cpu'] ? ('cpu' as const) : true } : {}),
      matmul: v['no-tune'] ? ('first-choice' as const) : ('tune' as const),
      ...(v['early-stopping'] === undefined
        ? {}
        : {
            earlyStopping: earlyStoppingOf(
              v['early-stopping'],
              experiment.models.filter((m) => !v.model?.length || v.model.includes(m.name)),
            ),
          }),
      ...(debugSwitch() ? { debug: true } : {}),
    },
    out: resolve(v.out ?? `out/${experiment.id}.json`),
    retune: Boolean(v.tune),
    tuneCache: resolve(v['tune-cache'] ?? defaultTuneCache()),
  };
}

function earlyStoppingOf(text: string, models: readonly { spec: ModelSpec }[]): EarlyStoppingSettings {
  try {
    const settings = parseEarlyStopping(text);
    for (const m of models) checkMonitor(settings, lossMetricOf(m.spec));
    return settings;
  } catch (e) {
    throw new UsageError(`--early-stopping${(e as Error).message.replace(/^early stopping/, '')}`);
  }
}

/** ~/.cache/overfit-lab/matmul-tune.json (XDG_CACHE_HOME respected): shared by train and bench. */
export function defaultTuneCache(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'overfit-lab', 'matmul-tune.json');
}

/** A JSON file of tune-cache keys, exposed to the page as window.overfitTuneGet/Set; `fresh`:
 *  the page sees none of the file's entries (a retune), and what it sets replaces them. */
export async function exposeTuneCache(page: Page, path: string, options: { fresh?: boolean } = {}): Promise<void> {
  let data: Record<string, string> = {};
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    data = {}; // missing or unreadable: start afresh
  }
  const seen = new Set<string>();
  await page.exposeFunction('overfitTuneGet', async (key: string) => (options.fresh && !seen.has(key) ? null : (data[key] ?? null)));
  await page.exposeFunction('overfitTuneSet', async (key: string, value: string) => {
    data[key] = value;
    seen.add(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(data, null, 1)}\n`);
  });
}

/** The one line about the matmul tune: timed now (first run on this adapter, or `--tune`) or read
 *  from the cache, and the variants chosen (how many shapes each). */
export function tuneLine(t: Pick<TuneResult, 'cached' | 'seconds' | 'timing' | 'plan'>, file: string, retune = false): string {
  const count = new Map<string, number>();
  for (const v of Object.values(t.plan.shapes ?? {})) count.set(v, (count.get(v) ?? 0) + 1);
  const chosen = [...count].map(([v, n]) => `${v} x${n}`).join(', ');
  if (t.cached) return `matmul kernels: tuned for this adapter, read from ${file} (--tune to time again, --no-tune to skip); ${chosen}`;
  const why = retune ? '--tune' : 'first run only';
  return `tuning matmul kernels for this adapter (${why}, cached in ${file}): ${t.seconds.toFixed(1)} s (${t.timing}); ${chosen}`;
}

const planShapes = (plan: MatmulPlan) =>
  Object.entries(plan.shapes ?? {})
    .map(([k, v]) => `, ${k}: ${v}`)
    .join('');

/** The profiler's per-kernel table for one epoch (times from timestamp queries or the CPU, as stated). */
export function profileTable(model: string, p: EpochProfile): string {
  const res = p.timing === 'timestamp-query' ? `GPU timestamps, resolution ${p.resolutionNs} ns` : 'CPU-side timing (no timestamp-query)';
  const a = p.adapter;
  const head = `Profile: ${model}, epoch ${p.epoch} (${a.vendor} ${a.architecture}${a.isFallbackAdapter ? ', fallback/CPU' : ''}; ${res}): ${p.dispatches} dispatches, ${p.ms.toFixed(1)} ms`;
  const rows = [['phase', 'kernel', 'dispatches', 'ms', 'share', 'us/dispatch', 'GFLOP/s', 'variant']];
  for (const k of p.kernels)
    rows.push([
      k.phase,
      k.name,
      String(k.dispatches),
      k.ms.toFixed(2),
      `${((100 * k.ms) / (p.ms || 1)).toFixed(1)}%`,
      k.meanUs.toFixed(0),
      k.gflops === null ? '-' : k.gflops.toFixed(2),
      k.variant ?? '',
    ]);
  const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= 2 && i <= 6 ? c.padStart(w[i]) : c.padEnd(w[i])))
      .join('  ')
      .trimEnd();
  return [head, line(rows[0]), ...rows.slice(1).map(line), `note: ${p.note}`].join('\n');
}

/** Fails early, in Node, with the loader's message (it names the file and the rebuild command). */
export async function checkData(name: DatasetName, base?: string): Promise<void> {
  await loadDataset(name, { base, trainLimit: 1, testLimit: 1 }).catch((e: Error) => {
    const hint = name === 'fashion-mnist' ? ' Fashion-MNIST needs `apt-get install dataset-fashion-mnist` (or FASHION_MNIST_DIR) first.' : '';
    throw new Error(`${e.message}${hint}`);
  });
}

const num = (v: number | undefined, w = 7) => (v === undefined ? '-' : v.toFixed(4)).padStart(w);

function epochLine(model: string, width: number, log: EpochLog, epochs: number): string {
  const m = log.metrics;
  return `${model.padEnd(width)}  epoch ${String(log.epoch).padStart(String(epochs).length)}/${epochs}  loss ${num(m.loss)}  accuracy ${num(m.accuracy)}  val_loss ${num(m.val_loss)}  val_accuracy ${num(m.val_accuracy)}  ${log.seconds.toFixed(2)}s`;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`;
}

/** Runs `train`; returns the exit status. */
export async function train(argv: string[], out = process.stdout): Promise<number> {
  const args = await parseTrainArgs(argv);
  const { experiment, options } = args;
  const datasetName = options.dataset ?? experiment.dataset;
  await checkData(datasetName);
  const models = experiment.models.filter((m) => !options.models?.length || options.models.includes(m.name));
  for (const m of models) out.write(`${summary(m.spec)}\n\n`);

  const width = Math.max(...models.map((m) => m.name.length));
  const epochsOf = (name: string) => options.epochs ?? models.find((m) => m.name === name)!.epochs;
  const totalEpochs = models.reduce((s, m) => s + epochsOf(m.name), 0);
  const partial: ExperimentRunResult = {
    experiment: experiment.id,
    dataset: datasetName,
    seed: options.seed ?? 1,
    adapter: { vendor: '', architecture: '' },
    models: [],
  };
  const histories = new Map<string, Record<string, number[]>>();
  const profiles = new Map<string, EpochProfile[]>();
  let done = 0;
  let seconds = 0;
  const tty = Boolean(out.isTTY);
  const bar = () => {
    if (!tty) return;
    const frac = done / totalEpochs;
    const eta = done ? (seconds / done) * (totalEpochs - done) : NaN;
    out.write(
      `\r[${'#'.repeat(Math.round(frac * 30)).padEnd(30, '.')}] ${(frac * 100).toFixed(0).padStart(3)}%  ${done}/${totalEpochs} epochs  ETA ${duration(eta)}\x1b[K`,
    );
  };
  const say = (line: string) => out.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);

  // Profiling: full-resolution GPU timestamps (Chrome quantizes them unless WebGPU developer features are on).
  const session = await openPage('/src/cli/page.html', undefined, { args: options.profile ? ['--enable-webgpu-developer-features'] : [] });
  let interrupted = 0;
  const onSigint = () => {
    interrupted++;
    if (interrupted === 1) {
      say('Interrupted: stopping after the epochs in flight (Ctrl-C again to quit now).');
      void session.page.evaluate(() => window.overfit.stop()).catch(() => {});
    } else {
      void finish(partialFromEvents()).then(() => process.exit(130));
    }
  };
  const partialFromEvents = (): ExperimentRunResult => ({
    ...partial,
    models: models.map((m) => ({ ...emptyModelResult(m, epochsOf(m.name), experiment.batchSize), history: histories.get(m.name) ?? {}, error: 'interrupted' })),
  });
  const finish = async (result: ExperimentRunResult, png?: string) => {
    await mkdir(dirname(args.out), { recursive: true });
    await writeFile(args.out, `${JSON.stringify(result, null, 2)}\n`);
    const pngPath = `${args.out.replace(/\.json$/i, '')}.png`;
    if (png) await writeFile(pngPath, Buffer.from(png, 'base64'));
    let profilePath = '';
    if (profiles.size) {
      for (const [model, list] of profiles) say(`\n${profileTable(model, list[list.length - 1])}`);
      profilePath = `${args.out.replace(/\.json$/i, '')}.profile.json`;
      await writeFile(profilePath, `${JSON.stringify(Object.fromEntries(profiles), null, 1)}\n`);
    }
    say(`wrote ${args.out}${png ? ` and ${pngPath}` : ''}${profilePath ? ` and ${profilePath}` : ''}`);
  };
  process.on('SIGINT', onSigint);
  try {
    await exposeTuneCache(session.page, args.tuneCache, { fresh: args.retune });
    await session.page.exposeFunction('overfitEvent', (json: string) => {
      const e = JSON.parse(json);
      if (e.type === 'start') {
        partial.adapter = { vendor: e.adapter.vendor, architecture: e.adapter.architecture };
        say(
          `adapter: ${e.adapter.vendor || '?'} ${e.adapter.architecture || ''}${e.adapter.isFallbackAdapter ? ' (fallback, CPU)' : ''}; data: ${e.dataset} ${e.train} train / ${e.test} test`,
        );
      } else if (e.type === 'epoch') {
        const h = histories.get(e.model) ?? {};
        for (const [k, v] of Object.entries(e.log.metrics as Record<string, number>)) (h[k] ??= []).push(v);
        histories.set(e.model, h);
        done++;
        seconds += e.log.seconds;
        if (e.log.profile) profiles.set(e.model, [...(profiles.get(e.model) ?? []), e.log.profile]);
        say(epochLine(e.model, width, e.log, epochsOf(e.model)));
        // Keras' messages, for a model that is one run (replicas each stop on their own).
        const es = e.earlyStopping?.length === 1 ? e.earlyStopping[0] : null;
        if (es?.stopped_epoch === e.log.epoch) {
          if (es.restored_epoch) say(`${e.model}: Restoring model weights from the end of the best epoch: ${es.restored_epoch}.`);
          say(`${e.model}: Epoch ${es.stopped_epoch}: early stopping`);
        }
        bar();
      } else if (e.type === 'tune') {
        say(tuneLine(e.result, args.tuneCache, args.retune));
      } else if (e.type === 'first-choice') {
        say(`matmul kernels: not tuned (--no-tune), this adapter's first choice: ${e.plan.default}${planShapes(e.plan)}`);
      } else if (e.type === 'model-error') {
        say(`${e.model}: ${e.error.message}`);
      } else if (e.type === 'debug') {
        process.stderr.write(`${e.text}\n`);
      }
    });
    await session.page.waitForFunction(() => window.overfit?.ready === true);
    const outcome = (await session.page.evaluate(([exp, opts]) => window.overfit.run(exp, opts), [
      experiment,
      options,
    ] as const)) as PageOutcome<ExperimentRunResult>;
    if (!outcome.ok) {
      if (histories.size) await finish(partialFromEvents());
      throw new Error(outcome.message);
    }
    // The JSON is the shared result model; the tune's timings stay in the cache file (each model's
    // stats.matmul names the variant per shape).
    const { tune: _tune, ...result } = outcome.value;
    say('');
    for (const m of result.models) {
      if (!m.test) continue;
      const pure = Object.keys(m.test).find((k) => k.endsWith('crossentropy'))!;
      say(`scores_${m.name}: ${m.test[pure]}`);
      say(
        `  test ${Object.entries(m.test)
          .map(([k, v]) => `${k} ${v.toFixed(4)}`)
          .join('  ')}  (${m.seconds.toFixed(1)}s, ${m.stats?.dispatchesPerStep} dispatches/step)`,
      );
      const several = m.replicas.length > 1;
      if (m.earlyStopping)
        say(
          `  ${several ? `early stopping: ${m.replicas.filter((r) => r.earlyStopping?.stopped_epoch !== null).length} of ${m.replicas.length} replicas stopped (each below)` : earlyStoppingLine(m.earlyStopping)}`,
        );
      // The statistics (of the first replica) of the weights it ends with: the epoch whose weights
      // were put back (with several replicas also a stopped one's last), else the last epoch's.
      const es = several ? m.replicas[0].earlyStopping : m.earlyStopping;
      const weightsEpoch = es?.restored_epoch ?? (several ? es?.stopped_epoch : null) ?? m.weights?.epochs.length ?? 0;
      const stats = m.weights?.epochs[weightsEpoch - 1];
      if (stats) say(`  ${weightsLine(stats, weightsEpoch)}${several ? ' (the first replica)' : ''}`);
      const dead = m.weights?.deadUnits[weightsEpoch - 1];
      if (dead?.length) say(`  ${deadUnitsLine(dead, weightsEpoch)}${several ? ' (the first replica)' : ''}`);
      if (m.words) say(`  ${wordsLine(m.words)}${several ? ' (the first replica)' : ''}`);
      if (m.replicas.length > 1) {
        say(`  the mean of ${m.replicas.length} replicas, each:`);
        for (const r of m.replicas)
          say(
            `    ${replicaName(r).padEnd(26)} test ${pure} ${r.test?.[pure]?.toFixed(4) ?? '-'}  lowest val_loss ${Math.min(...(r.history.val_loss ?? [NaN])).toFixed(4)}${r.earlyStopping ? `  ${earlyStoppingLine(r.earlyStopping)}` : ''}`,
          );
      }
    }
    await finish(result, await session.page.evaluate((r) => window.overfit.plot(r), result));
    const failed = result.models.some((m) => m.error);
    return interrupted ? 130 : failed ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
    await session.close();
  }
}
