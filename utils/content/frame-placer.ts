import type { Message, Responses, ContentConfig, ClaimDecisionInfo } from '@/utils/messaging/messages';
import type { FramePayload } from '@/utils/frames/types';
import type { ClaimStudy, SurveyOffer } from '@/utils/study/types';
import type { PreparedFrame } from './frame-lifecycle';
import { TicketTracker, ActivityClock } from './ticket-tracker';
import { devLog, swallowed } from '@/utils/dev-log';

/** Without a ticket (daily cap, quiet hours…), ask again at most every this many posts. */
const ASK_EVERY_POSTS = 10;
/**
 * Claim the frame (and build it off the page) up to this many posts ahead of the last post seen:
 * the earlier it is ready, the more chances it has to go in with one of the page's own changes to
 * the feed. Before the post it goes after exists only on a page that appends posts, and only when
 * that post is within one of its appends (the largest seen): then the frame is ready for the very
 * change that brings its place, which is past the fold's margin (npm run bench: most frames went
 * in by themselves, each a relayout of the whole feed, because their place arrived with an append
 * and was near by the next). A claim is a decision point, not a pause: the pause counts when the
 * frame is placed, and a grant never placed lapses (utils/schedule/wake.ts); a study measures the
 * decision point from when its place comes into view (decision-probe.ts), not from the claim.
 */
export const CLAIM_LEAD_POSTS = 30;
/** Load the frame UI this many posts before the claim. */
const UI_PREFETCH_POSTS = 10;
/** A place for a frame is a post at least this many beyond the last one seen (never one in view). */
const SPOT_MARGIN = 2;
/** The feed's end is watched again once this many newer posts arrived behind it (see watchEnd). */
const END_RETARGET = 8;
/** A ready frame whose page changes nothing while the reader is still this long goes in by itself (nobody is scrolling). */
const STILL_MS = 300;

type Send = <T extends Message['type']>(msg: Extract<Message, { type: T }>) => Promise<Responses[T]>;

export interface PlacerDeps {
  send: Send;
  siteKey(): string | null;
  /** Posts passed so far in the attached feed (0 when none). */
  passed(): number;
  active(): boolean;
  isInvalid(): boolean;
  /** Progress is sent before a claim, so the background judges the claim on fresh numbers. */
  flushProgress(): void;
  /** The lazily loaded frame UI: is it here, and load it. */
  uiReady(): boolean;
  loadUI(): Promise<unknown>;
  /** The first post in the page at or after sequence number `minSeq`; reads no layout. */
  spot(minSeq: number): { el: Element; seq: number } | null;
  /**
   * The first post at or after `minSeq` known by count alone to be far enough below the fold for a
   * frame, whether or not the page has it yet (FeedWatcher.seqBeyond); reads no layout. null when
   * that is not known, or it is past `maxSeq`.
   */
  seqBeyond(minSeq: number, maxSeq: number): number | null;
  /** How many posts the feed has registered so far (sequence numbers below this exist). */
  registered(): number;
  /** The newest post registered, or null. */
  newest(): { el: Element; seq: number } | null;
  /**
   * Watches whether `el` is near the fold (within a screen below it, or above): `cb(true)` when
   * it comes that close, `cb(false)` while it is further down; returns the function that stops.
   */
  watchNear(el: Element, cb: (near: boolean) => void): () => void;
  /** Like watchNear, against the fold's margin alone (FOLD_MARGIN_VIEWPORTS below the fold): for the feed's end. */
  watchMargin(el: Element, cb: (near: boolean) => void): () => void;
  /** Is `el` still below the fold? Reads layout: only at moments when the page's layout is fresh. */
  belowFold(el: Element): boolean;
  /** Is all of `el` below the fold? Reads layout, like belowFold. */
  wholeBelowFold(el: Element): boolean;
  /**
   * Does the adapter need to decide where a frame goes before it goes in (a grid row's end)?
   * Then `plan` is called while layout is fresh and its answer used later — or, if there is none
   * yet, in the page's own mutation turn, without layout.
   */
  needsPlan(): boolean;
  /** Where the frame after `item` goes (`layout`: may read it; FeedAdapter.planFrame); null: not decidable now. */
  plan(item: Element, layout: boolean): ((host: HTMLElement) => void) | null;
  /** Builds the frame off the page; null when the frame UI is not loaded. */
  prepare(frame: FramePayload, postsSince: number, extra: FrameExtra): PreparedFrame | null;
  /** Puts it in after `item` (reads no layout); the sequence number of the post it really follows, or null. */
  mount(p: PreparedFrame, item: Element, seq: number, place?: (host: HTMLElement) => void): number | null;
  discard(p: PreparedFrame): void;
  /** Runs `fn` at the next rendering update, before its layout (requestAnimationFrame). */
  nextFrame(fn: () => void): void;
  /** Runs `fn` when the page is idle (or after `timeoutMs`). */
  whenIdle(fn: () => void, timeoutMs: number): void;
  /** Runs `fn` after `ms`. */
  after(fn: () => void, ms: number): void;
  /** A withheld decision point's place is after post `seq`: measured like a shown frame's. */
  ghost(decision: ClaimDecisionInfo, seq: number): void;
  /** Study mode: the survey question as a card of its own after `item`. */
  insertSurvey(item: Element, offer: SurveyOffer): boolean;
  /** The granted frame is in the page: the background counts the pause now, not at the claim. */
  placed(ticketId: string, siteKey: string): void;
  /** Is someone reading right now (trusted input a moment ago, input-gate.ts)? No claim otherwise. */
  reading(): boolean;
}

