import type { FewerPausesResult, Message } from '@/utils/messaging/messages';
import type { FramePayload } from '@/utils/frames/types';
import type { FeedAdapter } from '@/utils/feeds/types';
import type { SurveyOffer } from '@/utils/study/types';
import type { FrameAction, FrameUI } from './frame-ui-contract';
import type { FeedWatcher } from './feed-watcher';
import { ExposureMeter } from './exposure';
import { nextFocusable } from './focus';
import { gentleHold } from './gentle-hold';

export interface LifecycleDeps {
  win: Window;
  post(msg: Message): void;
  ui(): FrameUI | null;
  /** Timers bound to the content-script context, so they die with it. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** The decision point's place came into the page: the probe measures the scrolling around it. */
  placed(decision: { id: string; windowMs: number }, host: Element): void;
}

/** One frame in the page, and how it reports its exposure exactly once. */
interface LiveFrame {
  /** Reports 'none' (seen or not, no action) if nothing was reported yet, and stops measuring. */
  close(): void;
  /** Ends a gentle hold still waiting for the frame (or still blurring), restoring the posts. */
  release(): void;
}

export interface InsertRequest {
  adapter: FeedAdapter;
  watcher: FeedWatcher;
  item: Element;
  seq: number;
  frame: FramePayload;
  postsSince: number;
  /** No pause earlier today (the frame says so instead of counting posts since one). */
  firstToday: boolean;
  /** How long "Take a break" puts the feed away; the button says it. */
  breakMinutes: number;
  siteKey: string;
  gentleHold: boolean;
  /** "Take a break": the feed is put away (utils/content/feed-break.ts). */
  onBreak(): void;
  /** "Fewer pauses": the background's answer, or null when it could not be asked. */
  fewerPauses(): Promise<FewerPausesResult | null>;
  /** The decision point that showed it. */
  decision: { id: string; windowMs: number };
  /** Study mode: the impression its report goes to. */
  impressionId?: string;
  /** Study mode: the question this frame carries. */
  survey?: SurveyOffer;
}

export interface SurveyRequest {
  adapter: FeedAdapter;
  item: Element;
  offer: SurveyOffer;
}

/**
 * Frame lifecycle, for one tab: mounts a granted frame after a post, measures its exposure,
 * reports it once (with the reader's action, or as 'none' when it is scrolled past, removed by
 * the site, or the page goes away), and unmounts it. Frames are held in a Map, never as
 * properties on elements the page can see.
 */
export class FrameLifecycle {
  private live = new Map<Element, LiveFrame>();
  /** Survey cards in the page, with how to stop observing each. */
  private surveys = new Map<Element, () => void>();

  constructor(private d: LifecycleDeps) {}

  get count(): number {
    return this.live.size;
  }

