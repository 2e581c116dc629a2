import type { Settings } from '@/utils/storage/settings';

/**
 * The ticket protocol. A content script holds at most one ticket: "a frame after `afterPosts`
 * more posts". It counts posts locally (no message on the scroll path) and, when the ticket
 * comes due, claims it; only the claim decides (atomically, in the background) whether a frame
 * may show now, so two tabs share one global budget.
 */
export interface Ticket {
  id: string;
  siteKey: string;
  /** Posts (counted from when the ticket was issued) after which the frame is due. */
  afterPosts: number;
  /** Or: due once this much active scrolling time (ms) has passed since issue; null = posts only. */
  afterActiveMs: number | null;
  issuedAt: number;
  /** A ticket not claimed by then is void; the content script asks for a new one. */
  expiresAt: number;
}

export interface FeedSession {
  startedAt: number;
  lastActiveAt: number;
  /** Posts passed in this session (for the grace period). */
  posts: number;
  /** Active scrolling time in this session (for escalation). */
  activeMs: number;
}

/**
 * A claim that was granted: the frame is on its way to the tab. It counts as a pause (today's
 * count, the last pause's time) only once the tab confirms the frame was placed; until then it
 * holds the gap and a place under the daily cap, for at most GRANT_TTL_MS. Kept for a retried
 * claim (a lost reply) to get the same frame again rather than "unknown ticket".
 */
export interface Grant {
  siteKey: string;
  /** The frame chosen for it, and its collection ('' until chosen, within the same transaction). */
  frameId: string;
  collectionId: string;
  postsSince: number;
  /** No pause was shown earlier today when it was granted. */
  firstToday: boolean;
  at: number;
  /** The ticket issued with the grant, handed out again on a retry. */
  nextId: string | null;
  placed: boolean;
  /** A decision point drawn "withhold": no frame, no pause; kept only to answer a retry the same way. */
  withheld?: boolean;
  /** The decision point's id and window (utils/schedule/decision.ts), handed out again on a retry. */
  decision?: { id: string; windowMs: number };
  /** Study mode: what the tab measures around this frame, and the question it asks (opaque here), handed out again on a retry. */
  study?: unknown;
  survey?: unknown;
}

/** Everything the scheduler remembers. Lives in IndexedDB ('state' store, key 'scheduler'). */
export interface SchedulerState {
  version: 1;
  /** Local calendar day (YYYY-MM-DD) the daily counters belong to. */
  day: string;
  shownToday: number;
  postsToday: number;
  lastShownAt: number | null;
  /** Epoch ms until which frames are snoozed; a site entry applies to that site only. */
  snooze: { allUntil: number | null; sites: Record<string, number> };
  /** Per site key; a session ends after 10 idle minutes. */
  sessions: Record<string, FeedSession>;
  /** Outstanding tickets by id. */
  tickets: Record<string, Ticket>;
  /** Shuffle bag per collection: frame ids not yet shown in the current round. */
  bags: Record<string, string[]>;
  /** Frame weight multipliers lowered by "fewer like this" (absent = 1). */
  frameWeights: Record<string, number>;
  /** Posts passed since the last frame, per site (for the "N posts since your last pause" line). */
  postsSinceFrame: Record<string, number>;
  /** Granted claims by ticket id, placed or on their way (see Grant). */
  granted: Record<string, Grant>;
}

/** Why no ticket could be issued (also shown in the popup). */
export type NoTicketReason = 'disabled' | 'site-off' | 'snoozed' | 'quiet-hours' | 'daily-cap' | 'cadence-off';

export type TicketDecision =
  | { kind: 'ticket'; ticket: Ticket }
  /** `retryAt`: when the reason lapses (snooze end, window start, next day), if known. */
  | { kind: 'none'; reason: NoTicketReason; retryAt: number | null };

export type ClaimDecision =
  | { kind: 'granted' }
  /** The same ticket was granted before (its reply was lost): the same grant again, nothing counted twice. */
  | { kind: 'replayed'; grant: Grant }
  /** Another tab showed a frame too recently, or the ticket expired/unknown, or the budget is spent. */
  | { kind: 'denied'; reason: NoTicketReason | 'min-gap' | 'unknown-ticket' | 'expired'; retryAt: number | null };

/** Source of randomness, injectable so tests are reproducible. Returns [0, 1). */
export type Rng = () => number;

/** A frame that may be chosen: its id and collection (weights live in settings and scheduler state). */
export interface FrameCandidate {
  id: string;
  collectionId: string;
}

export interface SchedulerApi {
  initialState(now: number): SchedulerState;
  /** Rolls day counters over and expires old tickets/snoozes/sessions; pure. */
  normalize(state: SchedulerState, now: number): SchedulerState;
  issueTicket(
    settings: Settings,
    state: SchedulerState,
    siteKey: string,
    now: number,
    rng: Rng,
    opts?: { ignoreGates?: boolean },
  ): { state: SchedulerState; decision: TicketDecision };
  claimTicket(settings: Settings, state: SchedulerState, ticketId: string, now: number): { state: SchedulerState; decision: ClaimDecision };
  recordProgress(state: SchedulerState, siteKey: string, posts: number, activeMs: number, now: number): SchedulerState;
  chooseFrame(
    settings: Settings,
    state: SchedulerState,
    siteKey: string,
    candidates: FrameCandidate[],
    rng: Rng,
  ): { state: SchedulerState; frameId: string | null };
}
