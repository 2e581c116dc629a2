import type { FewerPausesResult, Message } from '@/utils/messaging/messages';
import type { FramePayload } from '@/utils/frames/types';
import type { FeedAdapter } from '@/utils/feeds/types';
import type { SurveyOffer } from '@/utils/study/types';
import type { FrameAction, FrameUI } from './frame-ui-contract';
import type { FeedWatcher } from './feed-watcher';
import { ExposureMeter, type InputClock } from './exposure';
import { nextFocusable } from './focus';
import { gentleHold } from './gentle-hold';
import { swallowed } from '@/utils/dev-log';

/** A frame this many posts behind the last post seen lets go of its live UI (see freezeBehind). */
export const FREEZE_BEHIND_POSTS = 12;

export interface LifecycleDeps {
  win: Window;
  post(msg: Message): void;
  ui(): FrameUI | null;
  /** Timers bound to the content-script context, so they die with it. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** The decision point's place came into the page: the probe measures the scrolling around it. */
  placed(decision: { id: string; windowMs: number }, host: Element): void;
  /** Runs `fn` when the page is idle (without it: at once). */
  whenIdle?(fn: () => void): void;
  /**
   * The reader's input, as the content script tracks it from its start (input-recency.ts). Given,
   * not imported: this code ships in the frame UI's bundle, whose own copy of input-recency would
   * start listening only at the first frame and miss the input before it.
   */
  input: InputClock;
}

/** One frame in the page, and how it reports its exposure exactly once. */
interface LiveFrame {
  /** Reports 'none' (seen or not, no action) if nothing was reported yet, and stops measuring. */
  close(): void;
  /** Ends a gentle hold still waiting for the frame (or still blurring), restoring the posts. */
  release(): void;
}

export interface PrepareRequest {
  frame: FramePayload;
  postsSince: number;
  /** No pause earlier today (the frame says so instead of counting posts since one). */
  firstToday: boolean;
  /** How long "Take a break" puts the feed away; the button says it. */
  breakMinutes: number;
  siteKey: string;
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

/** A frame built off the page, ready to go in with one DOM insertion. */
export interface PreparedFrame {
  host: HTMLElement;
  req: PrepareRequest;
  /** Starts measuring and reporting once the frame is in the page; returns how to close its report. */
  start(): () => void;
  /** It goes in further on than the place it was built for: its "posts since your last pause" says so (unless it says "first today"). Before it is in the page. */
  recount(postsSince: number): void;
}

export interface MountRequest {
  adapter: FeedAdapter;
  watcher: FeedWatcher;
  /** The post the frame follows (the adapter may move it: a grid row's end). */
  item: Element;
  seq: number;
  /** Puts the host in the page; reads no layout. Default: the adapter's insertFrame, else after the item. */
  place?: (host: HTMLElement) => void;
  gentleHold: boolean;
}

export interface SurveyRequest {
  adapter: FeedAdapter;
  item: Element;
  offer: SurveyOffer;
}

/**
 * Frame lifecycle, for one tab (bundled with the frame UI, entrypoints/frame-ui.ts: the content
 * script gets it when the frame UI loads, FrameUI.frameLifecycle): builds a granted frame off the page (`prepare`) and puts it in
 * after a post in one insertion (`mount`), lets it go of its live UI once far behind the reader
 * (`freezeBehind`), measures its exposure,
 * reports it once (with the reader's action, or as 'none' when it is scrolled past, removed by
 * the site, or the page goes away), and unmounts it. Frames are held in a Map, never as
 * properties on elements the page can see.
 */
export class FrameLifecycle {
  private live = new Map<Element, LiveFrame>();
  /** Mounted frames not frozen yet, in the order of the posts they follow. */
  private toFreeze: Array<{ host: Element; seq: number }> = [];
  /** Survey cards in the page, with how to stop observing each. */
  private surveys = new Map<Element, () => void>();

  constructor(private d: LifecycleDeps) {}

  get count(): number {
    return this.live.size;
  }

  /**
   * Builds the frame's host, shadow root and content without touching the page (so no layout of
   * the page happens), or null when the frame UI is not loaded.
   */
  prepare(r: PrepareRequest): PreparedFrame | null {
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
    const host: HTMLElement = ui.createFrameHost(this.d.win, {
      frame: r.frame,
      postsSince: r.postsSince,
      firstToday: r.firstToday,
      breakMinutes: r.breakMinutes,
      sample: survey
        ? { prompt: survey.prompt, onAnswer: (answer) => this.d.post({ type: 'study/survey', offerId: survey.offerId, event: 'answered', answer }) }
        : undefined,
      width: null,
      onAction: (action) => {
        report(action);
        // "Fewer like this one" folds the frame into a line that says so; a break covers the feed.
        if (action === 'continue') this.remove(host);
        else if (action === 'break') r.onBreak();
      },
      onWhy: () => this.d.post({ type: 'frame/why', siteKey: r.siteKey }),
      onFewerPauses: r.fewerPauses,
    });
    return {
      host,
      req: r,
      recount: (n) => {
        if (r.firstToday || r.postsSince === n) return;
        r.postsSince = n;
        ui.recountFrameHost(host, n);
      },
      start: () => {
        meter = new ExposureMeter(
          host,
          this.d.win,
          undefined,
          {
            onScrolledPast: () => report('none'),
            // A question inside the frame is displayed when the frame is.
            onFirstVisible: survey ? () => this.d.post({ type: 'study/survey', offerId: survey.offerId, event: 'displayed' }) : undefined,
          },
          this.d.input,
        );
        this.d.placed(r.decision, host);
        return () => report('none');
      },
    };
  }

