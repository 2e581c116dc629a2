/**
 * The meters of a window share one set of focus/blur/visibility listeners: a listener trio per
 * frame would pile up on the page's window over a long session (npm run bench -- --soak).
 */
const metersOf = new Map<Window, { meters: Set<ExposureMeter>; onVis: () => void }>();

function join(win: Window, meter: ExposureMeter): void {
  let entry = metersOf.get(win);
  if (!entry) {
    const meters = new Set<ExposureMeter>();
    const onVis = () => meters.forEach((m) => m.update());
    entry = { meters, onVis };
    metersOf.set(win, entry);
    win.document.addEventListener('visibilitychange', onVis);
    win.addEventListener('focus', onVis);
    win.addEventListener('blur', onVis);
  }
  entry.meters.add(meter);
}

function leave(win: Window, meter: ExposureMeter): void {
  const entry = metersOf.get(win);
  if (!entry || !entry.meters.delete(meter) || entry.meters.size) return;
  metersOf.delete(win);
  win.document.removeEventListener('visibilitychange', entry.onVis);
  win.removeEventListener('focus', entry.onVis);
  win.removeEventListener('blur', entry.onVis);
}

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

  constructor(
    private host: Element,
    private win: Window,
    private now: () => number = () => performance.now(),
    /** Called once when the reader has seen the frame and scrolled on past it (it left at the top). */
    private onScrolledPast?: () => void,
  ) {
    this.io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          this.inView = e.intersectionRatio >= 0.5;
          if (!e.isIntersecting && e.boundingClientRect.bottom <= 0 && this.visibleMs > 0) {
            // Seen and left behind: report now rather than at page teardown (a closed tab may
            // never get to report), and free the meter.
            queueMicrotask(() => this.onScrolledPast?.());
          }
        }
        this.update();
      },
      { threshold: [0, 0.5, 1] },
    );
    this.io.observe(host);
    join(win, this);
  }

  private attending(): boolean {
    return this.inView && this.win.document.visibilityState === 'visible' && this.win.document.hasFocus();
  }

  /** Called on every visibility or focus change of the window (see join). */
  update(): void {
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
    leave(this.win, this);
    return Math.round(ms);
  }
}
