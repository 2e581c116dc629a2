import { type LocalCalendar, localDay, MINUTE, systemCalendar } from '@/utils/schedule/calendar';
import { cadenceGate, effectiveEveryPosts, gate } from '@/utils/schedule/gates';
import { finite } from '@/utils/finite';
import { lastPauseAt, normalize, pendingGrants } from '@/utils/schedule/scheduler-state';
import type { ClaimDecision, FeedSession, Grant, Rng, SchedulerState, Ticket, TicketDecision } from '@/utils/schedule/types';
import type { Settings } from '@/utils/storage/settings';

/**
 * The ticket protocol's decisions (see types.ts): issue a ticket, claim it, note and confirm the
 * grant, and count the posts and time scrolled in between. Pure: every function returns a new
 * state; the background stores it after each call, so a killed service worker loses nothing.
 */

/** A ticket not claimed within this time is void. */
export const TICKET_TTL_MS = 30 * MINUTE;
/** `afterPosts` of a ticket when posts do not trigger pauses (time-only cadence). JSON-safe. */
export const POSTS_OFF = Number.MAX_SAFE_INTEGER;

export interface IssueOptions {
  /** Issue whatever holds frames back (study mode: every decision point is logged). */
  ignoreGates?: boolean;
}

function ticketId(now: number, rng: Rng, taken: Record<string, unknown>): string {
  let id = `${now.toString(36)}-`;
  do {
    id += Math.floor(rng() * 36 ** 6)
      .toString(36)
      .padStart(6, '0');
  } while (id in taken);
  return id;
}

/**
 * Posts until the next pause: N (site override wins) × escalateFactor once the session has
 * been active for escalateAfterMinutes, ± jitter, at least 1, plus what is left of the grace.
 */
export function computeAfterPosts(settings: Settings, session: FeedSession | undefined, siteKey: string, rng: Rng): number {
  const c = settings.cadence;
  let n = effectiveEveryPosts(settings, siteKey);
  if (n <= 0) return POSTS_OFF;
  if (c.escalateAfterMinutes > 0 && session && session.activeMs >= c.escalateAfterMinutes * MINUTE) n *= c.escalateFactor;
  const j = Math.min(Math.max(c.jitterPct, 0), 100) / 100;
  let after = Math.max(1, Math.round(n * (1 + j * (2 * rng() - 1))));
  const seen = session?.posts ?? 0;
  if (seen < c.gracePosts) after += c.gracePosts - seen;
  return after;
}

/**
 * A ticket for the next decision point. `ignoreGates` (during a study): the ticket comes
 * whatever holds frames back (a snooze, quiet hours, a switch, the cap), because a study logs
 * every decision point — one that could not be delivered as "not available" — and keeps
 * measuring; only a cadence with no decision points at all gives no ticket.
 */
export function issueTicket(
  settings: Settings,
  state: SchedulerState,
  siteKey: string,
  now: number,
  rng: Rng,
  cal: LocalCalendar = systemCalendar,
  opts: IssueOptions = {},
): { state: SchedulerState; decision: TicketDecision } {
  const s = normalize(state, now, cal);
  const g = opts.ignoreGates ? cadenceGate(settings, siteKey) : gate(settings, s, siteKey, now, cal);
  if (g) return { state: s, decision: { kind: 'none', reason: g.reason, retryAt: g.retryAt } };
  const afterPosts = computeAfterPosts(settings, s.sessions[siteKey], siteKey, rng);
  const everyMinutes = settings.cadence.everyMinutes;
  const ticket: Ticket = {
    id: ticketId(now, rng, s.tickets),
    siteKey,
    afterPosts,
    afterActiveMs: everyMinutes > 0 ? everyMinutes * MINUTE : null,
    issuedAt: now,
    expiresAt: now + TICKET_TTL_MS,
  };
  // normalize again so the MAX_TICKETS bound holds after adding
  const next = normalize({ ...s, tickets: { ...s.tickets, [ticket.id]: ticket } }, now, cal);
  return { state: next, decision: { kind: 'ticket', ticket } };
}

/**
 * The one place that decides whether a frame shows now. Granted at most once per ticket; the
 * same ticket claimed again after a grant (the tab never got the reply) is 'replayed': the
 * same grant, nothing counted twice. A grant is recorded as on its way (see Grant): it counts
 * as a pause only when confirmPlaced says the tab placed it.
 * On 'min-gap' the ticket is kept (and its expiry extended past `retryAt`) so the tab can
 * claim again then; on every other denial the ticket is void and removed.
 */
