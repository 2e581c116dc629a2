import { siteState } from '@/utils/storage/site-state';
import type { Settings, TimeWindow } from '@/utils/storage/settings';
import type {
  ClaimDecision,
  FeedSession,
  FrameCandidate,
  Grant,
  NoTicketReason,
  Rng,
  SchedulerApi,
  SchedulerState,
  Ticket,
  TicketDecision,
} from './types';

/**
 * The scheduler's pure decision core. Every function takes the persisted `SchedulerState`
 * and returns a new one (inputs are never mutated); the background glue stores the result
 * in IndexedDB after each call, so a killed service worker loses nothing.
 *
 * Local time. Days, midnights and quiet-hour windows are wall-clock notions. Every function
 * that needs them takes an optional trailing `cal: LocalCalendar`; the default is
 * `systemCalendar` (the platform's local time zone through `Date`, DST included). Tests pass
 * `fixedOffsetCalendar(minutes)` so that they are deterministic on any machine.
 */

export const MINUTE = 60_000;
/** A ticket not claimed within this time is void. */
export const TICKET_TTL_MS = 30 * MINUTE;
/** A feed session ends after this much idle time (the scheduler's sessions and the study's sessions table alike). */
export const SESSION_IDLE_MS = 10 * MINUTE;
/** `afterPosts` of a ticket when posts do not trigger pauses (time-only cadence). JSON-safe. */
export const POSTS_OFF = Number.MAX_SAFE_INTEGER;
/** Upper bound on outstanding tickets kept (oldest dropped first); a safety net, not a rule. */
export const MAX_TICKETS = 64;
/** A grant not confirmed placed by then no longer holds the gap or a place under the cap; a placed one is then forgotten. */
export const GRANT_TTL_MS = 30 * MINUTE;
/** Upper bound on grants kept (newest kept). */
export const MAX_GRANTS = 16;
/** "Fewer like this" multiplies a frame's weight by this, down to the floor. */
export const FEWER_FACTOR = 0.5;
export const MIN_FRAME_WEIGHT = 0.05;

// ---------------------------------------------------------------------------------------------
// Local calendar

export interface LocalFields {
  /** Full year, month 0–11, day of month 1–31. */
  y: number;
  m: number;
  d: number;
  /** 0 = Sunday … 6 = Saturday */
  dow: number;
  /** Minute of the day, 0–1439. */
  minute: number;
}

export interface LocalCalendar {
  fields(now: number): LocalFields;
  /** The instant of local wall-clock time y-m-d plus `minute`; overflowing days/minutes roll over like `Date`. */
  at(y: number, m: number, d: number, minute: number): number;
}

export const systemCalendar: LocalCalendar = {
  fields(now) {
    const dt = new Date(now);
    return { y: dt.getFullYear(), m: dt.getMonth(), d: dt.getDate(), dow: dt.getDay(), minute: dt.getHours() * 60 + dt.getMinutes() };
  },
  at(y, m, d, minute) {
    return new Date(y, m, d, 0, minute).getTime();
  },
};