/** What a granted frame carries besides itself: the decision point that showed it, and in a study its question. */
export interface FrameExtra {
  firstToday: boolean;
  decision: ClaimDecisionInfo;
  study?: ClaimStudy;
  survey?: SurveyOffer;
}

/**
 * A granted decision point waiting for its moment: a frame, or (in a study) a withheld one,
 * which puts nothing in the page but is measured at the same kind of place.
 */
type Ready = (
  | {
      kind: 'frame';
      ticketId: string;
      siteKey: string;
      frame: FramePayload;
      /** Posts since the last pause once the reader reaches post `countedTo`. */
      postsSince: number;
      extra: FrameExtra;
    }
  | { kind: 'ghost'; decision: ClaimDecisionInfo; survey?: SurveyOffer }
) & {
  /** The earliest post it may follow. */
  minSeq: number;
  /** The place it was claimed for (its due place). */
  countedTo: number;
  prepared: PreparedFrame | null;
};

/** A post watched for how close to the fold it is. */
interface Watched {
  el: Element;
  seq: number;
  /** null until the observer has looked once. */
  near: boolean | null;
  stop: () => void;
}

/** The post the next frame is to follow, watched for how close to the fold it is. */
interface Place {
  el: Element;
  seq: number;
  /** null until the observer has looked once. */
  near: boolean | null;
  /** Where the frame goes, decided while layout was fresh (adapters that need it). */
  plan: ((host: HTMLElement) => void) | null;
  stop: () => void;
}

/**
 * Claim and placement, for one tab: holds the background's ticket, claims the frame once its
 * place is in the page, builds it off the page, and puts it in below the fold.
 *
 * When: inserting anything into a long feed makes the browser lay out the feed again (npm run
 * bench: ~40 ms at 5,000 posts, the same as the page's own appends). An insertion made in a turn
 * where the page itself just changed the feed shares the page's layout pass and costs next to
 * nothing. So a ready frame goes in from the feed watcher's mutation callback (`onFeedMutated`,
 * before the next layout, reading no layout) while its place is still more than a screen below
 * the fold, or when it is granted while such a change is still waiting to be laid out. Only when
 * the page changes nothing until the place comes within a screen of the fold, the reader stops
 * scrolling, or the tab is hidden (no rendering then) does it go in by itself.
 *
 * The claim carries the next ticket, so no round trip stands between two frames.
 */
