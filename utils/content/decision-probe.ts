import type { DecisionWindow, DecisionWindows } from '@/utils/study/types';

/**
 * Scrolling around decision points, measured the same way whether the frame was shown or
 * withheld (a "ghost frame": the place in the feed where it would have been).
 *
 * The centre of both windows, t0, is the moment the decision point's place came into view:
 * the frame's top edge for a shown frame, the top edge of the post after the place for a
 * withheld one — the same spot in the feed. Before = [t0 − W, t0], after = [t0, t0 + W].
 *
 * Positions are sampled when the FeedWatcher reports passed posts (its IntersectionObserver
 * already runs) and at the end of each scroll gesture ('scrollend', one event per gesture):
 * no scroll listener, no polling. A sample for passed posts is read after the browser's next
 * layout (a ResizeObserver's first report), not in the watcher's callback: the page has often
 * just appended posts in that same turn, and reading `scrollY` then forces the page's layout
 * inside our code — on a long feed the largest cost we had (docs/PERFORMANCE.md). From the samples: posts passed, distance travelled (the sum
 * of |Δy| between samples) and net displacement. One observer per shown frame and one timer
 * per decision point while its after-window runs; nothing while the reader is idle.
 *
 * Censoring (the windows are reported incomplete, with the cause): not-reached (the place never
 * came into view), hidden (the tab was hidden during a window), page-left, navigated.
 */

interface Sample {
  t: number;
  posts: number;
  y: number;
}

type Censor = NonNullable<DecisionWindows['censored']>;

interface Pending {
  id: string;
  windowMs: number;
  /** Withheld: the sequence number of the post the ghost follows. */
  ghostSeq: number | null;
  io: IntersectionObserver | null;
  insertedAt: number | null;
  t0: number | null;
  before: DecisionWindow | null;
  overlaps: boolean;
  hiddenBefore: boolean;
  timer: unknown;
  done: boolean;
}

const MAX_SAMPLES = 512;
const MAX_PENDING = 24;

export interface ProbeDeps {
  win: Window;
  /** Posts passed so far in the attached feed. */
  passed(): number;
  post(w: DecisionWindows): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now?(): number;
  /** Told when the last open decision point is reported (the controller may stop watching then). */
  onIdle?(): void;
}

export class DecisionProbe {
  private samples: Sample[] = [];
  /** When the feed being measured was attached (windows never reach further back). */
  private feedSince: number;
  private pending = new Map<string, Pending>();
  private lastT0: number | null = null;
  private lastWindowMs = 0;
  private hiddenSince: number | null = null;
  private lastHiddenEnd = -Infinity;
  private readonly now: () => number;
  private readonly onVisibility = () => {
    const t = this.now();
    if (this.d.win.document.visibilityState === 'hidden') {
      this.hiddenSince ??= t;
      // A window running while the tab is hidden measures nothing the reader did.
      for (const p of [...this.pending.values()]) if (p.t0 !== null) this.finish(p, 'hidden');
    } else if (this.hiddenSince !== null) {
      this.hiddenSince = null;
      this.lastHiddenEnd = t;
    }
  };
  private readonly onPageHide = () => this.closeAll('page-left');
  private readonly onScrollEnd = () => this.sample();
  /** A sample for passed posts waits for the next layout (at most one waits). */
  private sampleDue = false;
  private afterLayout: ResizeObserver | null = null;

  constructor(private d: ProbeDeps) {
    this.now = d.now ?? (() => performance.now());
    this.feedSince = this.now();
    if (d.win.document.visibilityState === 'hidden') this.hiddenSince = this.feedSince;
    d.win.document.addEventListener('visibilitychange', this.onVisibility);
    d.win.addEventListener('pagehide', this.onPageHide);
    d.win.addEventListener('scrollend', this.onScrollEnd, { passive: true });
  }

  /** Decision points whose windows are still open (the controller keeps counting posts until they close). */
  get open(): number {
    return this.pending.size;
  }

  private position(): Sample {
    return { t: this.now(), posts: this.d.passed(), y: this.d.win.scrollY };
  }

  private sample(): Sample {
    const s = this.position();
    this.samples.push(s);
    // Keep what the longest open window may still need (2 W back), bounded.
    const keep = 2 * Math.max(this.lastWindowMs, ...[...this.pending.values()].map((p) => p.windowMs), 10_000) + 5000;
    let drop = 0;
    while (drop < this.samples.length - 1 && this.samples[drop + 1].t < s.t - keep) drop++;
    if (this.samples.length - drop > MAX_SAMPLES) drop = this.samples.length - MAX_SAMPLES;
    if (drop > 0) this.samples.splice(0, drop);
    return s;
  }

  /** A feed was attached: positions are sampled from here (the count of passed posts restarts with it). */
  attached(): void {
    this.feedSince = this.now();
    this.samples = [this.position()];
  }

  /** The feed went away (navigation, or the watcher stopped): open decision points are reported as they stand. */
  detached(): void {
    this.closeAll('navigated');
    this.samples = [];
    this.sampleDue = false;
  }

  /**
   * Samples once the browser has laid the page out (a ResizeObserver reports an element it has
   * just been given right after the next layout, before paint), where reading `scrollY` costs
   * nothing. Where there is no ResizeObserver, at once. A hidden tab renders nothing, so its
   * sample waits for the reader to come back (its windows are censored anyway).
   */
  private sampleAfterLayout(): void {
    const RO = (this.d.win as Window & { ResizeObserver?: typeof ResizeObserver }).ResizeObserver;
    if (typeof RO !== 'function') {
      this.sample();
      return;
    }
    if (this.sampleDue) return;
    this.sampleDue = true;
    const root = this.d.win.document.documentElement;
    this.afterLayout ??= new RO(() => {
      this.afterLayout?.unobserve(root);
      if (!this.sampleDue) return;
      this.sampleDue = false;
      this.sample();
    });
    this.afterLayout.observe(root);
  }

