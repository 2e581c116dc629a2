/**
 * Measures how long a frame was really seen: at least half of it in view, in a visible tab
 * of a focused window. Time is added up on state changes only (no timers), so an idle page
 * costs nothing.
 */
export class ExposureMeter {
  private io: IntersectionObserver;
  private inView = false;
  private since: number | null = null;
  private total = 0;
  private onVis = () => this.update();

  constructor(private host: Element, private win: Window, private now: () => number = () => performance.now()) {
    this.io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) this.inView = e.intersectionRatio >= 0.5;
        this.update();
      },
      { threshold: [0, 0.5, 1] },
    );
    this.io.observe(host);
    win.document.addEventListener('visibilitychange', this.onVis);
    win.addEventListener('focus', this.onVis);
    win.addEventListener('blur', this.onVis);
  }

  private attending(): boolean {
    return this.inView && this.win.document.visibilityState === 'visible' && this.win.document.hasFocus();
  }

  private update(): void {
    const t = this.now();
    if (this.since !== null) this.total += t - this.since;
    this.since = this.attending() ? t : null;
  }

  /** Visible milliseconds so far. */
  get visibleMs(): number {
    return this.total + (this.since !== null ? this.now() - this.since : 0);
  }

  stop(): number {
    const ms = this.visibleMs;
    this.since = null;
    this.io.disconnect();
    this.win.document.removeEventListener('visibilitychange', this.onVis);
    this.win.removeEventListener('focus', this.onVis);
    this.win.removeEventListener('blur', this.onVis);
    return Math.round(ms);
  }
}