export class FramePlacer {
  readonly tracker = new TicketTracker();
  readonly clock = new ActivityClock();
  /** Sequence number of the post the last frame follows; -1 before the first. */
  lastAnchorSeq = -1;
  private ready: Ready | null = null;
  /** Study mode: a survey due by its own schedule, waiting for a place below the fold. */
  private survey: SurveyOffer | null = null;
  private place: Place | null = null;
  /**
   * The feed's newest post, watched too (against the fold's margin alone): when it was last seen
   * beyond the margin, so is every post after it — a place the page has only just appended is
   * known to be far enough down before any observer has looked at it, and a frame ready for it
   * goes in with the append.
   */
  private end: Watched | null = null;
  private requesting = false;
  private lastAskPassed = -Infinity;
  /**
   * Posts registered at the page's last change to the feed, and the most it has added in one
   * change. Set at attach to the first render's posts, so that the page's first append already
   * tells its batch (learnt only from the second, the frame due in it was claimed after it and
   * went in by itself: performance.spec, Reddit).
   */
  private registeredAtChange = -1;
  private pageBatch = 0;
  /** The page changed the feed since the last rendering update: an insertion now is laid out with it. */
  private feedDirty = false;
  private frameRequested = false;
  /** A late frame waits for the page's change to be laid out (insertAfterRender). */
  private retryRequested = false;
  private idleRequested = false;
  private stillTimer = false;
  /** Posts passed when the stillness timer was set. */
  private stillMark = -1;

  constructor(private d: PlacerDeps) {}

  /** Where a new ticket counts from: the post after the last frame, else the last post seen. */
  ticketBase(): number {
    return this.lastAnchorSeq >= 0 ? this.lastAnchorSeq : this.d.passed() - 1;
  }

  hold(ticket: ContentConfig['ticket']): void {
    this.tracker.hold(ticket, this.ticketBase(), this.clock.activeMs);
  }

  /** Frames are off here now (site off, snoozed, quiet hours): drop the ticket and any granted frame. */
  standDown(): void {
    this.tracker.hold(null, 0, this.clock.activeMs);
    if (this.ready?.prepared) this.d.discard(this.ready.prepared);
    this.ready = null;
    this.survey = null;
    this.unwatch();
    this.unwatchEnd();
  }

  /** Study mode: the survey question is due by its own schedule; it goes into the feed at the next place below the fold. */
  offerSurvey(offer: SurveyOffer): void {
    this.survey = offer;
    if (!this.d.uiReady()) void this.d.loadUI();
  }

  /** The watcher attached to a feed; `adoptedAnchor` is where our frames already in it end (-1: none). */
  attached(opts: { resumedFrom: number | null; adoptedAnchor: number; configTicket: ContentConfig['ticket'] }): void {
    this.lastAnchorSeq = opts.adoptedAnchor;
    this.registeredAtChange = this.d.registered();
    const ticket = this.tracker.ticket;
    if (ticket && opts.resumedFrom !== null) {
      this.tracker.rebase(opts.resumedFrom, this.d.passed() - 1);
      if (this.lastAnchorSeq >= 0) this.tracker.target = Math.max(this.tracker.target, this.lastAnchorSeq + ticket.afterPosts);
    } else if (!ticket) this.hold(opts.configTicket);
  }

  /** The watcher stopped: a frame granted for that feed goes in the next feed's first place. */
  detached(): void {
    this.unwatch();
    this.unwatchEnd();
    this.registeredAtChange = -1;
    this.pageBatch = 0;
    if (this.ready) this.ready.minSeq = 0;
  }

  /** Posts passed: advances the active-time clock; returns the active milliseconds it added. */
  tick(now: number): number {
    const before = this.clock.activeMs;
    this.clock.tick(now);
    return this.clock.activeMs - before;
  }

  /**
   * Posts went by with no trusted input (the page scrolled itself; input-gate.ts): they are not
   * reading, so the frame stays as many posts away as it was, and no active time accrues.
   */
  passedUnread(n: number): void {
    if (Number.isFinite(this.tracker.target)) this.tracker.target += n;
    this.clock.rest();
  }

