import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { ContentConfig, PushMessage } from '@/utils/messaging/messages';
import { send } from '@/utils/messaging/send';
import type { FeedAdapter } from '@/utils/feeds/types';
import { pickAdapter, siteKeyFor } from '@/utils/feeds/registry';
import { detectGenericAdapter } from '@/utils/feeds/generic';
import { AdapterHealth } from '@/utils/feeds/health';
import { frameUI, loadFrameUI, setFrameLocale } from './frame-ui-loader';
import { FeedWatcher } from './feed-watcher';
import { TicketTracker, ActivityClock } from './ticket-tracker';
import type { FrameAction } from './frame-ui-contract';
import { ExposureMeter } from './exposure';
import { nextFocusable } from './focus';
import { StudyProbe } from './study-probe';
import type { FramePayload } from '@/utils/frames/types';

const PROGRESS_BATCH = 10;
/** Load the frame UI (utils/content/frame-ui-loader.ts) when the next frame is this many posts away. */
const UI_PREFETCH_POSTS = 10;

/**
 * The content script's one job, per tab: pick the site's adapter, count posts, hold one
 * ticket and redeem it by inserting a frame below the fold. Every failure stands down
 * quietly: the page the user is reading must never break because of us.
 */
export class ContentController {
  private adapter: FeedAdapter | null = null;
  private siteKey: string | null = null;
  private watcher: FeedWatcher | null = null;
  private tracker = new TicketTracker();
  private clock = new ActivityClock();
  private config: ContentConfig | null = null;
  private pendingPosts = 0;
  private pendingActiveMs = 0;
  private lastHref = '';
  private lastAnchorSeq = -1;
  private helloFailedAt: number | null = null;
  /** The last post seen before the watcher stopped (navigation), to resume the count; null = first attach. */
  private savedMaxSeen: number | null = null;
  private grantedFrame: { frame: FramePayload; postsSince: number; minSeq: number } | null = null;
  private frames = new Set<Element>();
  /** Study mode's measurements around frames (utils/content/study-probe.ts): made on first use, only while a study runs. */
  private study: StudyProbe | null = null;
  private get studyProbe(): StudyProbe {
    return (this.study ??= new StudyProbe(this.win, () => this.watcher?.passed ?? 0));
  }
  private bodyMO: MutationObserver | null = null;
  private health = new AdapterHealth();
  /** The generic detector standing in for a site adapter that stopped finding items. */
  private fallback: FeedAdapter | null = null;
  private feedRoute = false;
  private grewSinceCheck = false;
  private evaluating = false;
  private reevaluate = false;
  private rafPending = false;

  constructor(private ctx: ContentScriptContext, private win: Window = window) {}

  start(): void {
    const onMessage = (msg: unknown) => {
      if (this.ctx.isInvalid) return;
      const m = msg as PushMessage;
      if (m && m.type === 'push/config') this.applyConfig(m.config);
    };
    browser.runtime.onMessage.addListener(onMessage);
    this.ctx.onInvalidated(() => {
      // The extension was updated or reloaded: leave the page exactly as we found it.
      browser.runtime.onMessage.removeListener(onMessage);
      this.teardown(true);
    });
    this.ctx.addEventListener(this.win.document, 'visibilitychange', () => {
      if (this.win.document.visibilityState === 'hidden') this.flushProgress();
    });
    this.ctx.addEventListener(this.win, 'pagehide', () => this.flushProgress());
    // One cheap check per DOM mutation batch: did the SPA navigate, or re-render the feed?
    // (A content script cannot see history.pushState; observers beat polling the URL.)
    this.bodyMO = new MutationObserver((records) => this.scheduleCheck(records.some((r) => r.addedNodes.length > 0)));
    this.bodyMO.observe(this.win.document.documentElement, { childList: true, subtree: true });
    this.ctx.addEventListener(this.win, 'popstate', () => this.scheduleCheck());
    void this.evaluate();
  }

