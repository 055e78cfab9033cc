// Saved runs: each finished or stopped run of <overfit-lab>, kept in the browser's IndexedDB with
// the experiment it trained, its seeds, adapter, histories and test scores, and exported or
// imported as a JSON file. Nothing leaves the browser: no network, only IndexedDB and, to tell the
// lab's other elements and tabs that the list changed, a same-origin BroadcastChannel.
//
// Two object stores, written together in one transaction: `runs` holds each run whole, `summaries`
// the same run without its per-epoch curves and weights, so that the runs list reads little.
import type { Experiment } from '../../experiments/presets.ts';
import { validateExperiment } from '../../experiments/presets.ts';
import type { EarlyStoppingResult, ModelResult, RunResult } from '../../experiments/result.ts';
import type { Sweep, SweepParam } from './replicas.ts';
import { SWEEP_PARAMS } from './replicas.ts';
import type { OverfitDoneDetail } from './types.ts';

/** A run as saved and exported: RunResult (the experiment as data, not its id) with a name. */
export interface SavedRun extends Omit<RunResult, 'experiment'> {
  id: string;
  /** When it was saved, ISO 8601 (`Date.toISOString()`); the list is newest first. */
  savedAt: string;
  /** The student's label, e.g. `dropout · seed 1 · 2026-12-03 16:40`. */
  name: string;
  /** What it trained: the element's `spec` at the start (models, batch size, rate, seed, epochs, rows). */
  experiment: Experiment;
  /** With several seeds: all of them (`seed` is the first). */
  seeds?: number[];
  /** With a sweep: the swept setting and its values. */
  sweep?: Sweep | null;
  /** The Stop button ended it before every model reached its epochs. */
  stopped: boolean;
  format: 1;
}

/** What `save` takes: a run without id, date or name (they are made up) or with them (kept). */
export type NewRun = Omit<SavedRun, 'id' | 'savedAt' | 'name' | 'format'> & Partial<Pick<SavedRun, 'id' | 'savedAt' | 'name' | 'format'>>;

/** A model of the runs list: no curves, no weights. */
export interface SavedModelSummary extends Pick<ModelResult, 'name' | 'epochs' | 'test' | 'error'> {
  /** Epochs it trained (its longest history). */
  epochsDone: number;
  /** Replicas it trained (seeds, sweep values); 1 for a single run. */
  replicas: number;
  earlyStopping?: EarlyStoppingResult;
}

/** A run of the runs list (`list()`); `get(id)` gives it whole. */
export interface SavedRunSummary extends Omit<SavedRun, 'models'> {
  models: SavedModelSummary[];
}

/** What `importJson` did: how many runs it stored, and the ones it refused (index in the file). */
export interface ImportResult {
  imported: SavedRun[];
  skipped: { index: number; reason: string }[];
}

/** What changed, for `subscribe` listeners (in this page and the lab's other tabs). */
export interface RunStoreChange {
  type: 'saved' | 'renamed' | 'deleted' | 'cleared' | 'imported';
  ids: string[];
}

export type RunStoreErrorCode = 'unavailable' | 'blocked' | 'quota' | 'version' | 'format' | 'invalid' | 'not-found' | 'failed';

/** A store failure, with a message that says what to do. */
export class RunStoreError extends Error {
  override name = 'RunStoreError';
  constructor(
    readonly code: RunStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const EXPORT_FORMAT = 'overfit-lab-runs';
export const EXPORT_VERSION = 1;
const DB_VERSION = 1;
const RUNS = 'runs';
const SUMMARIES = 'summaries';

/** The store's own error for a browser's (a DOMException), worded for the student. */
export function runStoreError(e: unknown): RunStoreError {
  if (e instanceof RunStoreError) return e;
  const name = (e as { name?: string } | null)?.name;
  const detail = (e as Error | null)?.message ?? String(e);
  const error = (code: RunStoreErrorCode, message: string) => new RunStoreError(code, message, { cause: e });
  switch (name) {
    case 'QuotaExceededError':
      return error('quota', 'storage is full: delete old runs (export them first to keep a copy) and save again');
    case 'VersionError':
      return error('version', 'the saved runs were written by a newer version of the lab: reload the page to update it');
    case 'SecurityError':
    case 'InvalidStateError':
    case 'NotAllowedError':
    case 'UnknownError':
      return error(
        'unavailable',
        `this browser does not keep data for this page (private window, or site data blocked): export runs as JSON to keep them (${detail})`,
      );
    default:
      return error('failed', `saved runs: ${detail}`);
  }
}

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

/** Resolves when a transaction commits (writes count only then: a full disk fails here). */
const committed = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = tx.onerror = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
  });