  /**
   * After posts passed (the view observer's callback): loads the UI ahead of a frame, asks for a
   * ticket when one is due, claims the next frame once its place is in the page, and keeps the
   * waiting frame's place current.
   */
  afterPassed(now: number): void {
    const passed = this.d.passed();
    if (!this.d.uiReady() && this.tracker.target - passed <= CLAIM_LEAD_POSTS + UI_PREFETCH_POSTS) void this.d.loadUI();
    // The background also pushes a new config the moment a reason for "no ticket" lapses.
    const askAgain = !this.tracker.ticket && this.d.active() && passed - this.lastAskPassed >= ASK_EVERY_POSTS;
    if (this.tracker.expired(now) || askAgain) {
      this.lastAskPassed = passed;
      this.requestTicket();
    }
    if (this.survey && !this.ready) this.placeSurvey();
    if (!this.ready) this.maybeClaim(now);
    if (this.tracker.ticket || this.ready || this.tracker.claiming) this.watchEnd();
    if (this.ready) {
      this.watchPlace();
      // Its place is already near (the feed ended close to the fold, or it was near when found):
      // no observer change will come for it, so look again at each post, from here (layout is fresh).
      if (this.waitsForAppend()) {
        // Not now, by itself: the page's next append takes it in (onFeedMutated).
      } else if (this.place?.near === true) this.insertNow(true);
      // The reader has gone past where it was due (a jump, the End key, a fling): each new place
      // is passed before the observer has looked at it, so no change of the page would take it in
      // and it would wait for the reader to stop, further and further from its cadence. It goes
      // in now, by itself — or, if the page has just changed the feed, right after that change
      // is laid out (a read now would force the page's layout inside our code).
      else if (this.place && this.place.seq > this.ready.minSeq) {
        if (!this.feedDirty) this.insertNow(true);
        else this.insertAfterRender();
      }
    }
    if (this.ready) {
      this.buildWhenIdle();
      this.watchStillness();
    }
  }

  /**
   * Once the browser's next rendering update has laid out the page's change (a task queued from
   * its rAF runs after it). If the page has changed the feed again by then — a virtualised
   * timeline repositions its cells in nearly every frame, so it never stands still — the frame
   * goes in all the same: a late frame cannot wait for a clean moment that may never come, and
   * this costs one forced layout for the frame, not one per post.
   */
  private insertAfterRender(): void {
    if (this.retryRequested) return;
    this.retryRequested = true;
    this.d.nextFrame(() =>
      this.d.after(() => {
        this.retryRequested = false;
        if (this.ready) this.insertNow(true);
      }, 0),
    );
  }

  /** The tab was hidden: nothing is rendered now, so a waiting frame goes in at no cost to the reader. */
  onHidden(): void {
    if (this.ready) this.insertNow(true);
  }

  /**
   * The page changed the feed (the watcher's mutation callback, before the next layout): a
   * ready frame goes in now and is laid out with the page's change. Reads no layout.
   */
  onFeedMutated(): void {
    const registered = this.d.registered();
    const grew = registered !== this.registeredAtChange;
    if (this.registeredAtChange >= 0) this.pageBatch = Math.min(CLAIM_LEAD_POSTS, Math.max(this.pageBatch, registered - this.registeredAtChange));
    this.registeredAtChange = registered;
    // The page may just have rendered the place the next frame goes after: claim it now. Only
    // when it added posts — a virtualised timeline changes its DOM in nearly every frame.
    if (grew && !this.ready && !this.tracker.claiming && this.tracker.ticket) this.maybeClaim(Date.now());
    if ((this.tracker.claiming || this.ready) && !this.frameRequested) {
      // A claim is on its way, or a frame waits: remember until the layout that the page changed
      // the feed, so a frame granted (or whose place comes near) before then goes in at once, and
      // nothing of ours reads layout in between. Our rAF callback runs in the rendering update,
      // before its layout: after it, the change is laid out.
      this.feedDirty = true;
      this.frameRequested = true;
      this.d.nextFrame(() => {
        this.frameRequested = false;
        this.feedDirty = false;
      });
    }
    if (this.ready && !this.insertNow(false)) this.watchStillness();
  }

