import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { ContentConfig, Message, PushMessage, Responses } from '@/utils/messaging/messages';
import { Channel } from '@/utils/messaging/channel';
import { FOLD_MARGIN_VIEWPORTS } from './feed-watcher';
import type { FeedAdapter } from '@/utils/feeds/types';
import { frameUI, loadFrameUI, setFrameLocale } from './frame-ui-loader';
import { FeedWatcher } from './feed-watcher';
import type { DecisionProbe, ProbeDeps } from './decision-probe';
import { ScrollSamples } from './scroll-samples';
import { lastInputAt, onInputResumed, startInputTracking } from './input-recency';
import { InputGate } from './input-gate';
import { SiteRoute, type RouteLook } from './site-route';
import type { CoverageProbe } from './coverage-probe';
import type { AdapterKit } from './adapter-kit';
import { adapterKit, loadAdapterKit } from './adapter-kit-loader';
import { answerReportRequests } from './site-report';
import { FramePlacer } from './frame-placer';
import type { FrameLifecycle, LifecycleDeps } from './frame-lifecycle';
import type { FeedBreakCover } from './feed-break';
import { StoppingPoint } from './stopping-point';
import { LiveContext } from './live-context';
import { NearFold } from './near-fold';
import { devLog, swallowed } from '@/utils/dev-log';

/** Posts counted before a progress report (one port message); reported anyway before a claim, when hidden and on leaving. */
const PROGRESS_BATCH = 20;
/** A hello that went unanswered (the worker was restarting) is asked again at most this often. */
const HELLO_RETRY_MS = 2000;

/**
 * The content script, per tab: wires the three parts together and owns the feed watcher.
 *  - SiteRoute (site-route.ts): which adapter, is this a feed, has the site adapter gone blind.
 *  - FramePlacer (frame-placer.ts): the ticket, where the next frame goes, the claim.
 *  - FrameLifecycle (frame-lifecycle.ts): mounting, exposure reports, unmounting. It ships with
 *    the lazily loaded frame UI (it is needed only once there is a frame): see frames().
 * Every failure stands down quietly: the page the user is reading must never break because of
 * us. Listeners and timers are bound to the content-script context, so they die with it.
 * Everything here runs on every post of every feed, so it is kept cheap (docs/PERFORMANCE.md):
 * one port to the background, a lifetime flag instead of asking the extension API, and a DOM
 * watch narrowed to the feed's ancestors once a feed is found.
 */
export class ContentController {
  private live: LiveContext;
  private channel: Channel;
  private nearFold: NearFold;
  private pastMargin: NearFold;
  private send: <T extends Message['type']>(msg: Extract<Message, { type: T }>) => Promise<Responses[T]>;
  private route: SiteRoute;
  private placer: FramePlacer;
  private frameDeps: LifecycleDeps;
  /** Made from the frame UI once it is loaded (frames()); null before. */
  private lifecycle: FrameLifecycle | null = null;
  private adapter: FeedAdapter | null = null;
  private siteKey: string | null = null;
  private watcher: FeedWatcher | null = null;
  /** Counts what the adapter misses in the watched feed (nested pages, new wrapper layers). */
  private coverage: CoverageProbe | null = null;
  private config: ContentConfig | null = null;
  private pendingPosts = 0;
  private pendingActiveMs = 0;
  private lastHref = '';
  private helloFailedAt: number | null = null;
  /** The last post seen before the watcher stopped (navigation), to resume the count; null = first attach. */
  private savedMaxSeen: number | null = null;
  /** The scrolling around decision points, shown or withheld (Insights and study mode alike). */
  private samples: ScrollSamples;
  /** Made from the frame UI, which carries it, at the first decision point (decisions()); null before. */
  private probe: DecisionProbe | null = null;
  private probeDeps: ProbeDeps;
  private bodyMO: MutationObserver | null = null;
  /** What bodyMO watches: the container's ancestors only (narrow), or the whole document. */
  private domWatch: Element | 'document' | null = null;
  /**
   * With the Navigation API, a same-document navigation is an event, and the URL is read only
   * after one; without it (older Firefox), it is read on each DOM mutation batch (a Location
   * read serialises the URL: measurable when a virtualised feed mutates every frame).
   */
  private navEvents = false;
  private urlMaybeChanged = true;
  private feedRoute = false;
  private grewSinceCheck = false;
  private evaluating = false;
  private reevaluate = false;
  private rafPending = false;
  /** The adapter kit is on its way (SiteRoute asked for it). */
  private kitWanted = false;
  private kitFailedAt = -Infinity;
  /** Posts and active time count only shortly after the reader's own input (input-gate.ts). */
  private gate: InputGate;
  /**
   * The calm cover over the feed while it is on a break (feed-break.ts). It comes with the frame
   * UI: made when a break is first in force on this feed (breakCover()), null before.
   */
  private cover: FeedBreakCover | null = null;
  /** The break as last synced, for a cover made once the frame UI arrives. */
  private lastBreak: { feedBreak: { until: number } | null; onFeed: boolean } = { feedBreak: null, onFeed: false };
  private coverWanted = false;
  /** Today's stopping point in the feed (stopping-point.ts). */
  private stop: StoppingPoint;

