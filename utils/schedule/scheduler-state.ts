import { finite } from '@/utils/finite';
import { type LocalCalendar, localDay, MINUTE, systemCalendar } from '@/utils/schedule/calendar';
import type { FeedSession, Grant, SchedulerState, Ticket } from '@/utils/schedule/types';

/**
 * The scheduler's persisted state: a fresh one, the repair of whatever storage held, and the
 * normalization (day roll-over, lapsed tickets, snoozes, sessions and grants) every decision
 * starts from. Pure: inputs are never mutated.
 */

/** A feed session ends after this much idle time (the scheduler's sessions and the study's sessions table alike). */
export const SESSION_IDLE_MS = 10 * MINUTE;
/** Upper bound on outstanding tickets kept (oldest dropped first); a safety net, not a rule. */
export const MAX_TICKETS = 64;
/** A grant not confirmed placed by then no longer holds the gap or a place under the cap; a placed one is then forgotten. */
export const GRANT_TTL_MS = 30 * MINUTE;
/** Upper bound on grants kept (newest kept). */
export const MAX_GRANTS = 16;

export function initialState(now: number, cal: LocalCalendar = systemCalendar): SchedulerState {
  return {
    version: 1,
    day: localDay(now, cal),
    shownToday: 0,
    postsToday: 0,
    lastShownAt: null,
    snooze: { allUntil: null, sites: {} },
    sessions: {},
    tickets: {},
    bags: {},
    frameWeights: {},
    postsSinceFrame: {},
    granted: {},
  };
}

const isRecord = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Turns whatever was read from storage into a valid state (missing or corrupt → fresh parts),
 * then normalizes it. Use this when loading; it never throws.
 */
export function loadState(raw: unknown, now: number, cal: LocalCalendar = systemCalendar): SchedulerState {
  const base = initialState(now, cal);
  if (!isRecord(raw) || raw.version !== 1) return base;
  const numRec = (x: unknown): Record<string, number> => {
    const out: Record<string, number> = {};
    if (isRecord(x)) for (const [k, v] of Object.entries(x)) if (finite(v)) out[k] = v;
    return out;
  };
  const sessions: Record<string, FeedSession> = {};
  if (isRecord(raw.sessions)) {
    for (const [k, s] of Object.entries(raw.sessions)) {
      if (isRecord(s) && finite(s.startedAt) && finite(s.lastActiveAt) && finite(s.posts) && finite(s.activeMs)) {
        sessions[k] = { startedAt: s.startedAt, lastActiveAt: s.lastActiveAt, posts: s.posts, activeMs: s.activeMs };
      }
    }
  }
  const tickets: Record<string, Ticket> = {};
  if (isRecord(raw.tickets)) {
    for (const [k, t] of Object.entries(raw.tickets)) {
      if (
        isRecord(t) &&
        t.id === k &&
        typeof t.siteKey === 'string' &&
        finite(t.afterPosts) &&
        (t.afterActiveMs === null || finite(t.afterActiveMs)) &&
        finite(t.issuedAt) &&
        finite(t.expiresAt)
      ) {
        tickets[k] = { id: k, siteKey: t.siteKey, afterPosts: t.afterPosts, afterActiveMs: t.afterActiveMs, issuedAt: t.issuedAt, expiresAt: t.expiresAt };
      }
    }
  }
  const bags: Record<string, string[]> = {};
  if (isRecord(raw.bags)) {
    for (const [k, b] of Object.entries(raw.bags)) if (Array.isArray(b)) bags[k] = b.filter((x): x is string => typeof x === 'string');
  }
  const granted: Record<string, Grant> = {};
  if (isRecord(raw.granted)) {
    for (const [k, g] of Object.entries(raw.granted)) {
      if (
        isRecord(g) &&
        typeof g.siteKey === 'string' &&
        typeof g.frameId === 'string' &&
        typeof g.collectionId === 'string' &&
        finite(g.postsSince) &&
        finite(g.at) &&
        (g.nextId === null || typeof g.nextId === 'string') &&
        typeof g.placed === 'boolean'
      ) {
        const decision =
          isRecord(g.decision) && typeof g.decision.id === 'string' && finite(g.decision.windowMs)
            ? { id: g.decision.id, windowMs: g.decision.windowMs }
            : undefined;
        granted[k] = {
          siteKey: g.siteKey,
          frameId: g.frameId,
          collectionId: g.collectionId,
          postsSince: Math.max(0, g.postsSince),
          firstToday: g.firstToday === true,
          at: g.at,
          nextId: g.nextId,
          placed: g.placed,
          ...(g.withheld === true ? { withheld: true } : {}),
          ...(decision ? { decision } : {}),
          ...(g.study !== undefined ? { study: g.study } : {}),
          ...(g.survey !== undefined ? { survey: g.survey } : {}),
        };
      }
    }
  }
  const snooze = isRecord(raw.snooze) ? raw.snooze : {};
  const state: SchedulerState = {
    version: 1,
    day: typeof raw.day === 'string' ? raw.day : base.day,
    shownToday: finite(raw.shownToday) ? Math.max(0, raw.shownToday) : 0,
    postsToday: finite(raw.postsToday) ? Math.max(0, raw.postsToday) : 0,
    lastShownAt: finite(raw.lastShownAt) ? raw.lastShownAt : null,
    snooze: { allUntil: finite(snooze.allUntil) ? snooze.allUntil : null, sites: numRec(snooze.sites) },
    sessions,
    tickets,
    bags,
    frameWeights: numRec(raw.frameWeights),
    postsSinceFrame: numRec(raw.postsSinceFrame),
    granted,
  };
  return normalize(state, now, cal);
}