  /**
   * A post wholly below the fold (not one a frame is waiting for), for the stopping point, which
   * is not a frame. Reads layout: call it at a moment when the page's layout is fresh.
   */
  spotBelowFold(): Element | null {
    const from = this.d.passed() - 1 + SPOT_MARGIN;
    for (let seq = from, tries = 0; tries < 6 && seq < this.d.registered(); tries++) {
      const spot = this.d.spot(seq);
      if (!spot) return null;
      if (spot.el !== this.place?.el && this.d.wholeBelowFold(spot.el)) return spot.el;
      seq = spot.seq + 1;
    }
    return null;
  }

  requestTicket(): void {
    const siteKey = this.d.siteKey();
    if (this.requesting || !siteKey || this.d.isInvalid()) return;
    this.requesting = true;
    this.d
      .send({ type: 'ticket/request', siteKey })
      .then((res) => this.hold(res.ticket))
      .catch(devLog('ticket request'))
      .finally(() => {
        this.requesting = false;
      });
  }

  private maybeClaim(now: number): void {
    if (this.d.isInvalid() || !this.d.siteKey()) return;
    const lastSeen = this.d.passed() - 1;
    const due = this.tracker.claimDue(lastSeen, CLAIM_LEAD_POSTS, this.clock.activeMs, now);
    if (!due) return;
    // Not before the page has rendered the post it goes after, unless the page's next append
    // will (see CLAIM_LEAD_POSTS).
    if (due === 'posts' && this.tracker.target >= this.d.registered() + this.pageBatch) return;
    // A page scrolling itself races ahead of the count: nothing is claimed for it. (A frame
    // already granted while someone read still goes in: the reply may come after their last input.)
    // Asked last: this runs at every change of a virtualised timeline (npm run bench, X-like).
    if (!this.d.reading()) return;
    // Due by active time: the next place below the fold. By posts: the ticket's place (or the
    // first place below the fold after it, if the reader is already past it).
    const earliest = lastSeen + SPOT_MARGIN;
    this.claim(due === 'time' || !Number.isFinite(this.tracker.target) ? earliest : Math.max(this.tracker.target, earliest));
  }

  private claim(minSeq: number): void {
    const ticket = this.tracker.ticket!;
    const siteKey = this.d.siteKey()!;
    this.tracker.claiming = true;
    this.d.flushProgress();
    // The background counts posts up to here; the frame says how many since the last pause when
    // the reader reaches it, after the posts up to its place (a claim is made ahead of it).
    const ahead = Math.max(0, minSeq + 1 - this.d.passed());
    if (!this.d.uiReady()) void this.d.loadUI(); // alongside the claim, not after it
    this.watchPlace(minSeq);
    this.d
      .send({ type: 'ticket/claim', ticketId: ticket.id, siteKey })
      .then((res) => {
        if (this.d.isInvalid()) return;
        if (res.ok) {
          this.ready = res.frame
            ? {
                kind: 'frame',
                ticketId: ticket.id,
                siteKey,
                frame: res.frame,
                postsSince: res.postsSince + ahead,
                extra: { firstToday: res.firstToday, decision: res.decision, study: res.study, survey: res.survey },
                minSeq,
                countedTo: minSeq,
                prepared: null,
              }
            : { kind: 'ghost', decision: res.decision, survey: res.survey, minSeq, countedTo: minSeq, prepared: null };
          this.tracker.hold(null, minSeq, this.clock.activeMs);
          if (res.next) this.tracker.hold(res.next, minSeq, this.clock.activeMs);
          else this.requestTicket();
          // The page changed the feed in this frame already: go in with it. Else build it when
          // the page is idle and wait for the page's next change (or the place coming near).
          if (this.feedDirty) this.insertNow(false);
          if (this.ready) {
            if (this.place?.near && !this.waitsForAppend()) this.insertNow(true);
            this.buildWhenIdle();
            this.watchStillness();
          }
        } else if (res.unavailable) {
          // A study's decision point that could not be delivered (snoozed, quiet hours…): logged
          // in the background; the next one counts from here, so they keep their cadence.
          this.unwatch();
          this.lastAnchorSeq = Math.max(this.lastAnchorSeq, minSeq);
          this.tracker.hold(res.ticket, minSeq, this.clock.activeMs);
        } else {
          this.unwatch();
          if (res.ticket && res.ticket.id === ticket.id) {
            // Same ticket, later: keep the original place in the count, wait out the gap.
            const target = this.tracker.target;
            this.tracker.hold(res.ticket, -1, this.clock.activeMs, res.retryAt ?? 0);
            this.tracker.target = target;
          } else {
            this.tracker.hold(res.ticket, this.lastAnchorSeq >= 0 ? this.lastAnchorSeq : minSeq, this.clock.activeMs);
          }
        }
      })
      .catch((err) => {
        swallowed('ticket claim', err);
        this.tracker.claiming = false;
        this.unwatch();
      });
  }