  private scheduleCheck(grew = false): void {
    if (grew) this.grewSinceCheck = true;
    if (this.rafPending || this.ctx.isInvalid) return;
    const href = this.win.location.href;
    // O(1) per mutation batch: a URL compare and an isConnected read.
    const lost = this.watcher !== null && !this.watcher.containerConnected;
    const waiting = this.adapter !== null && this.config?.active === true && this.feedRoute && (this.watcher === null || this.watcher.itemsKnown === 0);
    // Our hello went unanswered (the worker was restarting): ask again, at most every 2 s.
    const unanswered = this.config === null && this.helloFailedAt !== null && Date.now() - this.helloFailedAt > 2000;
    if (href === this.lastHref && !lost && !waiting && !unanswered) return;
    this.rafPending = true;
    // Coalesce a burst of mutations into one evaluation per frame.
    this.win.requestAnimationFrame(() => {
      this.rafPending = false;
      void this.evaluate();
    });
  }

  private async evaluate(): Promise<void> {
    if (this.evaluating) {
      this.reevaluate = true;
      return;
    }
    this.evaluating = true;
    try {
      await this.evaluateOnce();
    } catch {
      // The background may be restarting or the context invalid: try again on the next change.
      if (this.config === null) this.helloFailedAt = Date.now();
    } finally {
      this.evaluating = false;
      if (this.reevaluate) {
        this.reevaluate = false;
        void this.evaluate();
      }
    }
  }

  private async evaluateOnce(): Promise<void> {
    if (this.ctx.isInvalid) return;
    const loc = this.win.location;
    const doc = this.win.document;
    const hrefChanged = loc.href !== this.lastHref;
    this.lastHref = loc.href;
    const siteAdapter = pickAdapter(loc, doc);
    if (hrefChanged) {
      this.health.reset();
      this.fallback = null;
    }
    // No site adapter: a custom site the user switched on (the script only runs there) → generic.
    const custom = !siteAdapter;
    const adapter = this.fallback ?? siteAdapter ?? detectGenericAdapter(doc);
    this.siteKey = siteKeyFor(loc, doc);
    const routeAdapter = siteAdapter ?? adapter;
    const feedRoute = routeAdapter ? routeAdapter.isFeedRoute(loc, doc) : true;
    this.feedRoute = feedRoute;
    if (hrefChanged || !this.config) {
      const config = await send({ type: 'content/hello', siteKey: this.siteKey, feedRoute });
      if (this.ctx.isInvalid) return;
      this.config = config;
      setFrameLocale(config.locale);
    }
    if (!adapter) {
      // A custom site whose feed is not rendered yet: look again on the next DOM change.
      this.adapter = null;
      this.stopWatching();
      return;
    }
    this.adapter = adapter;
    if (!feedRoute) {
      this.stopWatching();
      this.reportStatus('not-feed', adapter);
      return;
    }
    if (!this.config!.active) {
      this.stopWatching();
      return;
    }
    const container = adapter.findContainer(doc);
    if (this.watcher && this.watcher.isAttachedTo(container)) {
      if (this.watcher.itemsKnown === 0 && !custom && !this.fallback) this.checkHealth(container, doc, siteAdapter!);
      return;
    }
    this.stopWatching();
    const watcher = new FeedWatcher(adapter, doc, {
      onPassed: (n) => this.onPassed(n),
      onApproach: (item, seq) => this.onApproach(item, seq),
    });
    // Coming back to a feed (SPA navigation, a re-rendered list): what is already above the
    // fold was seen before and does not count again, and our frames still there are kept.
    const resume = this.savedMaxSeen !== null;
    if (!watcher.attach({ resume })) {
      if (!custom && !this.fallback) this.checkHealth(null, doc, siteAdapter!);
      else this.reportStatus('waiting', adapter);
      return; // the body observer tries again when the DOM changes
    }
    this.watcher = watcher;
    this.lastAnchorSeq = watcher.adoptFrames();
    const ticket = this.tracker.ticket;
    if (ticket && resume) {
      this.tracker.rebase(this.savedMaxSeen!, watcher.passed - 1);
      if (this.lastAnchorSeq >= 0) this.tracker.target = Math.max(this.tracker.target, this.lastAnchorSeq + ticket.afterPosts);
    } else if (!ticket) this.tracker.hold(this.config!.ticket, this.ticketBase(), this.clock.activeMs);
    if (watcher.itemsKnown > 0 || custom || this.fallback) this.reportStatus(this.fallback ? 'fallback' : 'working', adapter);
  }