/** Rolls the day over and drops expired tickets, lapsed snoozes and idle sessions. Pure. */
export function normalize(state: SchedulerState, now: number, cal: LocalCalendar = systemCalendar): SchedulerState {
  const today = localDay(now, cal);
  const rolled = today !== state.day;

  const tickets: Record<string, Ticket> = {};
  const live = Object.values(state.tickets).filter((t) => t.expiresAt > now);
  live.sort((a, b) => b.issuedAt - a.issuedAt || (a.id < b.id ? -1 : 1));
  for (const t of live.slice(0, MAX_TICKETS)) tickets[t.id] = t;

  const sites: Record<string, number> = {};
  for (const [k, until] of Object.entries(state.snooze.sites)) if (until > now) sites[k] = until;
  const allUntil = state.snooze.allUntil !== null && state.snooze.allUntil > now ? state.snooze.allUntil : null;

  const sessions: Record<string, FeedSession> = {};
  for (const [k, s] of Object.entries(state.sessions)) if (now - s.lastActiveAt <= SESSION_IDLE_MS) sessions[k] = s;

  // A state stored before grants existed has none.
  const granted: Record<string, Grant> = {};
  const kept = Object.entries(state.granted ?? {}).filter(([, g]) => now - g.at < GRANT_TTL_MS && g.at <= now);
  kept.sort((a, b) => b[1].at - a[1].at || (a[0] < b[0] ? -1 : 1));
  for (const [k, g] of kept.slice(0, MAX_GRANTS)) granted[k] = g;

  return {
    ...state,
    day: today,
    shownToday: rolled ? 0 : state.shownToday,
    postsToday: rolled ? 0 : state.postsToday,
    snooze: { allUntil, sites },
    sessions,
    tickets,
    granted,
  };
}

/** Grants on their way to a tab and not confirmed placed yet: each holds a place under the cap. */
export function pendingGrants(state: SchedulerState): Grant[] {
  return Object.values(state.granted ?? {}).filter((g) => !g.placed && !g.withheld);
}

/** The claim's decision point was drawn "withhold": no frame is on its way, nothing is held. */
export function markWithheld(state: SchedulerState, ticketId: string): SchedulerState {
  const g = Object.hasOwn(state.granted, ticketId) ? state.granted[ticketId] : undefined;
  return g ? { ...state, granted: { ...state.granted, [ticketId]: { ...g, withheld: true } } } : state;
}

/** When the last pause was shown — or granted and still on its way, which holds the gap just the same. */
export function lastPauseAt(state: SchedulerState): number | null {
  let last = state.lastShownAt;
  for (const g of pendingGrants(state)) if (last === null || g.at > last) last = g.at;
  return last;
}