  /** Builds the waiting frame off the page in an idle moment, so its insertion is one append. */
  private buildWhenIdle(): void {
    if (this.idleRequested || !this.ready || this.ready.kind !== 'frame' || this.ready.prepared) return;
    this.idleRequested = true;
    this.d.whenIdle(() => {
      this.idleRequested = false;
      this.build();
    }, 1000);
  }

  private build(): PreparedFrame | null {
    const r = this.ready;
    if (!r || r.kind !== 'frame') return null;
    if (!r.prepared) {
      if (!this.d.uiReady()) {
        // The frame UI comes at the first frame: build once it is here.
        void this.d.loadUI().then((ui) => ui && !this.d.isInvalid() && this.buildWhenIdle());
        return null;
      }
      r.prepared = this.d.prepare(r.frame, r.postsSince, r.extra);
    }
    return r.prepared;
  }

  /**
   * Keeps the post the next frame is to follow under watch: the first post at or after
   * `minSeq` (the waiting frame's) that is not in view. When it comes within a screen of the
   * fold, a waiting frame goes in by itself (the observer's callback: layout is fresh there).
   */
  private watchPlace(minSeq = this.ready?.minSeq ?? -1): void {
    if (minSeq < 0) return;
    const from = Math.max(minSeq, this.d.passed() - 1 + SPOT_MARGIN);
    const cur = this.place;
    if (cur && cur.seq >= from && cur.el.isConnected) return;
    const spot = from < this.d.registered() ? this.d.spot(from) : null;
    if (cur && spot && cur.el === spot.el) return;
    this.unwatch();
    if (!spot) return;
    const place: Place = { el: spot.el, seq: spot.seq, near: null, plan: null, stop: () => {} };
    this.place = place;
    place.stop = this.d.watchNear(spot.el, (near) => {
      if (this.place !== place) return;
      place.near = near;
      if (!near && !place.plan && this.d.needsPlan()) place.plan = this.d.plan(place.el, true);
      // Near now. If the page changed the feed in this frame, a layout read here would force its
      // layout early and ours would need a second one: wait for the next post in view (fresh
      // layout; afterPassed looks again). The observer's word is no place to go in without
      // reading: delivered late during a fling, the place may already be much closer than that.
      if (near && this.ready && !this.feedDirty && !this.waitsForAppend()) this.insertNow(true);
    });
  }

  private unwatch(): void {
    this.place?.stop();
    this.place = null;
  }