  /** Called with every batch of newly passed posts (the watcher's callback). */
  onPassed(): void {
    this.sampleAfterLayout();
    const passed = this.d.passed();
    for (const p of [...this.pending.values()]) {
      // The post after the ghost's place came into view: the place itself did.
      if (p.ghostSeq !== null && p.t0 === null && passed >= p.ghostSeq + 2) this.reached(p);
    }
  }

  private open_(id: string, windowMs: number, ghostSeq: number | null): Pending {
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.values().next().value!;
      this.finish(oldest, oldest.t0 === null ? 'not-reached' : 'navigated');
    }
    this.lastWindowMs = Math.max(this.lastWindowMs, windowMs);
    const p: Pending = { id, windowMs, ghostSeq, io: null, insertedAt: null, t0: null, before: null, overlaps: false, hiddenBefore: false, timer: null, done: false };
    this.pending.set(id, p);
    return p;
  }

  /** A shown frame was put into the page: its top edge coming into view is t0. */
  attachFrame(id: string, windowMs: number, host: Element): void {
    const p = this.open_(id, windowMs, null);
    p.insertedAt = this.now();
    p.io = new IntersectionObserver(
      (entries) => {
        if (p.t0 === null && entries.some((e) => e.isIntersecting)) this.reached(p);
      },
      { threshold: 0 },
    );
    p.io.observe(host);
  }

  /** A withheld decision point at the place after post `seq`: the next post coming into view is t0. */
  attachGhost(id: string, windowMs: number, seq: number): void {
    const p = this.open_(id, windowMs, seq);
    if (this.d.passed() >= seq + 2) this.reached(p);
  }

  private reached(p: Pending): void {
    if (p.done || p.t0 !== null) return;
    if (this.d.win.document.visibilityState === 'hidden') return; // not by the reader: wait for them
    p.io?.disconnect();
    p.io = null;
    const at0 = this.sample();
    const t0 = at0.t;
    p.t0 = t0;
    p.before = this.windowBetween(t0 - p.windowMs, at0);
    p.hiddenBefore = this.lastHiddenEnd > t0 - p.windowMs;
    p.overlaps = this.lastT0 !== null && t0 - this.lastT0 < 2 * p.windowMs;
    this.lastT0 = t0;
    p.timer = this.d.setTimeout(() => {
      p.timer = null;
      this.finish(p, null);
    }, p.windowMs);
  }

  /**
   * The window from `from` to the sample `end`: starts at the newest sample at or before `from`
   * (no post came into view in between, or there would be a newer sample), else at the first
   * sample since the feed was opened (a shorter window).
   */
  private windowBetween(from: number, end: Sample): DecisionWindow {
    let startIdx = -1;
    for (let i = 0; i < this.samples.length; i++) {
      if (this.samples[i].t <= from) startIdx = i;
      else break;
    }
    // No sample that old: the feed was attached less than a window ago (a shorter window).
    const s0 = startIdx >= 0 ? this.samples[startIdx] : this.samples[0] ?? end;
    const startT = startIdx >= 0 ? from : Math.max(s0.t, this.feedSince);
    let travelled = 0;
    let prevY = s0.y;
    for (let i = Math.max(startIdx, 0) + 1; i < this.samples.length && this.samples[i].t <= end.t; i++) {
      travelled += Math.abs(this.samples[i].y - prevY);
      prevY = this.samples[i].y;
    }
    travelled += Math.abs(end.y - prevY);
    return { ms: Math.round(Math.max(0, end.t - startT)), posts: Math.max(0, end.posts - s0.posts), pxTravelled: Math.round(travelled), pxNet: Math.round(end.y - s0.y) };
  }

  private finish(p: Pending, censored: Censor | null): void {
    if (p.done) return;
    p.done = true;
    p.io?.disconnect();
    if (p.timer !== null) this.d.clearTimeout(p.timer);
    this.pending.delete(p.id);
    const t = this.now();
    let after: DecisionWindow | null = null;
    if (!censored && p.t0 !== null) {
      const end = this.sample();
      after = this.windowBetween(p.t0, end);
    }
    const cause: Censor | null = censored ?? (p.hiddenBefore ? 'hidden' : null);
    const clamp = (ms: number) => Math.round(Math.min(Math.max(ms, 0), 86_400_000));
    this.d.post({
      decisionId: p.id,
      reachedAgoMs: p.t0 === null ? null : clamp(t - p.t0),
      insertedAgoMs: p.insertedAt === null ? null : clamp(t - p.insertedAt),
      before: p.before,
      after: cause ? null : after,
      overlapsPrevious: p.overlaps,
      censored: cause,
    });
    if (this.pending.size === 0) this.d.onIdle?.();
  }

  /** The feed went away (navigation, the watcher stopped): every open decision point is reported as it stands. */
  closeAll(cause: 'navigated' | 'page-left'): void {
    for (const p of [...this.pending.values()]) this.finish(p, p.t0 === null ? (cause === 'page-left' ? 'not-reached' : cause) : cause);
  }

  /** The content script is going away for good. */
  dispose(): void {
    this.closeAll('page-left');
    this.d.win.document.removeEventListener('visibilitychange', this.onVisibility);
    this.d.win.removeEventListener('pagehide', this.onPageHide);
    this.d.win.removeEventListener('scrollend', this.onScrollEnd);
    this.sampleDue = false;
    this.afterLayout?.disconnect();
    this.afterLayout = null;
  }
}