  constructor(
    private ctx: ContentScriptContext,
    private win: Window = window,
  ) {
    this.live = new LiveContext(ctx, win);
    this.channel = new Channel({ onOrphaned: () => this.live.orphaned() });
    this.nearFold = new NearFold();
    this.pastMargin = new NearFold(FOLD_MARGIN_VIEWPORTS);
    const send = <T extends Message['type']>(msg: Extract<Message, { type: T }>) => this.channel.request(msg);
    this.send = send;
    const post = (msg: Message) => void send(msg as never).catch(devLog(msg.type));
    this.gate = new InputGate(win);
    this.stop = new StoppingPoint(win, {
      siteKey: () => this.siteKey,
      unsent: () => this.pendingPosts,
      spot: () => this.placer.spotBelowFold(),
      insert: (item, host) => {
        try {
          if (this.adapter?.insertFrame) this.adapter.insertFrame(item, host);
          else item.after(host);
          return true;
        } catch (err) {
          swallowed('stopping-point insert', err);
          return false; // the site moved the item away between our check and the insert
        }
      },
      width: (item) => this.adapter?.frameWidth?.(item) ?? null,
      closeTab: () => post({ type: 'tab/close' }),
      putAway: (minutes) => this.breakCover()?.start(minutes),
    });
    this.route = new SiteRoute((siteKey, status, adapter) => post({ type: 'adapter/status', siteKey, status, adapter }), {
      get: adapterKit,
      // The kit is needed (no site adapter, or a site adapter that finds nothing: its verdict, then
      // the generic detector): look again once it is here.
      // (Asked on every look while it is missing: after a failed load, again only after a pause.)
      need: () => {
        if (this.kitWanted || Date.now() - this.kitFailedAt < HELLO_RETRY_MS) return;
        this.kitWanted = true;
        void loadAdapterKit().then((kit) => {
          this.kitWanted = false;
          if (!kit) this.kitFailedAt = Date.now();
          else if (!this.live.invalid) void this.evaluate();
        });
      },
    });
    const passed = () => this.watcher?.passed ?? 0;
    this.samples = new ScrollSamples({
      win,
      passed,
      setTimeout: (fn, ms) => this.live.setTimeout(fn, ms),
      clearTimeout: (h) => this.live.clearTimeout(h as number),
    });
    this.probeDeps = {
      win,
      samples: this.samples,
      passed,
      post: (w) => post({ type: 'decision/windows', ...w }),
      setTimeout: (fn, ms) => this.live.setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as number),
      // Frames went off while windows were open: stop counting once the last one is measured.
      onIdle: () => {
        if (this.watcher && !this.wantsWatch()) this.stopWatching();
      },
    };
    this.frameDeps = {
      win,
      post,
      ui: frameUI,
      setTimeout: (fn, ms) => this.live.setTimeout(fn, ms),
      placed: (decision, host) => this.decisions()?.attachFrame(decision.id, decision.windowMs, host),
      whenIdle: (fn) => void this.live.requestIdleCallback(fn, 2000),
      input: { lastInputAt, onInputResumed },
    };
    this.placer = new FramePlacer({
      send,
      siteKey: () => this.siteKey,
      passed: () => this.watcher?.passed ?? 0,
      active: () => this.config?.active === true,
      isInvalid: () => this.live.invalid,
      flushProgress: () => this.flushProgress(),
      uiReady: () => frameUI() !== null,
      loadUI: loadFrameUI,
      spot: (minSeq) => this.watcher?.firstFrom(minSeq) ?? null,
      seqBeyond: (minSeq, maxSeq) => this.watcher?.seqBeyond(minSeq, maxSeq) ?? null,
      registered: () => this.watcher?.itemsKnown ?? 0,
      newest: () => this.watcher?.newest ?? null,
      watchNear: (el, cb) => this.nearFold.watch(el, cb),
      watchMargin: (el, cb) => this.pastMargin.watch(el, cb),
      // Below the fold by FOLD_MARGIN_VIEWPORTS at least: a fast wheel step must not reach the insertion.
      belowFold: (el) => el.isConnected && el.getBoundingClientRect().bottom > this.win.innerHeight * (1 + FOLD_MARGIN_VIEWPORTS),
      wholeBelowFold: (el) => el.isConnected && el.getBoundingClientRect().top > this.win.innerHeight,
      needsPlan: () => typeof this.adapter?.planFrame === 'function',
      plan: (item, layout) => this.adapter?.planFrame?.(item, layout) ?? null,
      prepare: (frame, postsSince, extra) => {
        if (!this.siteKey) return null;
        const siteKey = this.siteKey;
        const breakMinutes = this.config?.breakMinutes ?? 15;
        const frames = this.frames();
        if (!frames) return null;
        return frames.prepare({
          frame,
          postsSince,
          firstToday: extra.firstToday,
          breakMinutes,
          siteKey,
          onBreak: () => this.breakCover()?.start(breakMinutes),
          fewerPauses: () => send({ type: 'frame/fewer-pauses', siteKey }).catch((err) => (swallowed('frame/fewer-pauses', err), null)),
          decision: extra.decision,
          impressionId: extra.study?.impressionId,
          survey: extra.survey,
        });
      },
      mount: (p, item, seq, place) => {
        const frames = this.frames();
        if (!this.adapter || !this.watcher || !frames) return null;
        return frames.mount(p, { adapter: this.adapter, watcher: this.watcher, item, seq, place, gentleHold: this.config?.gentleHold === true });
      },
      discard: (p) => this.frames()?.discard(p),
      nextFrame: (fn) => void this.live.requestAnimationFrame(fn),
      whenIdle: (fn, timeoutMs) => void this.live.requestIdleCallback(fn, timeoutMs),
      after: (fn, ms) => void this.live.setTimeout(fn, ms),
      ghost: (decision, seq) => {
        const probe = this.decisions();
        if (probe) probe.attachGhost(decision.id, decision.windowMs, seq);
        // The frame UI is asked for well before any decision point (and with its claim): if it is
        // still on its way, the withheld point is measured from its arrival.
        else void loadFrameUI().then(() => !this.live.invalid && this.decisions()?.attachGhost(decision.id, decision.windowMs, seq));
      },
      insertSurvey: (item, offer) => (this.adapter ? (this.frames()?.insertSurvey({ adapter: this.adapter, item, offer }) ?? false) : false),
      placed: (ticketId, siteKey) => post({ type: 'frame/placed', ticketId, siteKey }),
      reading: () => this.gate.open,
    });
  }

  /**
   * The frame lifecycle, once the frame UI (which carries it) is loaded; null before — when no
   * frame can have been built, mounted or offered yet, so there is nothing for it to do.
   */
  private frames(): FrameLifecycle | null {
    if (!this.lifecycle) this.lifecycle = frameUI()?.frameLifecycle(this.frameDeps) ?? null;
    return this.lifecycle;
  }

  /**
   * The decision probe (the scrolling around decision points, shown or withheld), once the frame
   * UI (which carries it) is loaded; the scroll samples it measures from are kept from the start.
   */
  private decisions(): DecisionProbe | null {
    if (!this.probe) this.probe = frameUI()?.decisionProbe(this.probeDeps) ?? null;
    return this.probe;
  }

  /** The break cover, once the frame UI (which carries it) is loaded; null before. */
  private breakCover(): FeedBreakCover | null {
    if (!this.cover)
      this.cover =
        frameUI()?.feedBreakCover(
          this.win,
          () => this.siteKey,
          () => this.refreshConfig(),
        ) ?? null;
    return this.cover;
  }

  /**
   * The break in force as the background says (hello, push), and whether this page shows the
   * feed. Until a cover exists, only a break in force on the feed needs one: the frame UI is
   * loaded for it (the panel is part of it) and the cover drawn once it is here.
   */
  private syncCover(feedBreak: { until: number } | null, onFeed: boolean): void {
    this.lastBreak = { feedBreak, onFeed };
    if (this.cover) {
      this.cover.sync(feedBreak, onFeed);
      return;
    }
    if (!feedBreak || feedBreak.until <= Date.now() || !onFeed) return;
    const cover = this.breakCover();
    if (cover) {
      cover.sync(feedBreak, onFeed);
      return;
    }
    if (this.coverWanted) return;
    this.coverWanted = true;
    void loadFrameUI().then(() => {
      this.coverWanted = false;
      if (!this.live.invalid) this.breakCover()?.sync(this.lastBreak.feedBreak, this.lastBreak.onFeed);
    });
  }

  /**
   * Keep counting posts? While frames may come (active), while a study measures whatever the
   * frame state (measure: snoozed, switched off, quiet hours), and while a decision point's
   * windows are still open — so a snooze pressed on a frame never cuts its own measurement short.
   */
  private wantsWatch(): boolean {
    return this.config?.active === true || this.config?.measure === true || (this.probe?.open ?? 0) > 0;
  }

  start(): void {
    startInputTracking(this.win);
    const onMessage = (msg: unknown) => {
      if (this.live.checkNow()) return;
      const m = msg as PushMessage;
      if (m && m.type === 'push/config') this.applyConfig(m.config);
      else if (m && m.type === 'push/hello' && !this.wantsWatch()) {
        // Settings changed and this tab was not stored (its site was off): ask again.
        this.config = null;
        void this.evaluate();
      }
    };
    browser.runtime.onMessage.addListener(onMessage);
    // "Report a site problem" in the popup: this page's feed, described by shape only.
    answerReportRequests(
      this.ctx,
      () => ({ adapter: this.adapter, siteKey: this.siteKey, feedRoute: this.feedRoute, status: this.route.status }),
      this.win.document,
    );
    this.ctx.onInvalidated(() => {
      // The extension was updated or reloaded: leave the page exactly as we found it.
      browser.runtime.onMessage.removeListener(onMessage);
      this.teardown();
      this.channel.close();
    });
    this.ctx.addEventListener(this.win.document, 'visibilitychange', () => {
      if (this.win.document.visibilityState !== 'hidden') return;
      this.flushProgress();
      this.placer.onHidden();
    });
    this.ctx.addEventListener(this.win, 'pagehide', () => this.flushProgress());
    // One cheap check per DOM mutation batch: did the SPA navigate, or re-render the feed?
    // (A content script cannot see history.pushState; observers beat polling the URL.)
    this.bodyMO = new MutationObserver((records) => this.scheduleCheck(records.some((r) => r.addedNodes.length > 0)));
    this.watchDom();
    this.ctx.addEventListener(this.win, 'popstate', () => this.urlChanged());
    const nav = (this.win as unknown as { navigation?: EventTarget }).navigation;
    if (nav && typeof nav.addEventListener === 'function') {
      this.navEvents = true;
      this.ctx.addEventListener(nav, 'currententrychange', () => this.urlChanged());
    }
    void this.evaluate();
  }

  /**
   * The document-wide observer runs on every DOM change the page makes (a virtualised timeline:
   * several a frame), only to notice a navigation or a re-rendered feed. While we watch a feed
   * with posts and navigations are events (the Navigation API), it is enough to know when one of
   * the feed's ancestors loses a child: the observer then sees nothing of the feed's own churn.
   */
  private watchDom(): void {
    const mo = this.bodyMO;
    if (!mo) return;
    const container = this.watcher && this.watcher.itemsKnown > 0 && this.navEvents ? this.watcher.root : null;
    let chain: Node[] | null = null;
    if (container && container.isConnected) {
      chain = [];
      for (let n: Node | null = container.parentNode; n; n = n.parentNode) chain.push(n);
      // Inside a shadow root the chain stops short of the document: watch it all then.
      if (chain[chain.length - 1] !== this.win.document) chain = null;
    }
    const want = chain ? container! : 'document';
    if (want === this.domWatch) return;
    mo.disconnect();
    if (chain) for (const n of chain) mo.observe(n, { childList: true });
    else mo.observe(this.win.document.documentElement, { childList: true, subtree: true });
    this.domWatch = want;
  }

  private urlChanged(): void {
    this.urlMaybeChanged = true;
    this.scheduleCheck();
  }

  private scheduleCheck(grew = false): void {
    if (grew) this.grewSinceCheck = true;
    if (this.rafPending || this.live.invalid) return;
    const href = this.navEvents && !this.urlMaybeChanged ? this.lastHref : this.win.location.href;
    // O(1) per mutation batch: an isConnected read (and, without the Navigation API, a URL compare).
    const lost = this.watcher !== null && !this.watcher.containerConnected;
    // No adapter yet (a custom site, or the generic stand-in, before its feed renders) is waiting too.
    const waiting = this.wantsWatch() && this.feedRoute && (this.adapter === null || this.watcher === null || this.watcher.itemsKnown === 0);
    const unanswered = this.config === null && this.helloFailedAt !== null && Date.now() - this.helloFailedAt > HELLO_RETRY_MS;
    if (href === this.lastHref && !lost && !waiting && !unanswered) return;
    this.rafPending = true;
    // Coalesce a burst of mutations into one evaluation per frame.
    this.live.requestAnimationFrame(() => {
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
    } catch (err) {
      // The background may be restarting or the context invalid: try again on the next change.
      swallowed('evaluate', err);
      if (this.config === null) this.helloFailedAt = Date.now();
    } finally {
      this.evaluating = false;
      // Attached, detached or still waiting: watch as much of the document as that needs.
      this.watchDom();
      if (this.reevaluate) {
        this.reevaluate = false;
        void this.evaluate();
      }
    }
  }

  private async evaluateOnce(): Promise<void> {
    if (this.live.checkNow()) return;
    const loc = this.win.location;
    const doc = this.win.document;
    this.urlMaybeChanged = false;
    const hrefChanged = loc.href !== this.lastHref;
    this.lastHref = loc.href;
    const id = this.route.identify(loc, doc, hrefChanged);
    this.siteKey = id.siteKey;
    this.feedRoute = id.feedRoute;
    if (hrefChanged || !this.config) {
      const config = await this.send({ type: 'content/hello', siteKey: id.siteKey, feedRoute: id.feedRoute });
      if (this.live.invalid) return;
      this.config = config;
      setFrameLocale(config.locale);
      this.stop.setLeft(config.stopLeft);
    }
    // A feed on a break is covered (the background only sets feedBreak for a site that is on).
    this.syncCover(this.config!.feedBreak, id.feedRoute);
    // Until the background says this site is on (frames, or a study measuring), we detect
    // nothing, report nothing and write nothing into the page (a router's admin page on
    // 127.0.0.1 is not a feed of ours).
    if (!this.wantsWatch()) {
      this.stopWatching();
      return;
    }
    const look = this.route.look(doc, id);
    const adapter = look.adapter;
    this.adapter = adapter;
    if (!adapter) {
      // A custom site whose feed is not rendered yet: look again on the next DOM change.
      this.stopWatching();
      return;
    }
    if (!look.feedRoute) {
      this.stopWatching();
      this.route.reportStatus(this.siteKey, 'not-feed', adapter);
      return;
    }
    const container = adapter.findContainer(doc);
    const watchHealth = !look.custom && !look.fallback;
    if (this.watcher && this.watcher.isAttachedTo(container)) {
      if (this.watcher.itemsKnown === 0 && watchHealth) this.checkHealth(container, look.siteAdapter!);
      return;
    }
    this.stopWatching();
    const watcher = new FeedWatcher(adapter, doc, {
      onPassed: (n) => this.onPassed(n),
      onFeedMutated: () => {
        // The page changed the feed: its layout is redone anyway, so our own changes go now.
        this.placer.onFeedMutated();
        if (this.watcher) this.lifecycle?.freezeBehind(this.watcher.passed - 1);
      },
      onFrameOrphaned: (host) => this.lifecycle?.orphaned(host),
      onRecords: (records) => this.coverage?.take(records),
    });
    // Coming back to a feed (SPA navigation, a re-rendered list): what is already above the
    // fold was seen before and does not count again, and our frames still there are kept.
    const resumedFrom = this.savedMaxSeen;
    // A first look at a page already scrolled down (an update injected this script into an open
    // tab, a reload restored the position): what is above the fold was read before, too, so the
    // count — and the first frame — start from here, not from the top.
    if (!watcher.attach({ resume: resumedFrom !== null || this.win.scrollY > 0 })) {
      if (watchHealth) this.checkHealth(null, look.siteAdapter!);
      else this.route.reportStatus(this.siteKey, 'waiting', adapter);
      return; // the body observer tries again when the DOM changes
    }
    this.watcher = watcher;
    this.samples.attached();
    this.placer.attached({ resumedFrom, adoptedAnchor: watcher.adoptFrames(), configTicket: this.config!.ticket });
    if (watcher.itemsKnown > 0 || !watchHealth) this.route.reportStatus(this.siteKey, this.route.statusOf(look), adapter);
    if (container) this.watchCoverage(container, adapter, look);
  }

  /**
   * Found a fraction of the feed (nested pages, wrapped items, posts of a new kind): widen the
   * adapter or fall back, and look again. A diagnostic that can wait: the first time in a tab, its
   * kit (adapter-kit.ts) is loaded at an idle moment, and the probe starts then if this feed is
   * still the one watched (what the page added meanwhile is counted as already there).
   */
  private watchCoverage(container: Element, adapter: FeedAdapter, look: RouteLook): void {
    const watcher = this.watcher;
    const start = (kit: AdapterKit | null) => {
      if (!kit || this.live.invalid || this.watcher !== watcher || this.coverage) return;
      const probe = kit.probe(container, adapter, {
        strays: this.route.watchesStrays(look),
        onChange: () => {
          if (this.live.invalid || this.coverage !== probe || !this.watcher || !this.siteKey) return;
          if (this.route.checkCoverage(this.siteKey, look, this.watcher.itemsKnown, probe, this.win.document)) {
            this.stopWatching();
            void this.evaluate();
          }
        },
      });
      if (!probe.active) return;
      this.coverage = probe;
      probe.attach();
    };
    const kit = adapterKit();
    if (kit) start(kit);
    else this.live.requestIdleCallback(() => void loadAdapterKit().then(start), 2000);
  }

  private checkHealth(container: Element | null, siteAdapter: FeedAdapter): void {
    const grew = this.grewSinceCheck;
    this.grewSinceCheck = false;
    if (this.route.checkHealth(this.siteKey!, container, this.win.document, siteAdapter, grew)) {
      this.stopWatching();
      void this.evaluate();
    }
  }

  private applyConfig(config: ContentConfig): void {
    this.config = config;
    setFrameLocale(config.locale);
    this.syncCover(config.feedBreak, this.feedRoute);
    this.stop.setLeft(config.stopLeft);
    if (!config.active) {
      this.placer.standDown();
      if (!this.wantsWatch()) this.stopWatching();
      else if (!this.watcher) void this.evaluate();
      return;
    }
    this.placer.hold(config.ticket);
    if (!this.watcher) void this.evaluate();
  }

  /** Asks the background for this tab's config again (a break just ended here). */
  private refreshConfig(): void {
    if (!this.siteKey || this.live.invalid) return;
    void this.send({ type: 'content/hello', siteKey: this.siteKey, feedRoute: this.feedRoute })
      .then((config) => !this.live.invalid && this.applyConfig(config))
      .catch(devLog('refresh config'));
  }

  private stopWatching(): void {
    this.coverage?.detach();
    this.coverage = null;
    this.placer.detached();
    if (this.watcher) {
      if (this.probe) this.probe.detached();
      else this.samples.detached();
    }
    if (this.watcher) this.savedMaxSeen = this.watcher.passed - 1;
    this.watcher?.detach();
    this.watcher = null;
  }

  private onPassed(newly: number): void {
    if (this.domWatch === 'document') this.watchDom();
    // Posts that went by with no one at the controls (a page scrolling itself) are not reading.
    // The first screen is held until the reader's first input (and counted then, or never).
    if (!this.gate.open) {
      const unread = this.gate.passedUnread(newly);
      if (unread) this.placer.passedUnread(unread);
      return;
    }
    newly = this.gate.passedRead(newly);
    const now = Date.now();
    this.pendingActiveMs += this.placer.tick(now);
    this.pendingPosts += newly;
    if (this.probe) this.probe.onPassed();
    else this.samples.postsPassed();
    this.stop.onPassed(newly);
    // A post came into view: a moment with fresh layout, when a granted stopping point finds its place.
    this.stop.onApproach();
    if (this.pendingPosts >= PROGRESS_BATCH) this.flushProgress();
    this.placer.afterPassed(now);
  }

  private flushProgress(): void {
    if (!this.siteKey || (this.pendingPosts === 0 && this.pendingActiveMs === 0) || this.live.invalid) return;
    const posts = this.pendingPosts;
    const activeMs = Math.min(this.pendingActiveMs, 86_400_000);
    this.pendingPosts = 0;
    this.pendingActiveMs = 0;
    void this.send({ type: 'posts/progress', siteKey: this.siteKey, posts, activeMs })
      .then((res) => {
        this.stop.setLeft(res.stopLeft);
        // A study's question due by its own schedule: a card at the next place below the fold.
        if (res?.survey && !this.live.invalid) this.placer.offerSurvey(res.survey);
      })
      .catch(devLog('posts/progress'));
  }

  private teardown(): void {
    this.flushProgress();
    this.bodyMO?.disconnect();
    this.bodyMO = null;
    this.stopWatching();
    this.probe?.dispose();
    this.samples.dispose();
    this.lifecycle?.removeAll();
    this.nearFold.disconnect();
    this.pastMargin.disconnect();
    this.cover?.teardown();
    this.stop.remove();
  }
}
