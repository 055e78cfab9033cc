// The element as the run controller sees it, for Node tests of the controller: its settings,
// requestUpdate, the controllers it hosts and the events it fires.
import type { ReactiveController } from 'lit';
import type { Experiment } from '../../src/experiments/presets.ts';
import type { LabHost } from '../../src/ui/overfit-lab/types.ts';

/** The element as the controller sees it: settings, requestUpdate, events. */
export class FakeHost extends EventTarget implements LabHost {
  experiment = 'dropout';
  models = '';
  datasetName = '';
  epochs: number | undefined = 3;
  seed = 7;
  seeds = 1;
  sweep = '';
  earlyStopping = '';
  trainLimit: number | undefined = 100;
  testLimit: number | undefined = undefined;
  dataBase = '';
  autostart = false;
  debug = false;
  isConnected = true;
  updateComplete = Promise.resolve(true);
  edited: Experiment | null = null;
  editError: string | null = null;
  specVersion = 0;
  readonly events: { type: string; detail: unknown }[] = [];
  private controllers: ReactiveController[] = [];

  constructor() {
    super();
    for (const type of ['overfit-epoch', 'overfit-done', 'overfit-error'])
      this.addEventListener(type, (e) => this.events.push({ type, detail: (e as CustomEvent).detail }));
  }

  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(): void {}
  requestUpdate(): void {}

  /** What Lit does when the element enters the page, and before each render. */
  connect(): void {
    this.update();
    for (const c of this.controllers) c.hostConnected?.();
  }
  update(): void {
    for (const c of this.controllers) c.hostUpdate?.();
  }
  detailsOf<T>(type: string): T[] {
    return this.events.filter((e) => e.type === type).map((e) => e.detail as T);
  }
}