  /**
   * The site adapter finds no items while the page keeps growing: the site changed its DOM.
   * After a grace period we switch to the generic detector and say so in the options page.
   */
  private checkHealth(container: Element | null, doc: Document, siteAdapter: FeedAdapter): void {
    const grew = this.grewSinceCheck;
    this.grewSinceCheck = false;
    const status = this.health.observe({
      at: Date.now(),
      adapterItems: container ? container.querySelectorAll(siteAdapter.itemSelector).length : 0,
      pageGrew: grew,
      containerFound: container !== null,
      feedRoute: true,
    });
    if (status === 'fallback') {
      const generic = detectGenericAdapter(doc, siteAdapter);
      if (generic) {
        this.fallback = generic;
        this.stopWatching();
        this.reportStatus('fallback', siteAdapter);
        void this.evaluate();
        return;
      }
    }
    this.reportStatus(status === 'working' ? 'working' : 'waiting', siteAdapter);
  }

  private lastStatus = '';
  private reportStatus(status: 'working' | 'fallback' | 'not-feed' | 'waiting', adapter: FeedAdapter): void {
    const key = `${this.siteKey}|${status}|${adapter.key}`;
    if (key === this.lastStatus || !this.siteKey) return; // one message per change, not per mutation
    this.lastStatus = key;
    void send({ type: 'adapter/status', siteKey: this.siteKey, status, adapter: adapter.key }).catch(() => {});
  }

  private applyConfig(config: ContentConfig): void {
    this.config = config;
    setFrameLocale(config.locale);
    if (!config.active) {
      this.tracker.hold(null, 0, this.clock.activeMs);
      this.grantedFrame = null;
      this.stopWatching();
      return;
    }
    const base = this.ticketBase();
    this.tracker.hold(config.ticket, base, this.clock.activeMs);
    if (!this.watcher) void this.evaluate();
  }

  /** Where a new ticket counts from: the post after the last frame, else the last post seen. */
  private ticketBase(): number {
    return this.lastAnchorSeq >= 0 ? this.lastAnchorSeq : (this.watcher?.passed ?? 0) - 1;
  }

  private stopWatching(): void {
    this.approaching = [];
    if (this.watcher) this.savedMaxSeen = this.watcher.passed - 1;
    this.watcher?.detach();
    this.watcher = null;
  }

  private onPassed(newly: number): void {
    const now = Date.now();
    const before = this.clock.activeMs;
    this.clock.tick(now);
    this.pendingActiveMs += this.clock.activeMs - before;
    this.pendingPosts += newly;
    if (this.config?.study) this.studyProbe.onPassed(this.config.study);
    if (this.pendingPosts >= PROGRESS_BATCH) this.flushProgress();
    if (!frameUI() && this.tracker.target - (this.watcher?.passed ?? 0) <= UI_PREFETCH_POSTS) void loadFrameUI();
    // Without a ticket (daily cap reached, quiet hours…) ask again only every few posts: the
    // background also pushes a new config the moment the reason lapses.
    const passed = this.watcher?.passed ?? 0;
    const askAgain = !this.tracker.ticket && this.config?.active && passed - this.lastAskPassed >= PROGRESS_BATCH;
    if (this.tracker.expired(now) || askAgain) {
      this.lastAskPassed = passed;
      this.requestTicket();
    }
  }
  private lastAskPassed = -Infinity;

  private flushProgress(): void {
    if (!this.siteKey || (this.pendingPosts === 0 && this.pendingActiveMs === 0) || this.ctx.isInvalid) return;
    const posts = this.pendingPosts;
    const activeMs = Math.min(this.pendingActiveMs, 86_400_000);
    this.pendingPosts = 0;
    this.pendingActiveMs = 0;
    void send({ type: 'posts/progress', siteKey: this.siteKey, posts, activeMs }).catch(() => {});
  }