export function claimTicket(
  settings: Settings,
  state: SchedulerState,
  ticketId: string,
  now: number,
  cal: LocalCalendar = systemCalendar,
): { state: SchedulerState; decision: ClaimDecision } {
  const s0 = normalize(state, now, cal);
  const has = (rec: Record<string, unknown>) => Object.hasOwn(rec, ticketId);
  if (has(s0.granted)) return { state: s0, decision: { kind: 'replayed', grant: s0.granted[ticketId] } };
  const ticket = has(state.tickets) ? state.tickets[ticketId] : undefined;
  if (!ticket) return { state: s0, decision: { kind: 'denied', reason: 'unknown-ticket', retryAt: null } };
  // normalize drops the expired ticket along with the rest
  const s = s0;
  if (ticket.expiresAt <= now) return { state: s, decision: { kind: 'denied', reason: 'expired', retryAt: null } };

  const { [ticketId]: _spent, ...rest } = s.tickets;
  const g = gate(settings, s, ticket.siteKey, now, cal);
  if (g) return { state: { ...s, tickets: rest }, decision: { kind: 'denied', reason: g.reason, retryAt: g.retryAt } };

  const gap = settings.cadence.minGapMinutes * MINUTE;
  const last = lastPauseAt(s);
  if (gap > 0 && last !== null && now - last < gap) {
    const retryAt = last + gap;
    const kept: Ticket = { ...ticket, expiresAt: Math.max(ticket.expiresAt, retryAt + TICKET_TTL_MS) };
    return { state: { ...s, tickets: { ...s.tickets, [ticketId]: kept } }, decision: { kind: 'denied', reason: 'min-gap', retryAt } };
  }

  // No pause yet today: "N posts since your last pause" would count from yesterday's.
  const firstToday = s.shownToday === 0 && pendingGrants(s).every((g) => localDay(g.at, cal) !== s.day);
  const grant: Grant = {
    siteKey: ticket.siteKey,
    frameId: '',
    collectionId: '',
    postsSince: s.postsSinceFrame[ticket.siteKey] ?? 0,
    firstToday,
    at: now,
    nextId: null,
    placed: false,
  };
  return {
    state: normalize({ ...s, tickets: rest, granted: { ...s.granted, [ticketId]: grant } }, now, cal),
    decision: { kind: 'granted' },
  };
}

/** Fills in what the glue decided for a fresh grant (the frame, the next ticket, the study's part). */
export function noteGrant(
  state: SchedulerState,
  ticketId: string,
  fill: Partial<Pick<Grant, 'frameId' | 'collectionId' | 'nextId' | 'decision' | 'study' | 'survey'>>,
): SchedulerState {
  const g = Object.hasOwn(state.granted, ticketId) ? state.granted[ticketId] : undefined;
  if (!g) return state;
  return { ...state, granted: { ...state.granted, [ticketId]: { ...g, ...fill } } };
}

/**
 * The tab placed the granted frame: now it is a pause — today's count, the gap from here, the
 * posts-since count starting over. Once per grant (a repeated confirmation counts nothing);
 * an unknown or expired grant counts nothing either.
 */
export function confirmPlaced(
  state: SchedulerState,
  ticketId: string,
  now: number,
  cal: LocalCalendar = systemCalendar,
): { state: SchedulerState; counted: Grant | null } {
  const s = normalize(state, now, cal);
  const g = Object.hasOwn(s.granted, ticketId) ? s.granted[ticketId] : undefined;
  if (!g || g.placed || g.withheld || !g.frameId) return { state: s, counted: null };
  const placed: Grant = { ...g, placed: true };
  return {
    state: {
      ...s,
      granted: { ...s.granted, [ticketId]: placed },
      shownToday: s.shownToday + 1,
      lastShownAt: Math.max(now, s.lastShownAt ?? 0),
      postsSinceFrame: { ...s.postsSinceFrame, [g.siteKey]: 0 },
    },
    counted: placed,
  };
}

/**
 * A granted claim whose frame was withheld (the draw at a decision point said "skip"): the
 * ticket is spent, but nothing counts as shown — not the daily cap, not the minimum gap, not
 * "posts since your last pause". `granted` is claimTicket's state, `before` the state it took.
 */
export function withheldState(granted: SchedulerState, before: SchedulerState, now: number, cal: LocalCalendar = systemCalendar): SchedulerState {
  const b = normalize(before, now, cal);
  return { ...granted, shownToday: b.shownToday, lastShownAt: b.lastShownAt, postsSinceFrame: b.postsSinceFrame };
}

/** Adds scrolled posts and active time for a site; starts a new feed session after 10 idle minutes. */
export function recordProgress(
  state: SchedulerState,
  siteKey: string,
  posts: number,
  activeMs: number,
  now: number,
  cal: LocalCalendar = systemCalendar,
): SchedulerState {
  const s = normalize(state, now, cal);
  const p = finite(posts) && posts > 0 ? Math.floor(posts) : 0;
  const a = finite(activeMs) && activeMs > 0 ? activeMs : 0;
  const prev = s.sessions[siteKey];
  const session: FeedSession = prev
    ? { ...prev, lastActiveAt: Math.max(prev.lastActiveAt, now), posts: prev.posts + p, activeMs: prev.activeMs + a }
    : { startedAt: now, lastActiveAt: now, posts: p, activeMs: a };
  return {
    ...s,
    postsToday: s.postsToday + p,
    sessions: { ...s.sessions, [siteKey]: session },
    postsSinceFrame: { ...s.postsSinceFrame, [siteKey]: (s.postsSinceFrame[siteKey] ?? 0) + p },
  };
}
