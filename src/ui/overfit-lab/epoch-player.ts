// The Weights view's epoch: the one the user picked with the scrubber, or (none picked) the
// latest, so the view follows a run while it trains; and Play, which steps through the epochs
// and stops at the last. A reactive controller: render() only reads shown() and playing.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Play's pace: about four epochs a second. */
export const PLAY_STEP_MS = 250;

export class EpochPlayer implements ReactiveController {
  /** The picked epoch (1-based); null: follow the latest. */
  picked: number | null = null;
  playing = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private runKey: unknown;

  /** `count`: epochs there are so far; `run`: changes (by identity) when a new run starts. */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly count: () => number,
    private readonly run: () => unknown,
  ) {
    host.addController(this);
  }

  /** The epoch to show: the picked one within 1..count, or the latest; 0 before the first. */
  shown(): number {
    const n = this.count();
    return this.picked === null ? n : Math.min(Math.max(1, this.picked), n);
  }

  /** The user picked an epoch: stop playing; the last one means "follow the latest" again. */
  pick(epoch: number): void {
    this.halt();
    this.picked = epoch >= this.count() ? null : epoch;
    this.host.requestUpdate();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Steps from the shown epoch (from the first when at the last) to the last. */
  play(): void {
    const n = this.count();
    if (n < 2) return;
    this.halt();
    const from = this.shown();
    this.picked = from >= n ? 1 : from;
    this.playing = true;
    this.timer = setInterval(() => this.step(), PLAY_STEP_MS);
    this.host.requestUpdate();
  }

  pause(): void {
    this.halt();
    this.host.requestUpdate();
  }

  private step(): void {
    const next = (this.picked ?? this.count()) + 1;
    if (next >= this.count()) {
      this.picked = null; // at the last: follow a run that trains on
      this.halt();
    } else this.picked = next;
    this.host.requestUpdate();
  }

  private halt(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.playing = false;
  }

  hostUpdate(): void {
    // A new run (or experiment, or reset): back to following its latest epoch.
    const key = this.run();
    if (key !== this.runKey) {
      this.runKey = key;
      this.picked = null;
      this.halt();
    }
  }

  hostDisconnected(): void {
    this.halt();
  }
}