  private requestingTicket = false;
  private requestTicket(): void {
    if (this.requestingTicket || !this.siteKey || this.ctx.isInvalid) return;
    this.requestingTicket = true;
    send({ type: 'ticket/request', siteKey: this.siteKey })
      .then((res) => {
        const base = this.ticketBase();
        this.tracker.hold(res.ticket, base, this.clock.activeMs);
      })
      .catch(() => {})
      .finally(() => {
        this.requestingTicket = false;
      });
  }

  /**
   * Posts that came within reach below the fold, newest last. A ticket that arrives a moment
   * late can still use one of them, so a fast scroll does not push the frame further down.
   */
  private approaching: Array<{ el: Element; seq: number }> = [];

  private onApproach(item: Element, seq: number): void {
    if (this.ctx.isInvalid || !this.siteKey) return;
    this.approaching.push({ el: item, seq });
    if (this.approaching.length > 48) this.approaching.splice(0, this.approaching.length - 48);
    this.tryPlace();
  }

  /** The first buffered post at or after `minSeq` that is still below the fold. */
  private placeFrom(minSeq: number): { el: Element; seq: number } | null {
    const vh = this.win.innerHeight;
    for (let i = 0; i < this.approaching.length; i++) {
      const c = this.approaching[i];
      if (c.seq < minSeq || !c.el.isConnected) continue;
      if (c.el.getBoundingClientRect().bottom > vh) {
        this.approaching.splice(0, i + 1);
        return c;
      }
    }
    return null;
  }

  private tryPlace(): void {
    if (this.grantedFrame) {
      // The frame UI comes at the first frame (frame-ui.ts): place the frame once it is here.
      if (!frameUI()) {
        void loadFrameUI().then((ui) => ui && !this.ctx.isInvalid && this.tryPlace());
        return;
      }
      const spot = this.placeFrom(this.grantedFrame.minSeq);
      if (spot) {
        const g = this.grantedFrame;
        this.grantedFrame = null;
        this.insertFrame(spot.el, spot.seq, g.frame, g.postsSince);
      }
      return;
    }
    const now = Date.now();
    const last = this.approaching[this.approaching.length - 1];
    if (!last || !this.tracker.isDueAt(last.seq, this.clock.activeMs, now)) return;
    const minSeq = Number.isFinite(this.tracker.target) && last.seq >= this.tracker.target ? this.tracker.target : last.seq;
    this.claim(minSeq);
  }

  private claim(minSeq: number): void {
    const ticket = this.tracker.ticket!;
    this.tracker.claiming = true;
    this.flushProgress();
    if (!frameUI()) void loadFrameUI(); // alongside the claim, not after it
    send({ type: 'ticket/claim', ticketId: ticket.id, siteKey: this.siteKey! })
      .then((res) => {
        if (this.ctx.isInvalid) return;
        if (res.ok) {
          if (res.study) this.studyProbe.expect(res.frame.id, res.study);
          this.grantedFrame = { frame: res.frame, postsSince: res.postsSince, minSeq };
          this.tracker.hold(null, minSeq, this.clock.activeMs);
          this.tryPlace(); // places it now if a spot below the fold is buffered, else at the next one
          // The claim also carries the next ticket, so no round trip stands between two frames.
          const base = this.grantedFrame ? minSeq : this.lastAnchorSeq;
          if (res.next) this.tracker.hold(res.next, base, this.clock.activeMs);
          else this.requestTicket();
        } else if (res.ticket && res.ticket.id === ticket.id) {
          // Same ticket, later: keep the original place in the count, wait out the gap.
          const target = this.tracker.target;
          this.tracker.hold(res.ticket, -1, this.clock.activeMs, res.retryAt ?? 0);
          this.tracker.target = target;
        } else {
          this.tracker.hold(res.ticket, this.lastAnchorSeq >= 0 ? this.lastAnchorSeq : minSeq, this.clock.activeMs);
        }
      })
      .catch(() => {
        this.tracker.claiming = false;
      });
  }

