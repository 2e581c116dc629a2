import { send } from '@/utils/messaging/send';
import type { ClaimStudy, SamplePrompt, StudyContentConfig } from '@/utils/study/types';

/**
 * The study's measurements in a feed tab (content script), only while a study runs:
 *  - how long each frame was at least half in view in a visible tab, and when it first was;
 *  - scroll velocity in a window before the frame came into view and a window after.
 *
 * Positions are sampled when the FeedWatcher reports passed posts (its IntersectionObserver
 * already runs): no scroll listener, no polling. Per frame there is one IntersectionObserver
 * and one timer for the after-window. Nothing runs while the reader is idle, and only numbers
 * leave the tab (posts passed, pixels scrolled, milliseconds).
 */

interface Sample {
  t: number;
  posts: number;
  y: number;
}

interface Tracked {
  impressionId: string;
  io: IntersectionObserver;
  windowMs: number;
  inView: boolean;
  since: number | null;
  visibleMs: number;
  t0: number | null;
  at0: Sample | null;
  before: { ms: number; posts: number; px: number } | null;
  after: { ms: number; posts: number; px: number } | null;
  timer: ReturnType<typeof setTimeout> | null;
  done: boolean;
}

const MAX_SAMPLES = 256;

export class StudyProbe {
  private samples: Sample[] = [];
  private startedAt: number;
  private expected = new Map<string, ClaimStudy>();
  private tracked = new Set<Tracked>();
  private cfg: StudyContentConfig | null = null;
  private listening = false;
  private onHide = () => {
    if (this.win.document.visibilityState === 'hidden') this.flushAll();
    else for (const t of this.tracked) this.updateVisibility(t);
  };
  private onPageHide = () => this.flushAll(true);

  constructor(
    private win: Window,
    private passed: () => number,
    private now: () => number = () => performance.now(),
    private post: (msg: Parameters<typeof send>[0]) => void = (msg) => void send(msg).catch(() => {}),
  ) {
    this.startedAt = this.now();
  }

  private position(): Sample {
    return { t: this.now(), posts: this.passed(), y: this.win.scrollY };
  }

  /** Called with every batch of newly passed posts (the watcher's callback). */
  onPassed(cfg: StudyContentConfig): void {
    this.cfg = cfg;
    const s = this.position();
    this.samples.push(s);
    const keep = 2 * cfg.windowMs + 5000;
    let drop = 0;
    // Keep the newest sample older than any window we may still need, and everything after it.
    while (drop < this.samples.length - 1 && this.samples[drop + 1].t < s.t - keep) drop++;
    if (this.samples.length - drop > MAX_SAMPLES) drop = this.samples.length - MAX_SAMPLES;
    if (drop > 0) this.samples.splice(0, drop);
  }

  /** A granted claim carried study data for this frame. */
  expect(frameId: string, study: ClaimStudy): void {
    this.expected.set(frameId, study);
    if (this.expected.size > 16) this.expected.delete(this.expected.keys().next().value!);
  }

  /** The study data for a frame about to be inserted (once). */
  take(frameId: string): ClaimStudy | null {
    const s = this.expected.get(frameId) ?? null;
    this.expected.delete(frameId);
    return s;
  }

  /** Props for the frame's experience-sampling question, if this frame carries it. */
  sampleFor(study: ClaimStudy | null): { prompt: SamplePrompt; onAnswer(value: number): void } | undefined {
    if (!study?.sample) return undefined;
    const impressionId = study.impressionId;
    return { prompt: study.sample, onAnswer: (answer) => this.post({ type: 'study/answer', impressionId, answer }) };
  }

  /** Starts measuring a frame that was just inserted. */
  track(host: Element, study: ClaimStudy): void {
    if (!this.listening) {
      this.listening = true;
      this.win.document.addEventListener('visibilitychange', this.onHide);
      this.win.addEventListener('pagehide', this.onPageHide);
    }
    const t: Tracked = {
      impressionId: study.impressionId,
      io: null as unknown as IntersectionObserver,
      windowMs: this.cfg?.windowMs ?? 10_000,
      inView: false,
      since: null,
      visibleMs: 0,
      t0: null,
      at0: null,
      before: null,
      after: null,
      timer: null,
      done: false,
    };
    t.io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) t.inView = e.isIntersecting && e.intersectionRatio >= 0.5;
        this.updateVisibility(t);
      },
      { threshold: [0, 0.5, 1] },
    );
    t.io.observe(host);
    this.tracked.add(t);
  }

  private updateVisibility(t: Tracked): void {
    if (t.done) return;
    const now = this.now();
    if (t.since !== null) t.visibleMs += now - t.since;
    const seen = t.inView && this.win.document.visibilityState === 'visible';
    t.since = seen ? now : null;
    if (seen && t.t0 === null) this.firstSeen(t, now);
    // Measured enough once the after-window is over and the frame has left the view.
    if (!seen && t.after) this.finish(t);
  }

  private firstSeen(t: Tracked, now: number): void {
    t.t0 = now;
    const at0 = this.position();
    t.at0 = at0;
    // Position at the start of the before-window: the newest sample at or before it (the reader
    // cannot have passed a whole post since, or there would be a newer sample), else the first
    // sample since the feed was opened (a shorter window).
    const from = now - t.windowMs;
    let start: Sample | null = null;
    for (const s of this.samples) {
      if (s.t <= from) start = s;
      else break;
    }
    if (start) t.before = { ms: t.windowMs, posts: at0.posts - start.posts, px: at0.y - start.y };
    else {
      const first = this.samples[0] ?? { t: this.startedAt, posts: at0.posts, y: at0.y };
      const ms = Math.max(0, now - Math.max(first.t, this.startedAt));
      t.before = { ms, posts: at0.posts - first.posts, px: at0.y - first.y };
    }
    t.timer = setTimeout(() => {
      t.timer = null;
      this.closeAfter(t);
      if (!(t.inView && this.win.document.visibilityState === 'visible')) this.finish(t);
    }, t.windowMs);
  }

  private closeAfter(t: Tracked): void {
    if (t.after || t.t0 === null || !t.at0) return;
    const p = this.position();
    t.after = { ms: Math.max(0, p.t - t.t0), posts: p.posts - t.at0.posts, px: p.y - t.at0.y };
  }

  private finish(t: Tracked): void {
    if (t.done) return;
    const now = this.now();
    if (t.since !== null) t.visibleMs += now - t.since;
    t.since = null;
    t.done = true;
    t.io.disconnect();
    if (t.timer !== null) clearTimeout(t.timer);
    this.tracked.delete(t);
    const round = (w: Tracked['before']) => (w ? { ms: Math.round(Math.min(w.ms, 86_400_000)), posts: Math.max(0, w.posts), px: Math.round(w.px) } : null);
    this.post({
      type: 'study/pause',
      impressionId: t.impressionId,
      visibleMs: Math.round(Math.min(t.visibleMs, 86_400_000)),
      firstVisibleAgoMs: t.t0 === null ? null : Math.round(Math.min(now - t.t0, 86_400_000)),
      before: t.after ? round(t.before) : null,
      after: round(t.after),
    });
  }

  /** The tab is hidden or going away: report what has been measured so far. */
  flushAll(leaving = false): void {
    for (const t of [...this.tracked]) {
      if (t.t0 === null && !leaving) continue; // never seen yet: it may still be, when the reader comes back
      this.closeAfter(t);
      this.finish(t);
    }
  }
}
