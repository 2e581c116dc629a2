import type { Message, Responses, ContentConfig, ClaimDecisionInfo } from '@/utils/messaging/messages';
import type { FramePayload } from '@/utils/frames/types';
import type { ClaimStudy, SurveyOffer } from '@/utils/study/types';
import { TicketTracker, ActivityClock } from './ticket-tracker';
import { FOLD_MARGIN_VIEWPORTS } from './feed-watcher';

/** Without a ticket (daily cap, quiet hours…), ask again at most every this many posts. */
const ASK_EVERY_POSTS = 10;
/** Load the frame UI when the next frame is this many posts away. */
const UI_PREFETCH_POSTS = 10;
/** Posts buffered as places for a frame, newest last. */
const APPROACH_BUFFER = 48;

type Send = <T extends Message['type']>(msg: Extract<Message, { type: T }>) => Promise<Responses[T]>;

export interface PlacerDeps {
  send: Send;
  win: Window;
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
  /** Puts the frame in the page after `item`; returns the sequence number of the post it really follows, or null if it could not. */
  insert(item: Element, seq: number, frame: FramePayload, postsSince: number, extra: { firstToday: boolean; decision: ClaimDecisionInfo; study?: ClaimStudy; survey?: SurveyOffer }): number | null;
  /** A withheld decision point's place is after post `seq`: measured like a shown frame's. */
  ghost(decision: ClaimDecisionInfo, seq: number): void;
  /** Study mode: the survey question as a card of its own after `item`. */
  insertSurvey(item: Element, offer: SurveyOffer): boolean;
  /** The granted frame is in the page: the background counts the pause now, not at the claim. */
  placed(ticketId: string, siteKey: string): void;
  /** Is someone reading right now (trusted input a moment ago, input-gate.ts)? No claim otherwise. */
  reading(): boolean;
}

/** A decision point granted by the background, waiting for a place below the fold. */
type Granted =
  | { kind: 'frame'; ticketId: string; siteKey: string; frame: FramePayload; postsSince: number; firstToday: boolean; minSeq: number; decision: ClaimDecisionInfo; study?: ClaimStudy; survey?: SurveyOffer }
  | { kind: 'ghost'; minSeq: number; decision: ClaimDecisionInfo; survey?: SurveyOffer };

/**
 * Claim and placement, for one tab: holds the background's ticket, turns it into a place in
 * the feed (a post still below the fold), claims it when it comes due and hands the granted
 * frame to the frame lifecycle. The claim carries the next ticket, so no round trip stands
 * between two frames.
 */