  private insertFrame(item: Element, seq: number, frame: FramePayload, postsSince: number): void {
    const adapter = this.adapter;
    const watcher = this.watcher;
    const ui = frameUI();
    if (!adapter || !watcher || !ui) return;
    let meter: ExposureMeter | null = null;
    let exposureSent = false;
    let actionSent = false;
    const siteKey = this.siteKey!;
    // The exposure goes once: with the reader's action, or as 'none' when the frame is scrolled
    // past or the page goes away. An action after a 'none' (the reader scrolled back) still counts.
    const report = (action: FrameAction | 'none') => {
      if (actionSent || (action === 'none' && exposureSent)) return;
      if (action !== 'none') actionSent = true;
      const visibleMs = exposureSent ? 0 : Math.min(meter?.stop() ?? 0, 86_400_000);
      exposureSent = true;
      void send({ type: 'frame/report', siteKey, frameId: frame.id, collectionId: frame.collectionId, visibleMs, action }).catch(() => {});
    };
    const study = this.study?.take(frame.id) ?? null;
    const host = ui.createFrameHost(this.win, {
      frame,
      postsSince,
      sample: this.study?.sampleFor(study),
      width: adapter.frameWidth?.(item) ?? null,
      onAction: (action) => {
        report(action);
        if (action !== 'break') this.removeFrame(host);
      },
      onSnooze15: () => {
        void send({ type: 'frame/snooze', siteKey }).catch(() => {});
      },
    });
    try {
      if (adapter.insertFrame) adapter.insertFrame(item, host);
      else item.after(host);
    } catch {
      return; // the site moved the item away between our check and the insert
    }
    (host as HTMLElement & { __report?: () => void }).__report = () => report('none');
    meter = new ExposureMeter(host, this.win, undefined, () => report('none'));
    if (study) this.studyProbe.track(host, study);
    this.frames.add(host);
    // The adapter may have moved it (to a grid row's end): count the next frame from where it is.
    const anchor = watcher.anchorOf(host);
    watcher.trackFrame(anchor?.el ?? item, host);
    this.lastAnchorSeq = Math.max(seq, anchor?.seq ?? seq);
    // A next ticket already held (it came with the claim) counts from here, not from the target.
    const next = this.tracker.ticket;
    if (next && Number.isFinite(this.tracker.target)) this.tracker.target = Math.max(this.tracker.target, this.lastAnchorSeq + Math.max(1, next.afterPosts));
    if (this.config?.gentleHold) this.gentleHold(host);
  }

  private gentleHold(host: Element): void {
    // Softly blur the next posts for a few seconds; inline styles restored exactly afterwards.
    const blurred: Array<[HTMLElement, string]> = [];
    let el = host.nextElementSibling ?? host.parentElement?.nextElementSibling ?? null;
    for (let i = 0; el && i < 3; i++, el = el.nextElementSibling) {
      const h = el as HTMLElement;
      blurred.push([h, h.style.filter]);
      h.style.filter = 'blur(3px)';
    }
    setTimeout(() => blurred.forEach(([h, f]) => (h.style.filter = f)), 4000);
  }

  private removeFrame(host: Element): void {
    this.frames.delete(host);
    // A keyboard user on the frame's button keeps their place: focus moves on past the frame, not to <body>.
    const next = this.win.document.activeElement === host ? nextFocusable(host) : null;
    frameUI()?.destroyFrameHost(host);
    next?.focus({ preventScroll: true });
  }

  private teardown(removeFrames: boolean): void {
    this.flushProgress();
    this.bodyMO?.disconnect();
    this.bodyMO = null;
    this.stopWatching();
    if (removeFrames) {
      for (const host of this.frames) {
        (host as HTMLElement & { __report?: () => void }).__report?.();
        frameUI()?.destroyFrameHost(host);
      }
      this.frames.clear();
    }
  }
}