  /**
   * Puts a prepared frame in the page after the item: one DOM insertion and nothing that reads
   * layout, so when the page has just changed the feed itself, the browser lays both out in one
   * pass. Returns the sequence number of the post it really follows, or null if the site moved
   * the item away.
   */
  mount(p: PreparedFrame, r: MountRequest): number | null {
    // Width from the adapter when its column is not simply the item's (none needs it today).
    const width = r.adapter.frameWidth?.(r.item) ?? null;
    if (width) p.host.style.setProperty('width', `${Math.round(width)}px`, 'important');
    try {
      if (r.place) r.place(p.host);
      else if (r.adapter.insertFrame) r.adapter.insertFrame(r.item, p.host);
      else r.item.after(p.host);
    } catch (err) {
      swallowed('frame insert', err);
      return null; // the site moved the item away between our check and the insert
    }
    if (!p.host.isConnected) return null;
    const close = p.start();
    // The adapter may have moved it (to a grid row's end): count the next frame from where it is.
    const anchor = r.watcher.anchorOf(p.host);
    r.watcher.trackFrame(anchor?.el ?? r.item, p.host);
    const release = r.gentleHold ? gentleHold(p.host, this.d.win, this.d.setTimeout) : () => {};
    this.live.set(p.host, { close, release });
    const seq = Math.max(r.seq, anchor?.seq ?? r.seq);
    this.toFreeze.push({ host: p.host, seq });
    return seq;
  }

  /** Builds and puts in at once (prepare, then mount); null if it could not, leaving nothing behind. */
  insert(r: PrepareRequest & MountRequest): number | null {
    const p = this.prepare(r);
    if (!p) return null;
    const seq = this.mount(p, r);
    if (seq === null) this.discard(p);
    return seq;
  }

  /** A prepared frame that will not be shown (the feed went away): release it. */
  discard(p: PreparedFrame): void {
    if (this.live.has(p.host)) return;
    this.d.ui()?.destroyFrameHost(p.host);
  }

  /**
   * Frames far behind the reader (FREEZE_BEHIND_POSTS behind the last post seen) keep their look
   * but let go of their live UI (the frame UI's freezeFrameHost), so a long session's heap does not
   * grow with every frame shown. Called in the page's own mutation turn (the page is laid out
   * again anyway) and reads no layout. O(1) per frame: the list is in feed order.
   */
  freezeBehind(lastSeen: number): void {
    const ui = this.d.ui();
    while (this.toFreeze.length && this.toFreeze[0].seq < lastSeen - FREEZE_BEHIND_POSTS) {
      const { host } = this.toFreeze.shift()!;
      if (this.live.has(host) && host.isConnected) ui?.freezeFrameHost(host);
    }
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
    } catch (err) {
      // The site moved the item away between our check and the insert: no card this time.
      swallowed('survey insert', err);
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
    this.forget(host);
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
    this.forget(host);
    f.close();
    f.release();
    // Already out of the page: releasing its UI can wait until the page is idle (a virtualised
    // timeline removes cells, and a frame with them, in the middle of its own scroll work).
    const release = () => this.d.ui()?.destroyFrameHost(host);
    if (this.d.whenIdle) this.d.whenIdle(release);
    else release();
  }

  /**
   * Holds nothing more of a frame that left the page (the freeze list too: otherwise a removed host
   * stays reachable until the reader is FREEZE_BEHIND_POSTS past it, which a page that removes
   * frames as fast as it gets them means never). The list holds only the last few frames.
   */
  private forget(host: Element): void {
    this.live.delete(host);
    this.toFreeze = this.toFreeze.filter((f) => f.host !== host);
  }

  /** Leaves the page exactly as we found it: every frame reported and removed, every survey card removed. */
  removeAll(): void {
    for (const [host, f] of this.live) {
      f.close();
      f.release();
      this.d.ui()?.destroyFrameHost(host);
    }
    this.live.clear();
    this.toFreeze = [];
    for (const [host, stop] of this.surveys) {
      stop();
      this.d.ui()?.destroyFrameHost(host);
    }
    this.surveys.clear();
  }
}