  /**
   * Follows the feed's end (the newest post), not on every new post: it moves once END_RETARGET
   * newer posts arrived behind it (a page's append, usually). Only from the view observer's callback,
   * never in the page's mutation turn: there, the old end's known distance is what tells that
   * the posts the page just appended are far down.
   */
  private watchEnd(): void {
    const newest = this.d.newest();
    if (!newest) return;
    const cur = this.end;
    // Near or not, the same: an end that came near tells nothing about what the page appends
    // after it, but neither would a newer end that is near too — on a virtualised timeline, which
    // mounts its cells a screen ahead, every new end is, and moving at each post was a call into
    // our code per post for nothing (npm run bench).
    if (cur && cur.el.isConnected && (cur.seq === newest.seq || cur.near === null || newest.seq - cur.seq < END_RETARGET)) return;
    this.unwatchEnd();
    const w: Watched = { el: newest.el, seq: newest.seq, near: null, stop: () => {} };
    this.end = w;
    w.stop = this.d.watchMargin(newest.el, (near) => {
      if (this.end === w) w.near = near;
    });
  }

  private unwatchEnd(): void {
    this.end?.stop();
    this.end = null;
  }

  /**
   * Should a ready frame wait for the page's next append rather than go in by itself now? On a
   * stacked feed whose page appends posts as the reader goes, when the first place far enough by
   * count is not in the page yet: the append that brings it comes within a few posts, and the frame
   * goes in with it, in the page's own layout (npm run bench, Reddit-like feed: it appends when its
   * end is within a screen of the fold). A frame going in by itself is a layout of the feed of its
   * own, of the whole feed at 20,000 posts. A reader who stops gets it all the same (watchStillness).
   */
  private waitsForAppend(): boolean {
    // Not for long: as the reader reads on, the place by count moves on with them, and once it is
    // past what byCount allows the frame goes in by itself after all.
    const need = this.byCount();
    return need !== null && need >= this.d.registered();
  }

  /**
   * The waiting frame's place far enough by count (FeedWatcher.seqBeyond), whether or not the page
   * has it yet; null if none. Six posts past the due place at most: about a screen of posts, as much
   * as going in by itself may already move a frame on (tests/e2e/foundation.spec.ts holds the
   * cadence to it).
   */
  private byCount(): number | null {
    return this.ready && this.place ? this.d.seqBeyond(this.place.seq, this.ready.countedTo + 6) : null;
  }

  /** Was the place last seen further than a screen past the fold's margin, or appended after an end last seen beyond the margin? */
  private far(place: Place): boolean {
    if (place.near === false) return true;
    const end = this.end;
    return place.near === null && end !== null && end.near === false && end.el.isConnected && place.seq > end.seq;
  }

  /**
   * Puts the waiting frame in now if it has a place. `cleanLayout`: a moment when the page's
   * layout is fresh (an observer's callback, a timer, a hidden tab), where the place may be
   * checked against the fold and the adapter may read layout. In the page's mutation turn
   * (`cleanLayout` false) nothing may read layout — a read would force the page's layout early
   * and our insertion would need a second one — so the frame goes in only at a place the
   * observer last saw more than a screen below the fold, with its plan made beforehand.
   */
  private insertNow(cleanLayout: boolean): boolean {
    const r = this.ready;
    if (!r || this.d.isInvalid()) return false;
    this.watchPlace();
    let place = this.place;
    if (!place) return false;
    if (!cleanLayout && !this.far(place)) {
      // No observer has seen it far, but on a feed whose posts stack one below another, a place
      // far enough by count is (npm run bench, Reddit-like feed: the page appends when its end is
      // within a screen of the fold, so no place an append brings was ever seen far, and every
      // frame went in by itself — a layout of the feed of its own). A few posts later than due.
      const need = this.byCount();
      if (need === null || need >= this.d.registered()) return false;
      r.minSeq = need;
      this.watchPlace();
      place = this.place;
      if (!place) return false;
    }
    // Scrolled past it before we got to it (or the feed ends near the fold): the next post
    // still well below the fold, as far as the page has rendered.
    for (let tries = 0; cleanLayout && !this.d.belowFold(place.el); tries++) {
      if (tries >= 8) return false;
      r.minSeq = place.seq + 1;
      this.watchPlace();
      place = this.place;
      if (!place) return false;
    }
    const target = place;
    // In the page's turn, an adapter that decides where a frame goes (a grid row's end) needs the
    // plan made at a fresh layout — or, if there was none (its row was still filling then), one
    // made without layout (a row completed by this very append). None: not in this turn.
    if (!cleanLayout && this.d.needsPlan() && !(target.plan ??= this.d.plan(target.el, false))) return false;
    if (r.kind === 'ghost') {
      // Withheld: nothing goes into the page (unless the study asks its question here), but the
      // place is measured like a frame's, and the next decision point counts from it.
      this.ready = null;
      this.unwatch();
      if (r.survey) this.d.insertSurvey(target.el, r.survey);
      this.d.ghost(r.decision, target.seq);
      this.anchoredAt(target.seq);
      if (!cleanLayout) this.claimNext();
      return true;
    }
    const prepared = this.build();
    if (!prepared) return false;
    // Honest to the post it follows: the count it was built with was for the place it was claimed for.
    prepared.recount(r.postsSince + Math.max(0, target.seq - r.countedTo));
    this.ready = null;
    this.unwatch();
    const anchor = this.d.mount(prepared, target.el, target.seq, cleanLayout ? undefined : (target.plan ?? undefined));
    if (anchor === null) {
      // The site moved the post away: the next place, next time.
      this.d.discard(prepared);
      this.ready = { ...r, prepared: null, minSeq: target.seq + 1 };
      return false;
    }
    this.anchoredAt(anchor);
    // In the page: only now does the background count the pause.
    this.d.placed(r.ticketId, r.siteKey);
    if (!cleanLayout) this.claimNext();
    return true;
  }