const newId = (): string => globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

const two = (n: number) => String(n).padStart(2, '0');

/** `dropout · seed 1 · 2026-12-03 16:40` (local time); `seeds 1–3` and `l2 0/0.001` with replicas. */
export function defaultRunName(run: Pick<NewRun, 'experiment' | 'seed' | 'seeds' | 'sweep'>, date = new Date(), words: RunNameWords = ENGLISH_WORDS): string {
  const seeds = run.seeds && run.seeds.length > 1 ? run.seeds : null;
  const contiguous = seeds?.every((s, i) => s === seeds[0] + i);
  const seedText = !seeds ? words.seed(String(run.seed)) : words.seeds(contiguous ? `${seeds[0]}–${seeds.at(-1)}` : seeds.join(', '));
  const when = `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
  const sweep = run.sweep ? `${run.sweep.param} ${run.sweep.values.join('/')}` : null;
  return [run.experiment.id, sweep, seedText, when].filter(Boolean).join(' · ');
}

/** How a run's default name says its seed(s), in the page's language (the element's `t.runs`). */
export interface RunNameWords {
  seed(s: string): string;
  seeds(s: string): string;
}
const ENGLISH_WORDS: RunNameWords = { seed: (s) => `seed ${s}`, seeds: (s) => `seeds ${s}` };

/** The run to save from the element's `overfit-done` detail and the `spec` it started with,
 *  named by defaultRunName in `words`' language. */
export function runToSave(
  done: OverfitDoneDetail,
  experiment: Experiment,
  replicas: { seeds?: number[]; sweep?: Sweep | null } = {},
  words: RunNameWords = ENGLISH_WORDS,
): NewRun {
  const { dataset, seed, adapter, models } = done.result;
  const run = {
    dataset,
    seed,
    adapter,
    models,
    experiment,
    stopped: done.stopped,
    ...(replicas.seeds ? { seeds: replicas.seeds } : {}),
    ...(replicas.sweep ? { sweep: replicas.sweep } : {}),
  };
  return { ...run, name: defaultRunName(run, new Date(), words) };
}

/** A saved run in the shape of a run's result (`experiment` its id), for the charts and exports. */
export const runResultOf = (run: SavedRun): RunResult => ({
  experiment: run.experiment.id,
  dataset: run.dataset,
  seed: run.seed,
  adapter: run.adapter,
  models: run.models,
});

/** The runs list's entry of a run. */
export function summaryOf(run: SavedRun): SavedRunSummary {
  const models = run.models.map(
    (m): SavedModelSummary => ({
      name: m.name,
      epochs: m.epochs,
      epochsDone: Math.max(0, ...Object.values(m.history).map((h) => h.length)),
      replicas: Math.max(1, m.replicas.length),
      test: m.test,
      error: m.error,
      ...(m.earlyStopping ? { earlyStopping: m.earlyStopping } : {}),
    }),
  );
  return { ...run, models };
}

// --- validation: a run from a file (or from the element) has every field the lab reads --------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Invalid extends Error {}
const fail = (msg: string): never => {
  throw new Invalid(msg);
};

function check(ok: boolean, at: string, what: string): void {
  if (!ok) fail(`${at} must be ${what}`);
}

/** Metric name -> per-epoch values; JSON writes NaN (a diverged loss) as null: it comes back NaN. */
function metrics(v: unknown, at: string): void {
  check(isObj(v), at, 'an object of metric name -> list of numbers');
  for (const [k, list] of Object.entries(v as Obj)) {
    check(Array.isArray(list), `${at}.${k}`, 'a list of numbers');
    (list as unknown[]).forEach((x, i) => {
      if (x === null) (list as unknown[])[i] = Number.NaN;
      else check(typeof x === 'number', `${at}.${k}[${i}]`, 'a number or null');
    });
  }
}

function scores(v: unknown, at: string): void {
  if (v === null) return;
  check(isObj(v), at, 'null or an object of test scores');
  for (const [k, x] of Object.entries(v as Obj)) {
    if (x === null) (v as Obj)[k] = Number.NaN;
    else check(typeof x === 'number', `${at}.${k}`, 'a number or null');
  }
}

const numOrNull = (v: unknown) => v === null || typeof v === 'number';

function model(m: unknown, at: string): void {
  check(isObj(m), at, 'an object (a model result)');
  const x = m as Obj;
  check(typeof x.name === 'string' && x.name !== '', `${at}.name`, 'a non-empty string');
  for (const k of ['epochs', 'batchSize']) check(Number.isInteger(x[k]) && (x[k] as number) >= 1, `${at}.${k}`, 'a positive integer');
  for (const k of ['params', 'trainableParams', 'seconds']) check(typeof x[k] === 'number', `${at}.${k}`, 'a number');
  metrics(x.history, `${at}.history`);
  metrics(x.historyMin, `${at}.historyMin`);
  metrics(x.historyMax, `${at}.historyMax`);
  scores(x.test, `${at}.test`);
  check(x.error === null || typeof x.error === 'string', `${at}.error`, 'null or a string');
  check(x.stats === null || isObj(x.stats), `${at}.stats`, 'null or an object');
  check(Array.isArray(x.replicas), `${at}.replicas`, 'a list');
  (x.replicas as unknown[]).forEach((r, i) => {
    const where = `${at}.replicas[${i}]`;
    check(isObj(r), where, 'an object {seed, l1, l2, dropout, lr, history, test}');
    const y = r as Obj;
    check(Number.isInteger(y.seed), `${where}.seed`, 'an integer');
    for (const k of ['l1', 'l2', 'dropout']) check(numOrNull(y[k]), `${where}.${k}`, 'a number or null');
    check(typeof y.lr === 'number', `${where}.lr`, 'a number');
    metrics(y.history, `${where}.history`);
    scores(y.test, `${where}.test`);
  });
  const w = x.weights;
  if (w !== null)
    check(isObj(w) && Array.isArray(w.edges) && Array.isArray(w.epochs) && Array.isArray(w.deadUnits), `${at}.weights`, 'null or {edges, epochs, deadUnits}');
  check(x.words === null || Array.isArray(x.words), `${at}.words`, 'null or a list');
  check(x.earlyStopping === undefined || isObj(x.earlyStopping), `${at}.earlyStopping`, 'absent or an object');
}

/** Checks a run (from a file or from `save`) in place: throws an Error that names the field. */
function checkRun(r: unknown): asserts r is NewRun {
  check(isObj(r), 'the run', 'an object');
  const x = r as Obj;
  if (typeof x.format === 'number' && x.format > 1) fail(`it was saved by a newer version of the lab (run format ${x.format}): update the lab to import it`);
  check(x.format === undefined || x.format === 1, 'format', '1');
  check(x.id === undefined || (typeof x.id === 'string' && x.id !== ''), 'id', 'a non-empty string');
  check(x.name === undefined || typeof x.name === 'string', 'name', 'a string');
  check(x.savedAt === undefined || (typeof x.savedAt === 'string' && !Number.isNaN(Date.parse(x.savedAt))), 'savedAt', 'an ISO date');
  try {
    validateExperiment(x.experiment);
  } catch (e) {
    fail((e as Error).message);
  }
  check(typeof x.dataset === 'string' && x.dataset !== '', 'dataset', 'a non-empty string');
  check(Number.isInteger(x.seed), 'seed', 'an integer');
  check(x.seeds === undefined || (Array.isArray(x.seeds) && x.seeds.every((s) => Number.isInteger(s))), 'seeds', 'a list of integers');
  const s = x.sweep;
  check(
    s === undefined ||
      s === null ||
      (isObj(s) && SWEEP_PARAMS.includes(s.param as SweepParam) && Array.isArray(s.values) && s.values.every((v) => typeof v === 'number')),
    'sweep',
    `null or {param: ${SWEEP_PARAMS.join(' | ')}, values: numbers}`,
  );
  const a = x.adapter;
  check(isObj(a) && typeof a.vendor === 'string' && typeof a.architecture === 'string', 'adapter', '{vendor, architecture}');
  check(typeof x.stopped === 'boolean', 'stopped', 'true or false');
  check(Array.isArray(x.models), 'models', 'a list of model results');
  (x.models as unknown[]).forEach((m, i) => model(m, `models[${i}]`));
}

/** A run as stored: with its id, date, name and format. */
function complete(run: NewRun, id = run.id ?? newId()): SavedRun {
  const savedAt = run.savedAt ? new Date(run.savedAt).toISOString() : new Date().toISOString();
  const name = run.name?.trim() || defaultRunName(run, new Date(savedAt));
  return { ...run, id, savedAt, name, format: 1 };
}

/**
 * The saved runs of one origin, in IndexedDB (database `overfit-lab` unless named). It opens on
 * first use; every method is async and fails with a RunStoreError. Several stores (elements,
 * tabs) on one database see each other's writes; `subscribe` says when they happen.
 */
export class RunStore {
  private opening: Promise<IDBDatabase> | null = null;
  private db: IDBDatabase | null = null;
  private readonly listeners = new Set<(change: RunStoreChange) => void>();
  private channel: BroadcastChannel | null = null;

  constructor(
    readonly dbName = 'overfit-lab',
    /** null: none (this browser has no IndexedDB here). */
    private readonly factory: IDBFactory | null = globalThis.indexedDB ?? null,
  ) {}

  /** Saves a run (an id it has replaces that run) and gives it back as stored. */
  async save(run: NewRun): Promise<SavedRun> {
    try {
      checkRun(run);
    } catch (e) {
      throw new RunStoreError('invalid', `cannot save the run: ${(e as Error).message}`);
    }
    const saved = complete(run);
    await this.write((runs, summaries) => {
      runs.put(saved);
      summaries.put(summaryOf(saved));
    });
    this.emit({ type: 'saved', ids: [saved.id] });
    return saved;
  }

  /** Every run, newest first, without curves or weights. */
  async list(): Promise<SavedRunSummary[]> {
    const db = await this.open();
    const all = await this.run(() => request(db.transaction(SUMMARIES).objectStore(SUMMARIES).index('savedAt').getAll() as IDBRequest<SavedRunSummary[]>));
    return all.reverse();
  }

  /** A run whole, or null when there is none with that id. */
  async get(id: string): Promise<SavedRun | null> {
    const db = await this.open();
    return (await this.run(() => request(db.transaction(RUNS).objectStore(RUNS).get(id) as IDBRequest<SavedRun | undefined>))) ?? null;
  }

  async rename(id: string, name: string): Promise<void> {
    const label = name.trim();
    if (!label) throw new RunStoreError('invalid', 'a run needs a name: type one, or press Escape to keep the old one');
    await this.write(async (runs, summaries) => {
      const [run, summary] = await Promise.all([request(runs.get(id)), request(summaries.get(id))]);
      if (!run || !summary) throw new RunStoreError('not-found', `no saved run "${id}": it was deleted (in another tab?)`);
      runs.put({ ...run, name: label });
      summaries.put({ ...summary, name: label });
    });
    this.emit({ type: 'renamed', ids: [id] });
  }

  /** Deletes a run (none with that id: nothing happens). */
  async delete(id: string): Promise<void> {
    await this.write((runs, summaries) => {
      runs.delete(id);
      summaries.delete(id);
    });
    this.emit({ type: 'deleted', ids: [id] });
  }

  async clear(): Promise<void> {
    await this.write((runs, summaries) => {
      runs.clear();
      summaries.clear();
    });
    this.emit({ type: 'cleared', ids: [] });
  }

  /** The runs (all, newest first; or those ids in that order) as a file for `importJson`. */
  async exportJson(ids?: readonly string[]): Promise<string> {
    const db = await this.open();
    const runs = await this.run(async () => {
      const store = db.transaction(RUNS).objectStore(RUNS);
      if (!ids) return ((await request(store.index('savedAt').getAll())) as SavedRun[]).reverse();
      const found = (await Promise.all(ids.map((id) => request(store.get(id))))) as (SavedRun | undefined)[];
      const missing = ids.find((_, i) => !found[i]);
      if (missing !== undefined) throw new RunStoreError('not-found', `no saved run "${missing}" to export: it was deleted (in another tab?)`);
      return found as SavedRun[];
    });
    return JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, runs });
  }

  /**
   * Stores the runs of an exported file, each checked on its own: a run that is not valid is
   * skipped with its reason, the others are imported. An id already saved gets a new one. A file
   * that is not JSON, not a runs export or from a newer lab fails as a whole (RunStoreError).
   */
  async importJson(text: string): Promise<ImportResult> {
    let file: unknown;
    try {
      file = JSON.parse(text);
    } catch (e) {
      throw new RunStoreError('format', `this file is damaged or not JSON (${(e as Error).message}): choose a file exported from the runs list`);
    }
    if (!isObj(file) || file.format !== EXPORT_FORMAT)
      throw new RunStoreError(
        'format',
        `this is not a runs export of overfit-lab (no "format": "${EXPORT_FORMAT}"): choose a file exported from the runs list`,
      );
    if (typeof file.version !== 'number' || !Number.isInteger(file.version) || file.version < 1)
      throw new RunStoreError('format', `this runs export has no valid version (got ${JSON.stringify(file.version)}): export it again`);
    if (file.version > EXPORT_VERSION)
      throw new RunStoreError(
        'version',
        `this file was exported by a newer version of the lab (version ${file.version}; this one reads ${EXPORT_VERSION}): update the lab to import it`,
      );
    if (!Array.isArray(file.runs)) throw new RunStoreError('format', 'this runs export has no "runs" list: export it again');
    const valid: { index: number; run: NewRun }[] = [];
    const skipped: ImportResult['skipped'] = [];
    file.runs.forEach((run: unknown, index: number) => {
      try {
        checkRun(run);
        valid.push({ index, run });
      } catch (e) {
        skipped.push({ index, reason: (e as Error).message });
      }
    });
    const imported: SavedRun[] = [];
    if (valid.length)
      await this.write(async (runs, summaries) => {
        const taken = new Set(await request(runs.getAllKeys()));
        for (const { run } of valid) {
          const saved = complete(run, run.id && !taken.has(run.id) ? run.id : newId());
          taken.add(saved.id);
          runs.put(saved);
          summaries.put(summaryOf(saved));
          imported.push(saved);
        }
      });
    if (imported.length) this.emit({ type: 'imported', ids: imported.map((r) => r.id) });
    return { imported, skipped };
  }

  /** Calls `listener` after every change, by this store or another on the same database (other
   *  elements, other tabs of this origin). Returns the function that stops it. */
  subscribe(listener: (change: RunStoreChange) => void): () => void {
    this.listeners.add(listener);
    if (!this.channel && typeof BroadcastChannel !== 'undefined') {
      this.channel = new BroadcastChannel(`overfit-lab-runs:${this.dbName}`);
      this.channel.onmessage = (e: MessageEvent<RunStoreChange>) => this.notify(e.data);
    }
    return () => this.listeners.delete(listener);
  }

  /** Closes the database (the next call opens it again) and stops notifications. */
  close(): void {
    this.db?.close();
    this.opening?.then((db) => db.close()).catch(() => {}); // still opening: closed once open
    this.db = this.opening = null;
    this.channel?.close();
    this.channel = null;
    this.listeners.clear();
  }

  private notify(change: RunStoreChange): void {
    for (const l of this.listeners) l(change);
  }

  private emit(change: RunStoreChange): void {
    this.notify(change);
    if (typeof BroadcastChannel === 'undefined') return;
    // A channel does not hear its own messages: this store's listeners were told above, and every
    // other store's channel (in this page or another tab) hears it.
    const out = this.channel ?? new BroadcastChannel(`overfit-lab-runs:${this.dbName}`);
    out.postMessage(change);
    if (out !== this.channel) out.close();
  }

  private async run<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      throw runStoreError(e);
    }
  }

  /** One read-write transaction on both stores; resolves once it has committed. */
  private async write(f: (runs: IDBObjectStore, summaries: IDBObjectStore) => void | Promise<void>): Promise<void> {
    const db = await this.open();
    await this.run(async () => {
      const tx = db.transaction([RUNS, SUMMARIES], 'readwrite');
      const done = committed(tx);
      try {
        await f(tx.objectStore(RUNS), tx.objectStore(SUMMARIES));
      } catch (e) {
        try {
          tx.abort(); // nothing of it is written
        } catch {} // it had aborted already (a request failed)
        await done.catch(() => {});
        throw e;
      }
      await done;
    });
  }

  private open(): Promise<IDBDatabase> {
    this.opening ??= new Promise<IDBDatabase>((resolve, reject) => {
      if (!this.factory)
        throw new RunStoreError('unavailable', 'this browser has no IndexedDB here, so runs cannot be saved: export them as JSON to keep them');
      const r = this.factory.open(this.dbName, DB_VERSION);
      r.onupgradeneeded = () => {
        const db = r.result;
        for (const name of [RUNS, SUMMARIES]) db.createObjectStore(name, { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
      };
      let blocked = false;
      r.onsuccess = () => {
        const db = r.result;
        if (blocked) return db.close(); // the caller was told already; the next call opens again
        // A newer lab in another tab upgrades the database: let it, and open again next time.
        db.onversionchange = () => {
          db.close();
          this.db = this.opening = null;
        };
        resolve((this.db = db));
      };
      r.onerror = () => reject(r.error);
      r.onblocked = () => {
        blocked = true;
        reject(
          new RunStoreError(
            'blocked',
            'the saved runs are held open by an older version of the lab in another tab: close or reload the other tabs and try again',
          ),
        );
      };
    }).catch((e) => {
      this.opening = null;
      throw runStoreError(e);
    });
    return this.opening;
  }
}