export class FramePlacer {
  readonly tracker = new TicketTracker();
  readonly clock = new ActivityClock();
  /** Sequence number of the post the last frame follows; -1 before the first. */
  lastAnchorSeq = -1;
  private granted: Granted | null = null;
  /** Study mode: a survey due by its own schedule, waiting for a place below the fold. */
  private survey: SurveyOffer | null = null;
  /**
   * Posts that came within reach below the fold, newest last. A ticket that arrives a moment
   * late can still use one of them, so a fast scroll does not push the frame further down.
   */
  private approaching: Array<{ el: Element; seq: number }> = [];
  private requesting = false;
  private lastAskPassed = -Infinity;

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
    this.granted = null;
    this.survey = null;
  }

  /** Study mode: the survey question is due by its own schedule; it goes into the feed at the next place below the fold. */
  offerSurvey(offer: SurveyOffer): void {
    this.survey = offer;
    if (!this.d.uiReady()) void this.d.loadUI();
  }

  /** The watcher attached to a feed; `adoptedAnchor` is where our frames already in it end (-1: none). */
  attached(opts: { resumedFrom: number | null; adoptedAnchor: number; configTicket: ContentConfig['ticket'] }): void {
    this.lastAnchorSeq = opts.adoptedAnchor;
    const ticket = this.tracker.ticket;
    if (ticket && opts.resumedFrom !== null) {
      this.tracker.rebase(opts.resumedFrom, this.d.passed() - 1);
      if (this.lastAnchorSeq >= 0) this.tracker.target = Math.max(this.tracker.target, this.lastAnchorSeq + ticket.afterPosts);
    } else if (!ticket) this.hold(opts.configTicket);
  }

  /** The watcher stopped: buffered places belong to a feed that is gone. */
  detached(): void {
    this.approaching = [];
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

  /** After posts passed (and progress went out): loads the UI ahead of a frame, asks for a ticket when one is due. */
  afterPassed(now: number): void {
    const passed = this.d.passed();
    if (!this.d.uiReady() && this.tracker.target - passed <= UI_PREFETCH_POSTS) void this.d.loadUI();
    // The background also pushes a new config the moment a reason for "no ticket" lapses.
    const askAgain = !this.tracker.ticket && this.d.active() && passed - this.lastAskPassed >= ASK_EVERY_POSTS;
    if (this.tracker.expired(now) || askAgain) {
      this.lastAskPassed = passed;
      this.requestTicket();
    }
  }

  onApproach(item: Element, seq: number): void {
    if (this.d.isInvalid() || !this.d.siteKey()) return;
    this.approaching.push({ el: item, seq });
    if (this.approaching.length > APPROACH_BUFFER) this.approaching.splice(0, this.approaching.length - APPROACH_BUFFER);
    this.tryPlace();
  }

  requestTicket(): void {
    const siteKey = this.d.siteKey();
    if (this.requesting || !siteKey || this.d.isInvalid()) return;
    this.requesting = true;
    this.d
      .send({ type: 'ticket/request', siteKey })
      .then((res) => this.hold(res.ticket))
      .catch(() => {})
      .finally(() => {
        this.requesting = false;
      });
  }

  /** The first buffered post wholly below the fold, left in the buffer (for the stopping point, which is not a frame). */
  spotBelowFold(): Element | null {
    const vh = this.d.win.innerHeight;
    for (const c of this.approaching) if (c.el.isConnected && c.el.getBoundingClientRect().top > vh) return c.el;
    return null;
  }

  /** The first buffered post at or after `minSeq` that is still well below the fold (FOLD_MARGIN_VIEWPORTS). */
  private placeFrom(minSeq: number): { el: Element; seq: number } | null {
    const line = this.d.win.innerHeight * (1 + FOLD_MARGIN_VIEWPORTS);
    for (let i = 0; i < this.approaching.length; i++) {
      const c = this.approaching[i];
      if (c.seq < minSeq || !c.el.isConnected) continue;
      if (c.el.getBoundingClientRect().bottom > line) {
        this.approaching.splice(0, i + 1);
        return c;
      }
    }
    return null;
  }

  private tryPlace(): void {
    if (this.granted || this.survey) {
      // The frame UI comes at the first frame (or survey card): place it once it is here.
      if (!this.d.uiReady() && (this.granted?.kind === 'frame' || this.granted?.survey || (!this.granted && this.survey))) {
        void this.d.loadUI().then((ui) => ui && !this.d.isInvalid() && this.tryPlace());
        return;
      }
      const g = this.granted;
      const spot = this.placeFrom(g ? g.minSeq : -Infinity);
      if (!spot) return;
      if (!g) {
        const offer = this.survey!;
        this.survey = null;
        this.d.insertSurvey(spot.el, offer);
        return;
      }
      this.granted = null;
      if (g.kind === 'frame') {
        const anchor = this.d.insert(spot.el, spot.seq, g.frame, g.postsSince, { firstToday: g.firstToday, decision: g.decision, study: g.study, survey: g.survey });
        if (anchor !== null) {
          this.anchoredAt(anchor);
          // In the page: only now does the background count the pause.
          this.d.placed(g.ticketId, g.siteKey);
        }
      } else {
        // Withheld: nothing goes into the page (unless the study asks its question here), but the
        // place is measured like a frame's, and the next decision point counts from it.
        if (g.survey) this.d.insertSurvey(spot.el, g.survey);
        this.d.ghost(g.decision, spot.seq);
        this.anchoredAt(spot.seq);
      }
      return;
    }
    // A page scrolling itself races ahead of the count: nothing is claimed for it. (A frame
    // already granted while someone read still goes in: the reply may come after their last input.)
    if (!this.d.reading()) return;
    const last = this.approaching[this.approaching.length - 1];
    if (!last || !this.tracker.isDueAt(last.seq, this.clock.activeMs, Date.now())) return;
    const minSeq = Number.isFinite(this.tracker.target) && last.seq >= this.tracker.target ? this.tracker.target : last.seq;
    this.claim(minSeq);
  }

  /** A frame now follows post `seq`: the next frame counts from here. */
  private anchoredAt(seq: number): void {
    this.lastAnchorSeq = seq;
    // A next ticket already held (it came with the claim) counts from here, not from the target.
    const next = this.tracker.ticket;
    if (next && Number.isFinite(this.tracker.target)) this.tracker.target = Math.max(this.tracker.target, this.lastAnchorSeq + Math.max(1, next.afterPosts));
  }

  private claim(minSeq: number): void {
    const ticket = this.tracker.ticket!;
    const siteKey = this.d.siteKey()!;
    this.tracker.claiming = true;
    this.d.flushProgress();
    if (!this.d.uiReady()) void this.d.loadUI(); // alongside the claim, not after it
    this.d
      .send({ type: 'ticket/claim', ticketId: ticket.id, siteKey })
      .then((res) => {
        if (this.d.isInvalid()) return;
        if (res.ok) {
          this.granted = res.frame
            ? { kind: 'frame', ticketId: ticket.id, siteKey, frame: res.frame, postsSince: res.postsSince, firstToday: res.firstToday, minSeq, decision: res.decision, study: res.study, survey: res.survey }
            : { kind: 'ghost', minSeq, decision: res.decision, survey: res.survey };
          this.tracker.hold(null, minSeq, this.clock.activeMs);
          this.tryPlace(); // places it now if a spot below the fold is buffered, else at the next one
          const base = this.granted ? minSeq : this.lastAnchorSeq;
          if (res.next) this.tracker.hold(res.next, base, this.clock.activeMs);
          else this.requestTicket();
        } else if (res.unavailable) {
          // A study's decision point that could not be delivered (snoozed, quiet hours…): logged
          // in the background; the next one counts from here, so they keep their cadence.
          this.lastAnchorSeq = Math.max(this.lastAnchorSeq, minSeq);
          this.tracker.hold(res.ticket, minSeq, this.clock.activeMs);
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
}