  /**
   * A frame (or a withheld point) has just gone in with the page's change: the next one may be
   * claimed now, not at the next post the view observer reports — by then the page's next append,
   * which may bring its place, may have come and gone, and the frame would go in by itself
   * (performance.spec, Reddit). Only then: a frame that went in by itself may have gone in because
   * the reader stopped, and a claim at once would make the next one go in too, and the next
   * (hostile.spec counted four pauses for three frames seen): without a page's change, the next
   * claim waits for the next post seen, as before.
   */
  private claimNext(): void {
    if (!this.ready && !this.tracker.claiming) this.maybeClaim(Date.now());
  }

  /**
   * Study mode: a survey due by its own schedule goes in at the first post safely below the fold
   * (from the view observer's callback, where reading layout costs nothing); the cadence of
   * frames does not move for it.
   */
  private placeSurvey(): void {
    const offer = this.survey;
    if (!offer) return;
    if (!this.d.uiReady()) {
      void this.d.loadUI();
      return;
    }
    for (let seq = this.d.passed() - 1 + SPOT_MARGIN, tries = 0; tries < 8 && seq < this.d.registered(); tries++) {
      const spot = this.d.spot(seq);
      if (!spot) return;
      if (spot.el !== this.place?.el && this.d.belowFold(spot.el)) {
        this.survey = null;
        this.d.insertSurvey(spot.el, offer);
        return;
      }
      seq = spot.seq + 1;
    }
  }

  /**
   * A ready frame must not wait forever for the page: when no post has passed for STILL_MS (the
   * reader stopped), it goes in by itself — a layout pass while nobody scrolls.
   */
  private watchStillness(): void {
    // Its place not in the page yet (claimed ahead of an append): nothing could go in; the
    // append, or the next post passed, looks again.
    if (this.stillTimer || !this.place) return;
    this.stillTimer = true;
    this.stillMark = this.d.passed();
    this.d.after(() => {
      this.stillTimer = false;
      if (!this.ready) return;
      if (this.d.passed() !== this.stillMark) this.watchStillness();
      else this.insertNow(true);
    }, STILL_MS);
  }

  /** A frame now follows post `seq`: the next frame counts from here. */
  private anchoredAt(seq: number): void {
    this.lastAnchorSeq = seq;
    // A next ticket already held (it came with the claim) counts from here, not from the target.
    const next = this.tracker.ticket;
    if (next && Number.isFinite(this.tracker.target)) this.tracker.target = Math.max(this.tracker.target, this.lastAnchorSeq + Math.max(1, next.afterPosts));
  }
}