/** A calendar at a fixed offset from UTC (minutes east, e.g. +480 for Beijing); no DST. */
export function fixedOffsetCalendar(offsetMinutes: number): LocalCalendar {
  const off = offsetMinutes * MINUTE;
  return {
    fields(now) {
      const dt = new Date(now + off);
      return { y: dt.getUTCFullYear(), m: dt.getUTCMonth(), d: dt.getUTCDate(), dow: dt.getUTCDay(), minute: dt.getUTCHours() * 60 + dt.getUTCMinutes() };
    },
    at(y, m, d, minute) {
      return Date.UTC(y, m, d, 0, minute) - off;
    },
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local calendar day as YYYY-MM-DD. */
export function localDay(now: number, cal: LocalCalendar = systemCalendar): string {
  const f = cal.fields(now);
  return `${f.y}-${pad2(f.m + 1)}-${pad2(f.d)}`;
}

/** The next local midnight strictly after `now`. */
export function nextLocalMidnight(now: number, cal: LocalCalendar = systemCalendar): number {
  const f = cal.fields(now);
  let t = cal.at(f.y, f.m, f.d + 1, 0);
  // Defensive: a DST jump can never make this <= now, but guard anyway.
  if (t <= now) t = cal.at(f.y, f.m, f.d + 2, 0);
  return t;
}

// ---------------------------------------------------------------------------------------------
// Quiet hours

/** "HH:MM" → minute of day; invalid → null. */
export function parseHhmm(s: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  if (h > 23 || mi > 59) return null;
  return h * 60 + mi;
}

const dayOk = (w: TimeWindow, dow: number) => w.days.length === 0 || w.days.includes(dow);

/**
 * Whether `now` falls inside the window. `start < end`: that day, start ≤ t < end.
 * `start > end` crosses midnight: from start on a listed day until end the next morning.
 * `start == end`: 24 hours from start (00:00–00:00 = the whole listed day). An empty `days`
 * list means every day.
 */
export function inWindow(w: TimeWindow, now: number, cal: LocalCalendar = systemCalendar): boolean {
  const s = parseHhmm(w.start);
  const e = parseHhmm(w.end);
  if (s === null || e === null) return false;
  const f = cal.fields(now);
  if (s < e) return dayOk(w, f.dow) && f.minute >= s && f.minute < e;
  return (dayOk(w, f.dow) && f.minute >= s) || (dayOk(w, (f.dow + 6) % 7) && f.minute < e);
}

/** Whether the schedule lets frames show at `now`. No windows = no restriction in either mode. */
export function scheduleAllows(settings: Settings, now: number, cal: LocalCalendar = systemCalendar): boolean {
  const { mode, windows } = settings.schedule;
  if (mode === 'always' || windows.length === 0) return true;
  const inside = windows.some((w) => inWindow(w, now, cal));
  return mode === 'only' ? inside : !inside;
}

/** The first instant after `now` at which `scheduleAllows` changes value; null if it never does (within 8 days). */
export function nextScheduleChange(settings: Settings, now: number, cal: LocalCalendar = systemCalendar): number | null {
  const { mode, windows } = settings.schedule;
  if (mode === 'always' || windows.length === 0) return null;
  const current = scheduleAllows(settings, now, cal);
  const f = cal.fields(now);
  const points = new Set<number>();
  for (let off = -1; off <= 8; off++) {
    points.add(cal.at(f.y, f.m, f.d + off, 0));
    for (const w of windows) {
      const s = parseHhmm(w.start);
      const e = parseHhmm(w.end);
      if (s !== null) points.add(cal.at(f.y, f.m, f.d + off, s));
      if (e !== null) points.add(cal.at(f.y, f.m, f.d + off, e));
    }
  }
  const sorted = [...points].filter((p) => p > now).sort((a, b) => a - b);
  for (const p of sorted) if (scheduleAllows(settings, p, cal) !== current) return p;
  return null;
}

// ---------------------------------------------------------------------------------------------
// State

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
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

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
      if (isRecord(t) && t.id === k && typeof t.siteKey === 'string' && finite(t.afterPosts) && (t.afterActiveMs === null || finite(t.afterActiveMs)) && finite(t.issuedAt) && finite(t.expiresAt)) {
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
      if (isRecord(g) && typeof g.siteKey === 'string' && typeof g.frameId === 'string' && typeof g.collectionId === 'string' && finite(g.postsSince) && finite(g.at) && (g.nextId === null || typeof g.nextId === 'string') && typeof g.placed === 'boolean') {
        const decision = isRecord(g.decision) && typeof g.decision.id === 'string' && finite(g.decision.windowMs) ? { id: g.decision.id, windowMs: g.decision.windowMs } : undefined;
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

// ---------------------------------------------------------------------------------------------
// Gates shared by issue and claim

type Gate = { reason: NoTicketReason; retryAt: number | null } | null;

/** Effective posts-per-pause for a site (site override wins); 0 = posts do not trigger. */
export function effectiveEveryPosts(settings: Settings, siteKey: string): number {
  return settings.sites[siteKey]?.everyPosts ?? settings.cadence.everyPosts;
}

/** When the snooze covering `siteKey` ends, or null if none applies. Expects a normalized state. */
export function snoozedUntil(state: SchedulerState, siteKey: string | undefined, now: number): number | null {
  const ends = [state.snooze.allUntil, siteKey !== undefined ? state.snooze.sites[siteKey] : undefined].filter(
    (x): x is number => typeof x === 'number' && x > now,
  );
  return ends.length ? Math.max(...ends) : null;
}

/** The first reason (in the documented order) why no frame may show on `siteKey` now. Expects a normalized state. */
function gate(settings: Settings, state: SchedulerState, siteKey: string, now: number, cal: LocalCalendar): Gate {
  const site = siteState(settings, siteKey);
  if (site.reason) return { reason: site.reason === 'disabled' ? 'disabled' : 'site-off', retryAt: null };
  const snoozeEnd = snoozedUntil(state, siteKey, now);
  if (snoozeEnd !== null) return { reason: 'snoozed', retryAt: snoozeEnd };
  if (!scheduleAllows(settings, now, cal)) return { reason: 'quiet-hours', retryAt: nextScheduleChange(settings, now, cal) };
  const cap = settings.cadence.dailyCap;
  // Grants on their way today hold their place under today's cap (two tabs cannot both take the last one).
  const onTheirWay = pendingGrants(state).filter((g) => localDay(g.at, cal) === state.day).length;
  if (cap > 0 && state.shownToday + onTheirWay >= cap) return { reason: 'daily-cap', retryAt: nextLocalMidnight(now, cal) };
  if (effectiveEveryPosts(settings, siteKey) === 0 && settings.cadence.everyMinutes === 0) return { reason: 'cadence-off', retryAt: null };
  return null;
}

/** Only the cadence: does this site have decision points at all? */
function cadenceGate(settings: Settings, siteKey: string): Gate {
  if (effectiveEveryPosts(settings, siteKey) === 0 && settings.cadence.everyMinutes === 0) return { reason: 'cadence-off', retryAt: null };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Tickets

export interface IssueOptions {
  /** Issue whatever holds frames back (study mode: every decision point is logged). */
  ignoreGates?: boolean;
}

function ticketId(now: number, rng: Rng, taken: Record<string, unknown>): string {
  let id = `${now.toString(36)}-`;
  do {
    id += Math.floor(rng() * 36 ** 6).toString(36).padStart(6, '0');
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
  const grant: Grant = { siteKey: ticket.siteKey, frameId: '', collectionId: '', postsSince: s.postsSinceFrame[ticket.siteKey] ?? 0, firstToday, at: now, nextId: null, placed: false };
  return {
    state: normalize({ ...s, tickets: rest, granted: { ...s.granted, [ticketId]: grant } }, now, cal),
    decision: { kind: 'granted' },
  };
}

/** Fills in what the glue decided for a fresh grant (the frame, the next ticket, the study's part). */
export function noteGrant(state: SchedulerState, ticketId: string, fill: Partial<Pick<Grant, 'frameId' | 'collectionId' | 'nextId' | 'decision' | 'study' | 'survey'>>): SchedulerState {
  const g = Object.hasOwn(state.granted, ticketId) ? state.granted[ticketId] : undefined;
  if (!g) return state;
  return { ...state, granted: { ...state.granted, [ticketId]: { ...g, ...fill } } };
}

/**
 * The tab placed the granted frame: now it is a pause — today's count, the gap from here, the
 * posts-since count starting over. Once per grant (a repeated confirmation counts nothing);
 * an unknown or expired grant counts nothing either.
 */
export function confirmPlaced(state: SchedulerState, ticketId: string, now: number, cal: LocalCalendar = systemCalendar): { state: SchedulerState; counted: Grant | null } {
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

// ---------------------------------------------------------------------------------------------
// Frame choice

function weightedIndex(weights: number[], rng: Rng): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return -1;
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0 && weights[i] > 0) return i;
  }
  // floating-point leftovers: the last positive weight
  for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
  return -1;
}

export const frameWeight = (state: SchedulerState, id: string) => {
  const w = state.frameWeights[id];
  return finite(w) ? Math.min(1, Math.max(MIN_FRAME_WEIGHT, w)) : 1;
};

/**
 * A new round of a collection's bag: every candidate except `exclude`, each kept with
 * probability = its weight (so a frame at weight 0.25 sits out about three rounds in four).
 * Never empty while the collection has candidates.
 */
function refillBag(state: SchedulerState, ids: string[], exclude: string | null, rng: Rng): string[] {
  const pool = ids.length > 1 && exclude !== null ? ids.filter((id) => id !== exclude) : ids;
  const bag = pool.filter((id) => {
    const w = frameWeight(state, id);
    return w >= 1 || rng() < w;
  });
  if (bag.length === 0 && pool.length > 0) bag.push(pool[weightedIndex(pool.map((id) => frameWeight(state, id)), rng)]);
  return bag;
}

/** The candidates a site may use: enabled collections, narrowed to the site's list when it has one. */
export function eligibleCandidates(settings: Settings, siteKey: string, candidates: FrameCandidate[]): FrameCandidate[] {
  const only = settings.sites[siteKey]?.collections;
  const allowed = only && only.length > 0 ? new Set(only) : null;
  const pick = (useSiteList: boolean, useEnabled: boolean) => {
    const seen = new Set<string>();
    return candidates.filter((c) => {
      if (seen.has(c.id)) return false;
      if (useEnabled && settings.collections[c.collectionId]?.enabled === false) return false;
      if (useSiteList && allowed && !allowed.has(c.collectionId)) return false;
      seen.add(c.id);
      return true;
    });
  };
  // A site's list that leaves nothing (its collection was deleted) widens to every enabled
  // collection rather than silently ending that site's pauses. Switches are the user's word.
  const strict = pick(true, true);
  return strict.length > 0 || !allowed ? strict : pick(false, true);
}

/**
 * Picks the next frame: a collection by weight (settings.collections[id].weight, default 1),
 * then a frame from that collection's persisted shuffle bag (weighted by frameWeights).
 * No frame repeats until its collection's bag is empty; the bag is refilled at once with the
 * whole collection minus the frame just drawn, so no frame ever shows twice in a row.
 */
export function chooseFrame(
  settings: Settings,
  state: SchedulerState,
  siteKey: string,
  candidates: FrameCandidate[],
  rng: Rng,
): { state: SchedulerState; frameId: string | null } {
  const eligible = eligibleCandidates(settings, siteKey, candidates);
  const byCollection = new Map<string, string[]>();
  for (const c of eligible) {
    const list = byCollection.get(c.collectionId);
    if (list) list.push(c.id);
    else byCollection.set(c.collectionId, [c.id]);
  }
  const cols = [...byCollection.keys()];
  const ci = weightedIndex(cols.map((id) => settings.collections[id]?.weight ?? 1), rng);
  if (ci < 0) return { state, frameId: null };
  const col = cols[ci];
  const ids = byCollection.get(col)!;
  const idSet = new Set(ids);

  let bag = (state.bags[col] ?? []).filter((id) => idSet.has(id));
  if (bag.length === 0) bag = refillBag(state, ids, null, rng);
  const k = weightedIndex(bag.map((id) => frameWeight(state, id)), rng);
  const frameId = bag[k >= 0 ? k : 0];
  let rest = bag.filter((id) => id !== frameId);
  if (rest.length === 0) rest = refillBag(state, ids, frameId, rng);
  return { state: { ...state, bags: { ...state.bags, [col]: rest } }, frameId };
}

/**
 * "Fewer like this": halves the frame's weight (floor 0.05) and takes it out of the current
 * round — unless it is the last frame left in a bag: an empty bag would be refilled without
 * knowing which frame was just shown, which could repeat it back to back.
 */
export function fewerLikeThis(state: SchedulerState, frameId: string): SchedulerState {
  const w = Math.max(MIN_FRAME_WEIGHT, frameWeight(state, frameId) * FEWER_FACTOR);
  const bags: Record<string, string[]> = {};
  for (const [k, b] of Object.entries(state.bags)) bags[k] = b.includes(frameId) && b.length > 1 ? b.filter((id) => id !== frameId) : b;
  return { ...state, bags, frameWeights: { ...state.frameWeights, [frameId]: w } };
}

/** Forgets every "fewer like this". */
export function resetFrameWeights(state: SchedulerState): SchedulerState {
  return { ...state, frameWeights: {} };
}

// ---------------------------------------------------------------------------------------------
// Snooze

export type SnoozeKind = '15m' | '1h' | 'today';

/** "Until I turn it back on": a snooze with no end (JSON-safe, so it survives IndexedDB and messages). */
export const SNOOZE_INDEFINITELY = Number.MAX_SAFE_INTEGER;

/** When a snooze of this kind started at `now` ends; 'today' = the next local midnight. */
export function snoozeUntil(kind: SnoozeKind, now: number, cal: LocalCalendar = systemCalendar): number {
  switch (kind) {
    case '15m':
      return now + 15 * MINUTE;
    case '1h':
      return now + 60 * MINUTE;
    case 'today':
      return nextLocalMidnight(now, cal);
  }
}

/** Snoozes one site (`{siteKey}`) or everything (`{}`) until `until`; the latest request replaces the earlier one. */
export function snooze(state: SchedulerState, scope: { siteKey?: string }, until: number): SchedulerState {
  if (scope.siteKey !== undefined) return { ...state, snooze: { ...state.snooze, sites: { ...state.snooze.sites, [scope.siteKey]: until } } };
  return { ...state, snooze: { ...state.snooze, allUntil: until } };
}

/** `{siteKey}` clears that site's snooze; `{}` clears every snooze (global and per site). */
export function clearSnooze(state: SchedulerState, scope: { siteKey?: string }): SchedulerState {
  if (scope.siteKey !== undefined) {
    const { [scope.siteKey]: _gone, ...sites } = state.snooze.sites;
    return { ...state, snooze: { ...state.snooze, sites } };
  }
  return { ...state, snooze: { allUntil: null, sites: {} } };
}

// ---------------------------------------------------------------------------------------------
// Wake-ups and status

/**
 * The earliest instant after `now` at which something that currently holds frames back
 * lapses: a snooze ends, quiet hours end (or active hours begin), the daily cap resets at
 * midnight, or the min gap since the last frame is over. Null when nothing is waiting on
 * time (or Stillframe is off). For `browser.alarms`: re-issue tickets / notify tabs then.
 */
export function nextWakeAt(settings: Settings, state: SchedulerState, now: number, cal: LocalCalendar = systemCalendar): number | null {
  if (!settings.enabled) return null;
  const s = normalize(state, now, cal);
  const times: number[] = [];
  if (s.snooze.allUntil !== null) times.push(s.snooze.allUntil);
  for (const until of Object.values(s.snooze.sites)) times.push(until);
  if (!scheduleAllows(settings, now, cal)) {
    const t = nextScheduleChange(settings, now, cal);
    if (t !== null) times.push(t);
  }
  const pending = pendingGrants(s).filter((g) => localDay(g.at, cal) === s.day);
  if (settings.cadence.dailyCap > 0 && s.shownToday + pending.length >= settings.cadence.dailyCap) {
    times.push(nextLocalMidnight(now, cal));
    // A grant never placed frees its place under the cap when it lapses.
    for (const g of pending) times.push(g.at + GRANT_TTL_MS);
  }
  const gap = settings.cadence.minGapMinutes * MINUTE;
  const last = lastPauseAt(s);
  if (gap > 0 && last !== null && last + gap > now) times.push(last + gap);
  // A snooze without an end wakes nobody: it ends when the person ends it.
  const future = times.filter((t) => t > now && t < SNOOZE_INDEFINITELY);
  return future.length ? Math.min(...future) : null;
}

/** Why a site would get no ticket right now (for the popup), or null if it would get one. */
export function blockedReason(
  settings: Settings,
  state: SchedulerState,
  siteKey: string,
  now: number,
  cal: LocalCalendar = systemCalendar,
): { reason: NoTicketReason; retryAt: number | null } | null {
  return gate(settings, normalize(state, now, cal), siteKey, now, cal);
}

// ---------------------------------------------------------------------------------------------
// Plain-language preview

export interface CadencePart {
  key: string;
  params: Record<string, string | number>;
}

const WEEKDAYS = [1, 2, 3, 4, 5];

function daysPart(days: number[]): CadencePart {
  const set = [...new Set(days)].sort((a, b) => a - b);
  if (set.length === 0 || set.length === 7) return { key: 'schedule.days.every', params: {} };
  if (set.length === 5 && set.every((d, i) => d === WEEKDAYS[i])) return { key: 'schedule.days.weekdays', params: {} };
  if (set.length === 2 && set[0] === 0 && set[1] === 6) return { key: 'schedule.days.weekends', params: {} };
  // Monday-first order reads naturally in both locales
  const ordered = [...set.filter((d) => d !== 0), ...set.filter((d) => d === 0)];
  return { key: 'schedule.days.list', params: { list: ordered.join(',') } };
}

/**
 * The cadence in parts: the main clause first (its key and numeric params are also returned
 * as `key`/`params`), then the limits that apply. `cadencePreviewText` turns it into a sentence.
 */
export function describeCadence(
  settings: Settings,
  siteKey?: string,
): { key: string; params: Record<string, number>; parts: CadencePart[] } {
  const c = settings.cadence;
  const posts = siteKey !== undefined ? effectiveEveryPosts(settings, siteKey) : c.everyPosts;
  const main = (key: string, params: Record<string, number>) => ({ key, params, parts: [{ key, params } as CadencePart] });

  if (!settings.enabled) return main('schedule.preview.disabled', {});
  if (siteKey !== undefined && !siteState(settings, siteKey).switchOn) return main('schedule.preview.siteOff', {});
  if (posts === 0 && c.everyMinutes === 0) return main('schedule.preview.off', {});

  let key: string;
  const params: Record<string, number> = {};
  if (posts > 0) params.posts = posts;
  if (c.everyMinutes > 0) params.minutes = c.everyMinutes;
  if (posts > 0 && c.everyMinutes > 0) key = c.jitterPct > 0 ? 'schedule.preview.postsOrMinutes' : 'schedule.preview.postsOrMinutesExact';
  else if (posts > 0) key = c.jitterPct > 0 ? 'schedule.preview.posts' : 'schedule.preview.postsExact';
  else key = 'schedule.preview.minutes';

  const parts: CadencePart[] = [{ key, params }];
  if (c.dailyCap > 0) parts.push({ key: 'schedule.preview.cap', params: { cap: c.dailyCap } });
  if (c.minGapMinutes > 0) parts.push({ key: 'schedule.preview.gap', params: { gap: c.minGapMinutes } });
  if (c.gracePosts > 0) parts.push({ key: 'schedule.preview.grace', params: { grace: c.gracePosts } });
  if (c.escalateAfterMinutes > 0 && posts > 0 && c.escalateFactor < 1) {
    parts.push({ key: 'schedule.preview.escalate', params: { minutes: c.escalateAfterMinutes } });
  }
  const { mode, windows } = settings.schedule;
  if (mode !== 'always' && windows.length > 0) {
    parts.push({ key: mode === 'only' ? 'schedule.preview.only' : 'schedule.preview.except', params: { count: windows.length } });
  }
  return { key, params, parts };
}

/** Composes the preview sentence, e.g. "About one pause every 40 posts, at most 12 a day, not between 09:00 and 17:00 on weekdays." */
export function cadencePreviewText(
  settings: Settings,
  t: (key: string, params?: Record<string, string | number>) => string,
  siteKey?: string,
  /** Writes a stored "HH:MM" in the reader's clock (utils/i18n/format.ts); as stored by default. */
  time: (hhmm: string) => string = (hhmm) => hhmm,
): string {
  const { parts } = describeCadence(settings, siteKey);
  const sep = t('schedule.preview.sep');
  const texts = parts.map((p) => {
    if (p.key === 'schedule.preview.only' || p.key === 'schedule.preview.except') {
      const windows = settings.schedule.windows.map((w) => {
        const d = daysPart(w.days);
        const days =
          d.key === 'schedule.days.list'
            ? t('schedule.days.list', {
                list: String(d.params.list)
                  .split(',')
                  .map((n) => t(`schedule.day.${n}`))
                  .join(t('schedule.list.sep')),
              })
            : t(d.key);
        // Start = end is a whole day from that time (inWindow): said so, not "from 09:00 to 09:00".
        if (w.start === w.end) return t(w.start === '00:00' ? 'schedule.preview.windowAllDay' : 'schedule.preview.window24h', { start: time(w.start), days });
        return t('schedule.preview.window', { start: time(w.start), end: time(w.end), days });
      });
      return t(p.key, { windows: windows.join(t('schedule.preview.or')) });
    }
    return t(p.key, p.params);
  });
  const sentence = texts.join(sep);
  const end = t('schedule.preview.end');
  return sentence.endsWith(end) ? sentence : sentence + end;
}

// ---------------------------------------------------------------------------------------------

/** The SchedulerApi bound to a calendar (system local time by default). */
export function createScheduler(cal: LocalCalendar = systemCalendar): SchedulerApi {
  return {
    initialState: (now) => initialState(now, cal),
    normalize: (state, now) => normalize(state, now, cal),
    issueTicket: (settings, state, siteKey, now, rng, opts) => issueTicket(settings, state, siteKey, now, rng, cal, opts),
    claimTicket: (settings, state, id, now) => claimTicket(settings, state, id, now, cal),
    recordProgress: (state, siteKey, posts, activeMs, now) => recordProgress(state, siteKey, posts, activeMs, now, cal),
    chooseFrame,
  };
}

export const scheduler: SchedulerApi = createScheduler();