  /** Inserts the frame; returns the sequence number of the post it really follows, or null if the site moved the item away. */
  insert(r: InsertRequest): number | null {
    const ui = this.d.ui();
    if (!ui) return null;
    let meter: ExposureMeter | null = null;
    let exposureSent = false;
    let actionSent = false;
    // One report with the one exposure measurement: with the reader's action, or as 'none' when the
    // frame is scrolled past or the page goes away. An action after a 'none' (the reader scrolled
    // back) still counts, without a second measurement.
    const report = (action: FrameAction | 'none') => {
      if (actionSent || (action === 'none' && exposureSent)) return;
      if (action !== 'none') actionSent = true;
      const exposure = exposureSent || !meter ? null : meter.stop();
      exposureSent = true;
      this.d.post({
        type: 'frame/report',
        siteKey: r.siteKey,
        frameId: r.frame.id,
        collectionId: r.frame.collectionId,
        visibleMs: Math.min(exposure?.inViewMs ?? 0, 86_400_000),
        action,
        decisionId: r.decision.id,
        ...(r.impressionId ? { impressionId: r.impressionId } : {}),
        exposure,
      });
    };
    const survey = r.survey;
    const host = ui.createFrameHost(this.d.win, {
      frame: r.frame,
      postsSince: r.postsSince,
      firstToday: r.firstToday,
      breakMinutes: r.breakMinutes,
      sample: survey ? { prompt: survey.prompt, onAnswer: (answer) => this.d.post({ type: 'study/survey', offerId: survey.offerId, event: 'answered', answer }) } : undefined,
      width: r.adapter.frameWidth?.(r.item) ?? null,
      onAction: (action) => {
        report(action);
        // "Fewer like this one" folds the frame into a line that says so; a break covers the feed.
        if (action === 'continue') this.remove(host);
        else if (action === 'break') r.onBreak();
      },
      onWhy: () => this.d.post({ type: 'frame/why', siteKey: r.siteKey }),
      onFewerPauses: r.fewerPauses,
    });
    try {
      if (r.adapter.insertFrame) r.adapter.insertFrame(r.item, host);
      else r.item.after(host);
    } catch {
      ui.destroyFrameHost(host);
      return null; // the site moved the item away between our check and the insert
    }
    meter = new ExposureMeter(host, this.d.win, undefined, {
      onScrolledPast: () => report('none'),
      // A question inside the frame is displayed when the frame is.
      onFirstVisible: survey ? () => this.d.post({ type: 'study/survey', offerId: survey.offerId, event: 'displayed' }) : undefined,
    });
    this.d.placed(r.decision, host);
    // The adapter may have moved it (to a grid row's end): count the next frame from where it is.
    const anchor = r.watcher.anchorOf(host);
    r.watcher.trackFrame(anchor?.el ?? r.item, host);
    const release = r.gentleHold ? gentleHold(host, this.d.win, this.d.setTimeout) : () => {};
    this.live.set(host, { close: () => report('none'), release });
    return Math.max(r.seq, anchor?.seq ?? r.seq);
  }

  /**
   * Study mode: the survey question as a card of its own after `item` (below the fold, like a
   * frame). Its answer or "Not now" goes to the offer; it is displayed once at least half in view.
   */
  insertSurvey(r: SurveyRequest): boolean {
    const ui = this.d.ui();
    if (!ui?.createSurveyHost) return false;
    const { offerId } = r.offer;
    let io: IntersectionObserver | null = null;
    const host = ui.createSurveyHost(this.d.win, {
      prompt: r.offer.prompt,
      width: r.adapter.frameWidth?.(r.item) ?? null,
      onAnswer: (answer) => this.d.post({ type: 'study/survey', offerId, event: 'answered', answer }),
      onDismiss: () => {
        this.d.post({ type: 'study/survey', offerId, event: 'dismissed' });
        io?.disconnect();
        this.surveys.delete(host);
        ui.destroyFrameHost(host);
      },
    });
    try {
      r.item.after(host);
    } catch {
      ui.destroyFrameHost(host);
      return false;
    }
    io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.intersectionRatio >= 0.5) && this.d.win.document.visibilityState === 'visible') {
          io?.disconnect();
          this.d.post({ type: 'study/survey', offerId, event: 'displayed' });
        }
      },
      { threshold: [0.5] },
    );
    io.observe(host);
    this.surveys.set(host, () => io?.disconnect());
    return true;
  }

  /** The reader dismissed the frame: unmount it, keeping a keyboard user's place. */
  remove(host: Element): void {
    const f = this.live.get(host);
    if (!f) return;
    this.live.delete(host);
    f.release();
    // A keyboard user on the frame's button keeps their place: focus moves on past the frame, not to <body>.
    const next = this.d.win.document.activeElement === host ? nextFocusable(host) : null;
    this.d.ui()?.destroyFrameHost(host);
    next?.focus({ preventScroll: true });
  }

  /** The site removed the post the frame follows (the watcher already took the frame out): report and release it. */
  orphaned(host: Element): void {
    const f = this.live.get(host);
    if (!f) return;
    this.live.delete(host);
    f.close();
    f.release();
    this.d.ui()?.destroyFrameHost(host);
  }

  /** Leaves the page exactly as we found it: every frame reported and removed, every survey card removed. */
  removeAll(): void {
    for (const [host, f] of this.live) {
      f.close();
      f.release();
      this.d.ui()?.destroyFrameHost(host);
    }
    this.live.clear();
    for (const [host, stop] of this.surveys) {
      stop();
      this.d.ui()?.destroyFrameHost(host);
    }
    this.surveys.clear();
  }
}
