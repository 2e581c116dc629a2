import type { ExposureSummary } from '@/utils/study/types';
import { INPUT_RECENT_MS, lastInputAt, onInputResumed } from './input-recency';

/**
 * The one exposure measurement of a frame, used by the frame's own report and by study mode
 * alike (docs/STUDY.md, "Exposure"). Documented against Mozilla WebScience's definition:
 *
 *  - visible: at least 70 % of the frame in the viewport — with IntersectionObserver v2
 *    (Chromium: `trackVisibility`, `isVisible`) also not covered, transparent or distorted, so a
 *    page that hides a frame under something cannot make it count as seen; elsewhere v1
 *    (geometry only), and the report says which;
 *  - attention: the tab visible, the window focused, and the reader's own input (wheel, touch,
 *    key, pointer) in the last 30 s;
 *  - seen: at least 1 s of continuous visible attention.
 *
 * The components are kept apart (largest visible share, time in view, attended time, longest
 * attended stretch) and `seen` is derived from them. Time is added up on state changes only —
 * observer callbacks, focus and visibility changes, input resuming after an idle spell — never
 * on a timer, so an idle page costs nothing.
 */
export const VISIBLE_RATIO = 0.7;
export const MIN_DWELL_MS = 1000;

const THRESHOLDS = [0, 0.25, 0.5, VISIBLE_RATIO, 0.85, 1];

/** IntersectionObserver v2 (visibility tracking) is here: Chromium. */
export function supportsVisibilityTracking(win: Window): boolean {
  const Entry = (win as unknown as { IntersectionObserverEntry?: { prototype: object } }).IntersectionObserverEntry;
  return !!Entry && 'isVisible' in Entry.prototype;
}

/** Where the reader's last own input is read from (input-recency.ts; the frame lifecycle passes the content script's). */
export interface InputClock {
  lastInputAt(win: Window, now?: () => number): number;
  onInputResumed(win: Window, fn: () => void, now?: () => number): () => void;
}

/** The meters of a window share one set of focus/blur/visibility listeners (a trio per frame would pile up over a long session). */
const metersOf = new Map<Window, { meters: Set<ExposureMeter>; onVis: () => void; unInput: () => void }>();

function join(win: Window, meter: ExposureMeter, now: () => number, input: InputClock): void {
  let entry = metersOf.get(win);
  if (!entry) {
    const meters = new Set<ExposureMeter>();
    const onVis = () => meters.forEach((m) => m.update());
    entry = { meters, onVis, unInput: input.onInputResumed(win, onVis, now) };
    metersOf.set(win, entry);
    win.document.addEventListener('visibilitychange', onVis);
    win.addEventListener('focus', onVis);
    win.addEventListener('blur', onVis);
  }
  entry.meters.add(meter);
}

function leave(win: Window, meter: ExposureMeter): void {
  const entry = metersOf.get(win);
  if (!entry?.meters.delete(meter) || entry.meters.size) return;
  metersOf.delete(win);
  entry.unInput();
  win.document.removeEventListener('visibilitychange', entry.onVis);
  win.removeEventListener('focus', entry.onVis);
  win.removeEventListener('blur', entry.onVis);
}

export interface ExposureHooks {
  /** Once, when the reader has seen the frame and scrolled on past it (it left at the top). */
  onScrolledPast?(): void;
  /** Once, when the frame is first ≥ 70 % visible in a visible tab. */
  onFirstVisible?(): void;
}

export class ExposureMeter {
  readonly method: 'io-v2' | 'io-v1';
  private io: IntersectionObserver;
  private ratio = 0;
  private covered = false;
  private maxRatio = 0;
  /** Flags as of `since`, the last accounting. */
  private since: number;
  private inView = false;
  private tabVisible = false;
  private focused = false;
  private inViewMs = 0;
  private attendedMs = 0;
  private longestMs = 0;
  /** The attended stretch still running at `since`, ms. */
  private stretchMs = 0;
  private firstVisibleAt: number | null = null;
  private stopped = false;

