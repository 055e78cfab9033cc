// The saved runs of <overfit-lab> (the `runs` control): saves each finished or stopped run in
// IndexedDB (RunStore), keeps the runs list in step (its own writes and other elements' and tabs'
// through subscribe), holds the pinned runs whole for the charts, and the last outcome as a
// message. Storage errors become that message; they never touch the run.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Experiment } from '../../experiments/presets.ts';
import type { RunNameWords, RunStoreErrorCode, SavedRun, SavedRunSummary } from './run-store.ts';
import { RunStore, RunStoreError, runStoreError, runToSave } from './run-store.ts';
import type { Sweep } from './replicas.ts';
import { syncPinned, worthSaving } from './runs.ts';
import type { OverfitDoneDetail, OverfitStartDetail } from './types.ts';

/** The last thing the runs list did, for its live status line. */
export type RunsMessage =
  | { kind: 'saved' | 'renamed' | 'deleted'; name: string }
  | { kind: 'deleted-all' }
  | { kind: 'exported'; file: string }
  | { kind: 'imported'; count: number; skipped: { index: number; reason: string }[] }
  | { kind: 'error'; code: RunStoreErrorCode; message: string };

export interface RunsHost extends ReactiveControllerHost, EventTarget {
  /** Whether the `runs` control is on (saving and the list happen only then). */
  readonly runsEnabled: boolean;
  /** The run's seeds and sweep when it starts (null: none). */
  runReplicas(): { seeds: number[]; sweep: Sweep | null } | null;
  /** How a saved run's default name says its seeds, in the page's language. */
  readonly runNameWords: RunNameWords;
}

export class RunsController implements ReactiveController {
  /** Newest first; null until read (or when the store is not there). */
  list: SavedRunSummary[] | null = null;
  /** Pinned runs, whole, in the order they were pinned. */
  pinned = new Map<string, SavedRun>();
  message: RunsMessage | null = null;
  /** The run whose name is being edited, or whose deletion waits for a yes ('*': all). */
  renaming: string | null = null;
  confirming: string | null = null;

  private store: RunStore | null = null;
  private unsubscribe: (() => void) | null = null;
  private started: { experiment: Experiment; replicas: { seeds: number[]; sweep: Sweep | null } | null } | null = null;
  private connected = false;

  constructor(
    private readonly host: RunsHost,
    private readonly dbName = 'overfit-lab',
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    this.host.addEventListener('overfit-start', this.onStart);
    this.host.addEventListener('overfit-done', this.onDone);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.host.removeEventListener('overfit-start', this.onStart);
    this.host.removeEventListener('overfit-done', this.onDone);
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.store?.close();
    this.store = null;
    this.list = null;
  }

  /** Opens the store and reads the list once the control is shown (each update checks). */
  hostUpdated(): void {
    if (this.host.runsEnabled && this.connected && !this.store) {
      this.store = new RunStore(this.dbName);
      this.unsubscribe = this.store.subscribe(() => void this.refresh());
      void this.refresh();
    }
  }

  private readonly onStart = (e: Event): void => {
    const d = (e as CustomEvent<OverfitStartDetail>).detail;
    this.started = { experiment: d.experiment, replicas: this.host.runReplicas() };
  };

  private readonly onDone = (e: Event): void => {
    const d = (e as CustomEvent<OverfitDoneDetail>).detail;
    const start = this.started;
    this.started = null;
    if (!this.host.runsEnabled || !start || !worthSaving(d.result.models)) return;
    const r = start.replicas;
    const replicas = { ...(r && r.seeds.length > 1 ? { seeds: r.seeds } : {}), ...(r?.sweep ? { sweep: r.sweep } : {}) };
    void this.act(async (store) => {
      const saved = await store.save(runToSave(d, start.experiment, replicas, this.host.runNameWords));
      this.message = { kind: 'saved', name: saved.name };
    });
  };

  /** Reads the list again; pins follow it (a deleted run's pin goes, a rename shows). */
  async refresh(): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      const list = await store.list();
      if (store !== this.store) return;
      this.list = list;
      this.pinned = syncPinned(this.pinned, list);
    } catch (e) {
      this.fail(e);
    }
    this.host.requestUpdate();
  }

  isPinned(id: string): boolean {
    return this.pinned.has(id);
  }

  async togglePin(id: string): Promise<void> {
    if (this.pinned.has(id)) {
      const next = new Map(this.pinned);
      next.delete(id);
      this.pinned = next;
      this.host.requestUpdate();
      return;
    }
    await this.act(async (store) => {
      const run = await store.get(id);
      if (!run) throw new RunStoreError('not-found', `no saved run "${id}": it was deleted (in another tab?)`);
      this.pinned = new Map(this.pinned).set(id, run);
    });
  }

  async rename(id: string, name: string): Promise<boolean> {
    return this.act(async (store) => {
      await store.rename(id, name);
      this.renaming = null;
      this.message = { kind: 'renamed', name: name.trim() };
    });
  }

  async remove(id: string): Promise<void> {
    const name = this.list?.find((r) => r.id === id)?.name ?? id;
    this.confirming = null;
    await this.act(async (store) => {
      await store.delete(id);
      this.message = { kind: 'deleted', name };
    });
  }

  async removeAll(): Promise<void> {
    this.confirming = null;
    await this.act(async (store) => {
      await store.clear();
      this.message = { kind: 'deleted-all' };
    });
  }

  /** The runs (one, or all) as the export file's text, or null when that failed (the message says why). */
  async exportJson(id?: string): Promise<string | null> {
    let text: string | null = null;
    await this.act(async (store) => {
      text = await store.exportJson(id ? [id] : undefined);
    });
    return text;
  }

  async importJson(text: string): Promise<void> {
    await this.act(async (store) => {
      const r = await store.importJson(text);
      this.message = { kind: 'imported', count: r.imported.length, skipped: r.skipped };
    });
  }

  say(message: RunsMessage): void {
    this.message = message;
    this.host.requestUpdate();
  }

  startRename(id: string | null): void {
    this.renaming = id;
    this.confirming = null;
    this.host.requestUpdate();
  }

  confirm(id: string | null): void {
    this.confirming = id;
    this.renaming = null;
    this.host.requestUpdate();
  }

  /** Runs a store operation; a failure becomes the message. True when it succeeded. */
  private async act(f: (store: RunStore) => Promise<void>): Promise<boolean> {
    const store = this.store;
    if (!store) return false;
    let ok = true;
    try {
      await f(store);
    } catch (e) {
      this.fail(e);
      ok = false;
    }
    this.host.requestUpdate();
    return ok;
  }

  private fail(e: unknown): void {
    const err = runStoreError(e);
    this.message = { kind: 'error', code: err.code, message: err.message };
  }
}
