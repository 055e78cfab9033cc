// A clock that stands still while a run is paused, so epoch rates and ETAs leave pauses out.

export class PausableClock {
  private pausedAt: number | null = null;
  private pausedTotal = 0;

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  /** Milliseconds, pauses excluded. */
  now(): number {
    const t = performance.now();
    return t - this.pausedTotal - (this.pausedAt !== null ? t - this.pausedAt : 0);
  }

  pause(): void {
    this.pausedAt ??= performance.now();
  }

  resume(): void {
    if (this.pausedAt === null) return;
    this.pausedTotal += performance.now() - this.pausedAt;
    this.pausedAt = null;
  }

  reset(): void {
    this.pausedAt = null;
    this.pausedTotal = 0;
  }
}