  constructor(
    host: Element,
    private win: Window,
    private now: () => number = () => performance.now(),
    private hooks: ExposureHooks = {},
    private input: InputClock = { lastInputAt, onInputResumed },
  ) {
    this.since = now();
    const v2 = supportsVisibilityTracking(win);
    this.method = v2 ? 'io-v2' : 'io-v1';
    const options = { threshold: THRESHOLDS, ...(v2 ? { trackVisibility: true, delay: 100 } : {}) } as IntersectionObserverInit;
    this.io = new IntersectionObserver((entries) => {
      for (const e of entries) {
        this.ratio = e.isIntersecting ? e.intersectionRatio : 0;
        this.covered = v2 && (e as IntersectionObserverEntry & { isVisible?: boolean }).isVisible === false;
        if (!this.covered) this.maxRatio = Math.max(this.maxRatio, this.ratio);
        if (!e.isIntersecting && e.boundingClientRect.bottom <= 0 && this.inViewMs + (this.inView ? this.now() - this.since : 0) > 0) {
          // Seen and left behind: report now rather than at page teardown (a closed tab may never report).
          queueMicrotask(() => this.hooks.onScrolledPast?.());
        }
      }
      this.update();
    }, options);
    this.io.observe(host);
    join(win, this, now, input);
  }

  /** Accounts for the time since the last change, then takes the current state. */
  update(): void {
    if (this.stopped) return;
    const t = this.now();
    this.account(t);
    this.inView = this.ratio >= VISIBLE_RATIO && !this.covered;
    this.tabVisible = this.win.document.visibilityState === 'visible';
    this.focused = this.win.document.hasFocus();
    if (this.inView && this.tabVisible && this.firstVisibleAt === null) {
      this.firstVisibleAt = t;
      this.hooks.onFirstVisible?.();
    }
  }

  private account(t: number): void {
    const span = Math.max(0, t - this.since);
    const from = this.since;
    this.since = t;
    if (!(this.inView && this.tabVisible)) {
      this.stretchMs = 0;
      return;
    }
    this.inViewMs += span;
    if (!this.focused) {
      this.stretchMs = 0;
      return;
    }
    // Attention lasts until 30 s after the last own input (input resuming triggers an update).
    const until = Math.min(t, this.input.lastInputAt(this.win, this.now) + INPUT_RECENT_MS);
    const attended = Math.max(0, until - from);
    this.attendedMs += attended;
    this.stretchMs = attended > 0 ? this.stretchMs + attended : 0;
    this.longestMs = Math.max(this.longestMs, this.stretchMs);
    if (until < t) this.stretchMs = 0;
  }

  /** The measurement so far (ms on the meter's clock). */
  summary(): ExposureSummary {
    if (!this.stopped) this.update();
    const t = this.now();
    // A day at most (what a report may carry): a tab left open for days reports a day.
    const ms = (x: number) => Math.round(Math.min(Math.max(x, 0), 86_400_000));
    return {
      method: this.method,
      maxRatio: Math.round(this.maxRatio * 1000) / 1000,
      inViewMs: ms(this.inViewMs),
      attendedMs: ms(this.attendedMs),
      longestMs: ms(this.longestMs),
      seen: this.longestMs >= MIN_DWELL_MS,
      firstVisibleAgoMs: this.firstVisibleAt === null ? null : ms(t - this.firstVisibleAt),
    };
  }

  /** In-view milliseconds so far (the frame's own report keeps this as its dwell). */
  get visibleMs(): number {
    return this.inViewMs + (this.inView && this.tabVisible ? this.now() - this.since : 0);
  }

  /** Ends the measurement and returns it. */
  stop(): ExposureSummary {
    const s = this.summary();
    this.stopped = true;
    this.io.disconnect();
    leave(this.win, this);
    return s;
  }
}
