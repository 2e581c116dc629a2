import { describe, expect, it } from 'vitest';
import { claimTicket, confirmPlaced, noteGrant, issueTicket, POSTS_OFF, recordProgress, TICKET_TTL_MS } from '@/utils/schedule/tickets';
import { clearSnooze, snooze, snoozeUntil } from '@/utils/schedule/snooze';
import { GRANT_TTL_MS, initialState, loadState, normalize } from '@/utils/schedule/scheduler-state';
import { fixedOffsetCalendar, localDay, nextLocalMidnight, systemCalendar } from '@/utils/schedule/calendar';
import { nextWakeAt } from '@/utils/schedule/wake';
import { scheduleAllows } from '@/utils/schedule/quiet-hours';
import { scheduler, createScheduler } from '@/utils/schedule/scheduler';
import { blockedReason } from '@/utils/schedule/gates';
import { mulberry32 } from '@/utils/schedule/rng';
import type { SchedulerState, Ticket, TicketDecision } from '@/utils/schedule/types';
import type { Settings } from '@/utils/storage/settings';
import { at, BEIJING, DAY, HOUR, MIN, plain, settingsWith, UTC } from './schedule-helpers';

const rng = () => mulberry32(42);

function ticketOf(d: TicketDecision): Ticket {
  if (d.kind !== 'ticket') throw new Error(`expected a ticket, got ${d.reason}`);
  return d.ticket;
}

function issue(settings: Settings, state: SchedulerState, site: string, now: number, r = rng(), cal = UTC) {
  return issueTicket(settings, state, site, now, r, cal);
}

describe('rng', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
    expect(mulberry32(8)()).not.toBe(mulberry32(7)());
  });
});

describe('calendar', () => {
  it('fixed offsets give local days and midnights', () => {
    const t = Date.UTC(2025, 2, 3, 17, 0); // 01:00 on the 4th in Beijing
    expect(localDay(t, UTC)).toBe('2025-03-03');
    expect(localDay(t, BEIJING)).toBe('2025-03-04');
    expect(nextLocalMidnight(t, UTC)).toBe(Date.UTC(2025, 2, 4));
    expect(nextLocalMidnight(t, BEIJING)).toBe(Date.UTC(2025, 2, 4, 16));
    expect(localDay(t, fixedOffsetCalendar(-300))).toBe('2025-03-03');
  });
  it('systemCalendar agrees with Date', () => {
    const t = Date.UTC(2025, 6, 1, 12, 34);
    const d = new Date(t);
    const f = systemCalendar.fields(t);
    expect([f.y, f.m, f.d, f.dow, f.minute]).toEqual([d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours() * 60 + d.getMinutes()]);
    expect(systemCalendar.at(f.y, f.m, f.d, f.minute)).toBe(t);
  });
  it('the default scheduler implements the API', () => {
    const s = scheduler.initialState(Date.now());
    expect(s.version).toBe(1);
    expect(scheduler.normalize(s, Date.now()).shownToday).toBe(0);
  });
});

describe('issueTicket: reasons', () => {
  const s0 = initialState(at(0, 12), UTC);

  it('disabled, site-off, cadence-off have no retry time', () => {
    expect(issue(plain({ enabled: false }), s0, 'x', at(0, 12)).decision).toEqual({ kind: 'none', reason: 'disabled', retryAt: null });
    expect(issue(plain({ sites: { x: { enabled: false } } }), s0, 'x', at(0, 12)).decision).toEqual({ kind: 'none', reason: 'site-off', retryAt: null });
    expect(issue(plain({ sites: { x: { enabled: false } } }), s0, 'reddit', at(0, 12)).decision.kind).toBe('ticket');
    expect(issue(plain({ cadence: { everyPosts: 0, everyMinutes: 0 } }), s0, 'x', at(0, 12)).decision).toEqual({
      kind: 'none',
      reason: 'cadence-off',
      retryAt: null,
    });
    // a site override of 0 with no time trigger is also off; a site override > 0 turns it back on
    expect(issue(plain({ sites: { x: { enabled: true, everyPosts: 0 } } }), s0, 'x', at(0, 12)).decision.kind).toBe('none');
    expect(issue(plain({ cadence: { everyPosts: 0 }, sites: { x: { enabled: true, everyPosts: 10 } } }), s0, 'x', at(0, 12)).decision.kind).toBe('ticket');
  });

  it('snoozed: globally or per site, retryAt = snooze end', () => {
    const now = at(0, 12);
    const g = snooze(s0, {}, now + 15 * MIN);
    expect(issue(plain(), g, 'x', now).decision).toEqual({ kind: 'none', reason: 'snoozed', retryAt: now + 15 * MIN });
    const site = snooze(s0, { siteKey: 'x' }, now + HOUR);
    expect(issue(plain(), site, 'x', now).decision).toEqual({ kind: 'none', reason: 'snoozed', retryAt: now + HOUR });
    expect(issue(plain(), site, 'reddit', now).decision.kind).toBe('ticket');
    // both: the later end is when frames come back
    const both = snooze(g, { siteKey: 'x' }, now + HOUR);
    expect(issue(plain(), both, 'x', now).decision).toMatchObject({ retryAt: now + HOUR });
    // lapsed snooze
    expect(issue(plain(), g, 'x', now + 15 * MIN).decision.kind).toBe('ticket');
  });

  it('daily cap: retryAt = next local midnight', () => {
    const s = { ...s0, shownToday: 3 };
    expect(issue(plain({ cadence: { dailyCap: 3 } }), s, 'x', at(0, 12)).decision).toEqual({ kind: 'none', reason: 'daily-cap', retryAt: at(1, 0) });
    expect(issue(plain({ cadence: { dailyCap: 4 } }), s, 'x', at(0, 12)).decision.kind).toBe('ticket');
    expect(issue(plain({ cadence: { dailyCap: 0 } }), { ...s, shownToday: 999 }, 'x', at(0, 12)).decision.kind).toBe('ticket');
    // in Beijing the day ends at 16:00 UTC
    const bj = initialState(at(0, 12), BEIJING);
    const capped = { ...bj, shownToday: 3 };
    expect(issueTicket(plain({ cadence: { dailyCap: 3 } }), capped, 'x', at(0, 12), rng(), BEIJING).decision).toMatchObject({ retryAt: at(0, 16) });
  });

  it('checks reasons in order: disabled > site-off > snoozed > quiet-hours > daily-cap > cadence-off', () => {
    const now = at(0, 10);
    const all = plain({
      enabled: false,
      sites: { x: { enabled: false } },
      cadence: { dailyCap: 1, everyPosts: 0 },
      schedule: { mode: 'except', windows: [{ days: [], start: '09:00', end: '17:00' }] },
    });
    const s = snooze({ ...s0, shownToday: 5 }, {}, now + MIN);
    const reasons: string[] = [];
    let set = all;
    const steps: Array<(x: Settings) => Settings> = [
      (x) => ({ ...x, enabled: true }),
      (x) => ({ ...x, sites: {} }),
      (x) => x,
      (x) => ({ ...x, schedule: { mode: 'always', windows: [] } }),
      (x) => ({ ...x, cadence: { ...x.cadence, dailyCap: 0 } }),
    ];
    let st = s;
    for (const [i, step] of steps.entries()) {
      const d = issue(set, st, 'x', now).decision;
      reasons.push(d.kind === 'none' ? d.reason : 'ticket');
      set = step(set);
      if (i === 2) st = clearSnooze(st, {});
    }
    reasons.push((issue(set, st, 'x', now).decision as { reason: string }).reason);
    expect(reasons).toEqual(['disabled', 'site-off', 'snoozed', 'quiet-hours', 'daily-cap', 'cadence-off']);
  });
});

describe('issueTicket: the ticket', () => {
  const now = at(0, 12);
  const s0 = initialState(now, UTC);

  it('has a 30-minute life, a unique id and a time trigger when everyMinutes is set', () => {
    const { state, decision } = issue(plain({ cadence: { everyMinutes: 20 } }), s0, 'x', now);
    const t = ticketOf(decision);
    expect(t).toMatchObject({ siteKey: 'x', afterPosts: 40, afterActiveMs: 20 * MIN, issuedAt: now, expiresAt: now + TICKET_TTL_MS });
    expect(TICKET_TTL_MS).toBe(30 * MIN);
    expect(state.tickets[t.id]).toEqual(t);
    expect(ticketOf(issue(plain(), s0, 'x', now).decision).afterActiveMs).toBeNull();
  });

  it('keeps one ticket per request (several tabs), all with distinct ids', () => {
    let s = s0;
    const r = mulberry32(1);
    const ids = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const out = issue(plain(), s, i % 2 ? 'x' : 'reddit', now + i, r);
      s = out.state;
      ids.add(ticketOf(out.decision).id);
    }
    expect(ids.size).toBe(40);
    expect(Object.keys(s.tickets).length).toBe(40);
    // ids are unique even when the rng repeats itself
    const stuck = () => 0.5;
    const a = issue(plain(), s0, 'x', now, stuck);
    const b = issue(plain(), a.state, 'x', now, stuck);
    expect(ticketOf(a.decision).id).not.toBe(ticketOf(b.decision).id);
  });

  it('does not mutate its input', () => {
    const frozen = structuredClone(s0);
    issue(plain(), s0, 'x', now);
    expect(s0).toEqual(frozen);
  });

  it('jitter stays within ±jitterPct and uses the whole range', () => {
    const set = plain({ cadence: { everyPosts: 40, jitterPct: 20 } });
    const r = mulberry32(99);
    const seen: number[] = [];
    for (let i = 0; i < 2000; i++) seen.push(ticketOf(issue(set, s0, 'x', now, r).decision).afterPosts);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(32);
    expect(Math.max(...seen)).toBeLessThanOrEqual(48);
    expect(Math.min(...seen)).toBeLessThanOrEqual(33);
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(47);
    const mean = seen.reduce((a, b) => a + b, 0) / seen.length;
    expect(Math.abs(mean - 40)).toBeLessThan(1);
  });

  it('no jitter → exactly N; tiny N never goes below 1', () => {
    expect(ticketOf(issue(plain(), s0, 'x', now).decision).afterPosts).toBe(40);
    const r = mulberry32(3);
    for (let i = 0; i < 200; i++) {
      expect(ticketOf(issue(plain({ cadence: { everyPosts: 1, jitterPct: 50 } }), s0, 'x', now, r).decision).afterPosts).toBeGreaterThanOrEqual(1);
    }
  });

  it('a site override of everyPosts wins; posts off + minutes on → time-only ticket', () => {
    expect(ticketOf(issue(plain({ sites: { x: { enabled: true, everyPosts: 12 } } }), s0, 'x', now).decision).afterPosts).toBe(12);
    const t = ticketOf(issue(plain({ cadence: { everyPosts: 0, everyMinutes: 5 } }), s0, 'x', now).decision);
    expect(t.afterPosts).toBe(POSTS_OFF);
    expect(Number.isSafeInteger(t.afterPosts)).toBe(true);
    expect(t.afterActiveMs).toBe(5 * MIN);
  });

  it('grace: adds what is left of the first K posts of a feed session', () => {
    const set = plain({ cadence: { everyPosts: 20, gracePosts: 10 } });
    expect(ticketOf(issue(set, s0, 'x', now).decision).afterPosts).toBe(30);
    const s4 = recordProgress(s0, 'x', 4, 10_000, now, UTC);
    expect(ticketOf(issue(set, s4, 'x', now).decision).afterPosts).toBe(26);
    const s12 = recordProgress(s4, 'x', 8, 10_000, now + MIN, UTC);
    expect(ticketOf(issue(set, s12, 'x', now + MIN).decision).afterPosts).toBe(20);
    // another site has its own session
    expect(ticketOf(issue(set, s12, 'reddit', now + MIN).decision).afterPosts).toBe(30);
    // after 10 idle minutes a new session starts: full grace again
    expect(ticketOf(issue(set, s12, 'x', now + MIN + 10 * MIN + 1).decision).afterPosts).toBe(30);
    expect(ticketOf(issue(set, s12, 'x', now + MIN + 10 * MIN).decision).afterPosts).toBe(20);
  });

  it('escalation: after escalateAfterMinutes of active scrolling, N × escalateFactor', () => {
    const set = plain({ cadence: { everyPosts: 40, escalateAfterMinutes: 20, escalateFactor: 0.5 } });
    let s = s0;
    for (let i = 1; i <= 19; i++) s = recordProgress(s, 'x', 10, MIN, now + i * MIN, UTC);
    expect(ticketOf(issue(set, s, 'x', now + 19 * MIN).decision).afterPosts).toBe(40);
    s = recordProgress(s, 'x', 10, MIN, now + 20 * MIN, UTC);
    expect(ticketOf(issue(set, s, 'x', now + 20 * MIN).decision).afterPosts).toBe(20);
    // off when escalateAfterMinutes = 0
    expect(ticketOf(issue(plain({ cadence: { escalateFactor: 0.5 } }), s, 'x', now + 20 * MIN).decision).afterPosts).toBe(40);
    // a break of more than 10 minutes resets it
    expect(ticketOf(issue(set, s, 'x', now + 31 * MIN).decision).afterPosts).toBe(40);
    // escalation and jitter compose: 40 × 0.5 ± 20 %
    const jit = plain({ cadence: { everyPosts: 40, jitterPct: 20, escalateAfterMinutes: 20, escalateFactor: 0.5 } });
    const r = mulberry32(5);
    for (let i = 0; i < 200; i++) {
      const a = ticketOf(issue(jit, s, 'x', now + 20 * MIN, r).decision).afterPosts;
      expect(a).toBeGreaterThanOrEqual(16);
      expect(a).toBeLessThanOrEqual(24);
    }
  });
});

describe('quiet hours and active hours', () => {
  const s0 = initialState(at(0, 0), UTC);
  const night = plain({ schedule: { mode: 'except', windows: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '22:00', end: '07:00' }] } });

  it('a window crossing midnight', () => {
    expect(issue(night, s0, 'x', at(0, 21, 59)).decision.kind).toBe('ticket');
    expect(issue(night, s0, 'x', at(0, 22)).decision).toEqual({ kind: 'none', reason: 'quiet-hours', retryAt: at(1, 7) });
    expect(issue(night, s0, 'x', at(0, 23, 30)).decision).toMatchObject({ retryAt: at(1, 7) });
    expect(issue(night, s0, 'x', at(1, 6, 59)).decision).toEqual({ kind: 'none', reason: 'quiet-hours', retryAt: at(1, 7) });
    expect(issue(night, s0, 'x', at(1, 7)).decision.kind).toBe('ticket');
  });

  it('a crossing window belongs to the day it starts on', () => {
    // Friday night only (day 4 = Friday 2025-03-07)
    const fri = plain({ schedule: { mode: 'except', windows: [{ days: [5], start: '22:00', end: '07:00' }] } });
    expect(issue(fri, s0, 'x', at(4, 23)).decision.kind).toBe('none'); // Fri 23:00
    expect(issue(fri, s0, 'x', at(5, 3)).decision.kind).toBe('none'); // Sat 03:00
    expect(issue(fri, s0, 'x', at(5, 23)).decision.kind).toBe('ticket'); // Sat 23:00
    expect(issue(fri, s0, 'x', at(6, 3)).decision.kind).toBe('ticket'); // Sun 03:00
    expect(issue(fri, s0, 'x', at(3, 23)).decision.kind).toBe('ticket'); // Thu 23:00
  });

  it('weekday windows: "not 09:00–17:00 on weekdays"', () => {
    const work = plain({ schedule: { mode: 'except', windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }] } });
    expect(issue(work, s0, 'x', at(0, 10)).decision).toEqual({ kind: 'none', reason: 'quiet-hours', retryAt: at(0, 17) });
    expect(issue(work, s0, 'x', at(0, 8, 59)).decision.kind).toBe('ticket');
    expect(issue(work, s0, 'x', at(0, 17)).decision.kind).toBe('ticket');
    expect(issue(work, s0, 'x', at(5, 10)).decision.kind).toBe('ticket'); // Saturday
    expect(issue(work, s0, 'x', at(6, 10)).decision.kind).toBe('ticket'); // Sunday
  });

  it('"only" mode: frames only inside the windows; retryAt = next window start', () => {
    const evenings = plain({ schedule: { mode: 'only', windows: [{ days: [1, 2, 3, 4, 5], start: '18:00', end: '22:00' }] } });
    expect(issue(evenings, s0, 'x', at(0, 12)).decision).toEqual({ kind: 'none', reason: 'quiet-hours', retryAt: at(0, 18) });
    expect(issue(evenings, s0, 'x', at(0, 19)).decision.kind).toBe('ticket');
    // Friday 23:00 → next Monday 18:00
    expect(issue(evenings, s0, 'x', at(4, 23)).decision).toMatchObject({ retryAt: at(7, 18) });
  });

  it('overlapping windows: retryAt skips to when the state really changes', () => {
    const set = plain({
      schedule: {
        mode: 'except',
        windows: [
          { days: [], start: '22:00', end: '07:00' },
          { days: [], start: '06:00', end: '08:30' },
        ],
      },
    });
    expect(issue(set, s0, 'x', at(0, 23)).decision).toMatchObject({ retryAt: at(1, 8, 30) });
  });

  it('start == end is the whole day; no windows = no restriction; an always-quiet schedule has no retry', () => {
    const allDay = plain({ schedule: { mode: 'except', windows: [{ days: [1], start: '00:00', end: '00:00' }] } });
    expect(issue(allDay, s0, 'x', at(0, 12)).decision).toMatchObject({ reason: 'quiet-hours', retryAt: at(1, 0) });
    expect(scheduleAllows(plain({ schedule: { mode: 'only', windows: [] } }), at(0, 3), UTC)).toBe(true);
    const never = plain({ schedule: { mode: 'except', windows: [{ days: [], start: '05:00', end: '05:00' }] } });
    expect(issue(never, s0, 'x', at(0, 12)).decision).toEqual({ kind: 'none', reason: 'quiet-hours', retryAt: null });
  });

  it('uses local time: 22:00–07:00 in Beijing is 14:00–23:00 UTC', () => {
    const bj = initialState(at(0, 0), BEIJING);
    expect(issueTicket(night, bj, 'x', at(0, 15), rng(), BEIJING).decision).toEqual({ kind: 'none', reason: 'quiet-hours', retryAt: at(0, 23) });
    expect(issueTicket(night, bj, 'x', at(0, 23), rng(), BEIJING).decision.kind).toBe('ticket');
  });
});

describe('claimTicket', () => {
  const now = at(0, 12);
  const s0 = initialState(now, UTC);
  const claim = (set: Settings, s: SchedulerState, id: string, t: number) => claimTicket(set, s, id, t, UTC);

  it('grants once; the pause counts when the tab says it placed the frame; a retried claim gets the same grant', () => {
    const s = recordProgress(s0, 'x', 30, MIN, now, UTC);
    const out = issue(plain(), s, 'x', now);
    const id = ticketOf(out.decision).id;
    const c = claim(plain(), out.state, id, now + MIN);
    expect(c.decision).toEqual({ kind: 'granted' });
    expect(c.state.tickets[id]).toBeUndefined();
    // On its way, not a pause yet: nothing is counted for a frame nobody has seen placed.
    expect(c.state.shownToday).toBe(0);
    expect(c.state.granted[id]).toMatchObject({ siteKey: 'x', postsSince: 30, at: now + MIN, placed: false });
    const chosen = noteGrant(c.state, id, { frameId: 'still:1', collectionId: 'still', nextId: 'n1' });
    // The reply was lost (the worker stopped): the same ticket again is the same grant, not "unknown".
    const retry = claim(plain(), chosen, id, now + 2 * MIN);
    expect(retry.decision).toMatchObject({ kind: 'replayed', grant: { frameId: 'still:1', nextId: 'n1', placed: false } });
    expect(retry.state.shownToday).toBe(0);
    const p = confirmPlaced(chosen, id, now + 3 * MIN, UTC);
    expect(p.counted).toMatchObject({ frameId: 'still:1', collectionId: 'still', postsSince: 30 });
    expect(p.state.shownToday).toBe(1);
    expect(p.state.lastShownAt).toBe(now + 3 * MIN);
    expect(p.state.postsSinceFrame.x).toBe(0);
    // Once: a repeated confirmation counts nothing, and the grant is still there for a retry.
    const twice = confirmPlaced(p.state, id, now + 4 * MIN, UTC);
    expect(twice.counted).toBeNull();
    expect(twice.state.shownToday).toBe(1);
    expect(claim(plain(), p.state, id, now + 4 * MIN).decision).toMatchObject({ kind: 'replayed', grant: { placed: true } });
    // A confirmation for something never granted counts nothing.
    expect(confirmPlaced(p.state, 'forged', now, UTC).counted).toBeNull();
  });

  it('a grant on its way holds the gap and a place under the cap; never placed, it frees them when it lapses', () => {
    const gapOnly = plain({ cadence: { minGapMinutes: 5 } });
    const g1 = issue(gapOnly, s0, 'x', now, mulberry32(1));
    const g2 = issue(gapOnly, g1.state, 'reddit', now, mulberry32(2));
    const first = claim(gapOnly, g2.state, ticketOf(g1.decision).id, now);
    expect(first.decision.kind).toBe('granted');
    // Another tab, right after: the gap holds although nothing is counted yet.
    expect(claim(gapOnly, first.state, ticketOf(g2.decision).id, now + MIN).decision).toEqual({ kind: 'denied', reason: 'min-gap', retryAt: now + 5 * MIN });

    const set = plain({ cadence: { dailyCap: 1 } });
    const a = issue(set, s0, 'x', now, mulberry32(1));
    const ca = claim(set, a.state, ticketOf(a.decision).id, now);
    expect(ca.decision.kind).toBe('granted');
    // The cap's last place is taken by the frame on its way.
    const later = issue(set, ca.state, 'reddit', now + 10 * MIN, mulberry32(3));
    expect(later.decision).toMatchObject({ kind: 'none', reason: 'daily-cap' });
    // The first tab never placed it (the page went away): it was no pause, the place is free again.
    const after = issue(set, ca.state, 'reddit', now + GRANT_TTL_MS + MIN, mulberry32(4));
    expect(after.decision.kind).toBe('ticket');
    expect(after.state.shownToday).toBe(0);
    expect(confirmPlaced(after.state, ticketOf(a.decision).id, now + GRANT_TTL_MS + MIN, UTC).counted).toBeNull();
  });

  it('unknown and expired tickets', () => {
    expect(claim(plain(), s0, 'nope', now).decision).toMatchObject({ reason: 'unknown-ticket' });
    expect(claim(plain(), s0, 'toString', now).decision).toMatchObject({ reason: 'unknown-ticket' });
    const out = issue(plain(), s0, 'x', now);
    const id = ticketOf(out.decision).id;
    const c = claim(plain(), out.state, id, now + TICKET_TTL_MS);
    expect(c.decision).toEqual({ kind: 'denied', reason: 'expired', retryAt: null });
    expect(c.state.tickets[id]).toBeUndefined();
    expect(claim(plain(), out.state, id, now + TICKET_TTL_MS - 1).decision.kind).toBe('granted');
  });

  it('min gap across tabs: the second claim waits and keeps its ticket', () => {
    const set = plain({ cadence: { minGapMinutes: 45 } });
    const a = issue(set, s0, 'x', now, mulberry32(1));
    const b = issue(set, a.state, 'reddit', now, mulberry32(2));
    const ida = ticketOf(a.decision).id;
    const idb = ticketOf(b.decision).id;
    const granted = claim(set, b.state, ida, now + MIN);
    expect(granted.decision.kind).toBe('granted');
    // The first tab places its frame (the gap runs from there).
    const ca = { state: confirmPlaced(noteGrant(granted.state, ida, { frameId: 'still:1', collectionId: 'still' }), ida, now + MIN, UTC).state };
    const cb = claim(set, ca.state, idb, now + 10 * MIN);
    expect(cb.decision).toEqual({ kind: 'denied', reason: 'min-gap', retryAt: now + 46 * MIN });
    // the ticket survives past its normal expiry until it can be claimed
    expect(cb.state.tickets[idb].expiresAt).toBeGreaterThan(now + 46 * MIN);
    expect(claim(set, cb.state, idb, now + 46 * MIN - 1).decision.kind).toBe('denied');
    expect(claim(set, cb.state, idb, now + 46 * MIN).decision.kind).toBe('granted');
  });

  it('re-checks snooze, quiet hours, daily cap, site and global switches at claim time', () => {
    const out = issue(plain({ cadence: { dailyCap: 1 } }), s0, 'x', now);
    const id = ticketOf(out.decision).id;
    const snoozed = snooze(out.state, { siteKey: 'x' }, now + HOUR);
    const c1 = claim(plain(), snoozed, id, now + MIN);
    expect(c1.decision).toEqual({ kind: 'denied', reason: 'snoozed', retryAt: now + HOUR });
    expect(c1.state.tickets[id]).toBeUndefined();

    const quiet = plain({ schedule: { mode: 'except', windows: [{ days: [], start: '12:00', end: '13:00' }] } });
    expect(claim(quiet, out.state, id, now + MIN).decision).toEqual({ kind: 'denied', reason: 'quiet-hours', retryAt: at(0, 13) });
    expect(claim(plain({ cadence: { dailyCap: 1 } }), { ...out.state, shownToday: 1 }, id, now).decision).toMatchObject({
      reason: 'daily-cap',
      retryAt: at(1, 0),
    });
    expect(claim(plain({ enabled: false }), out.state, id, now).decision).toMatchObject({ reason: 'disabled' });
    expect(claim(plain({ sites: { x: { enabled: false } } }), out.state, id, now).decision).toMatchObject({ reason: 'site-off' });
  });

  it('the daily cap resets at local midnight', () => {
    const set = plain({ cadence: { dailyCap: 2 } });
    let s = s0;
    const grants: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = now + i * HOUR; // runs into the next day
      const o = issue(set, s, 'x', t, mulberry32(i));
      s = o.state;
      if (o.decision.kind !== 'ticket') continue;
      const c = claim(set, s, o.decision.ticket.id, t);
      s = c.state;
      if (c.decision.kind !== 'granted') continue;
      // The tab places it: a pause.
      s = confirmPlaced(noteGrant(s, o.decision.ticket.id, { frameId: 'still:1', collectionId: 'still' }), o.decision.ticket.id, t, UTC).state;
      grants.push(t);
    }
    expect(grants).toEqual([now, now + HOUR, at(1, 0), at(1, 1)]);
  });
});

describe('recordProgress and normalize', () => {
  const now = at(0, 12);

  it('counts posts per day, per session and since the last frame', () => {
    let s = initialState(now, UTC);
    s = recordProgress(s, 'x', 5, 20_000, now, UTC);
    s = recordProgress(s, 'x', 3, 10_000, now + MIN, UTC);
    s = recordProgress(s, 'reddit', 2, 5_000, now + MIN, UTC);
    expect(s.postsToday).toBe(10);
    expect(s.sessions.x).toEqual({ startedAt: now, lastActiveAt: now + MIN, posts: 8, activeMs: 30_000 });
    expect(s.postsSinceFrame).toEqual({ x: 8, reddit: 2 });
    // idle > 10 min: new session, but postsSinceFrame keeps counting
    s = recordProgress(s, 'x', 1, 1_000, now + 12 * MIN, UTC);
    expect(s.sessions.x).toEqual({ startedAt: now + 12 * MIN, lastActiveAt: now + 12 * MIN, posts: 1, activeMs: 1_000 });
    expect(s.postsSinceFrame.x).toBe(9);
    // junk input is ignored
    const same = recordProgress(s, 'x', -5, Number.NaN, now + 12 * MIN, UTC);
    expect(same.postsToday).toBe(s.postsToday);
    expect(same.sessions.x.activeMs).toBe(1_000);
  });

  it('normalize rolls the day over and drops what has lapsed', () => {
    let s = initialState(now, UTC);
    s = { ...s, shownToday: 4, postsToday: 100, lastShownAt: now };
    s = recordProgress(s, 'x', 1, 1, now, UTC);
    s = snooze(s, {}, now + 15 * MIN);
    s = snooze(s, { siteKey: 'x' }, now + HOUR);
    s = issue(plain(), s, 'reddit', now).state;
    const later = normalize(s, now + 31 * MIN, UTC);
    expect(later.snooze).toEqual({ allUntil: null, sites: { x: now + HOUR } });
    expect(later.tickets).toEqual({});
    expect(later.sessions).toEqual({});
    expect(later.shownToday).toBe(4);
    const tomorrow = normalize(s, at(1, 0), UTC);
    expect(tomorrow).toMatchObject({ day: '2025-03-04', shownToday: 0, postsToday: 0, lastShownAt: now });
    expect(tomorrow.snooze).toEqual({ allUntil: null, sites: {} });
  });

  it('loadState repairs garbage', () => {
    expect(loadState(undefined, now, UTC)).toEqual(initialState(now, UTC));
    expect(loadState({ version: 2 }, now, UTC)).toEqual(initialState(now, UTC));
    const s = loadState(
      { version: 1, day: '2025-03-03', shownToday: 'x', tickets: { a: { id: 'b' } }, bags: { c: ['a', 3] }, frameWeights: { f: 0.5, g: 'no' } },
      now,
      UTC,
    );
    expect(s).toMatchObject({ shownToday: 0, tickets: {}, bags: { c: ['a'] }, frameWeights: { f: 0.5 } });
    const good = issue(plain(), initialState(now, UTC), 'x', now).state;
    expect(loadState(JSON.parse(JSON.stringify(good)), now, UTC)).toEqual(good);
  });
});

describe('snooze', () => {
  const now = at(0, 12);
  it('snoozeUntil kinds', () => {
    expect(snoozeUntil('15m', now, UTC)).toBe(now + 15 * MIN);
    expect(snoozeUntil('1h', now, UTC)).toBe(now + HOUR);
    expect(snoozeUntil('today', now, UTC)).toBe(at(1, 0));
    expect(snoozeUntil('today', now, BEIJING)).toBe(at(0, 16));
  });
  it('clearSnooze: a site, or everything', () => {
    let s = initialState(now, UTC);
    s = snooze(snooze(snooze(s, {}, now + HOUR), { siteKey: 'x' }, now + HOUR), { siteKey: 'y' }, now + HOUR);
    expect(clearSnooze(s, { siteKey: 'x' }).snooze).toEqual({ allUntil: now + HOUR, sites: { y: now + HOUR } });
    expect(clearSnooze(s, {}).snooze).toEqual({ allUntil: null, sites: {} });
    // the latest request replaces the earlier one, even if shorter
    expect(snooze(s, {}, now + MIN).snooze.allUntil).toBe(now + MIN);
  });
});

describe('nextWakeAt', () => {
  const now = at(0, 12);
  const s0 = initialState(now, UTC);
  it('is the earliest lapse of anything holding frames back', () => {
    expect(nextWakeAt(plain(), s0, now, UTC)).toBeNull();
    expect(nextWakeAt(plain({ enabled: false }), snooze(s0, {}, now + MIN), now, UTC)).toBeNull();
    expect(nextWakeAt(plain(), snooze(snooze(s0, {}, now + HOUR), { siteKey: 'x' }, now + 20 * MIN), now, UTC)).toBe(now + 20 * MIN);
    expect(nextWakeAt(plain({ cadence: { dailyCap: 1 } }), { ...s0, shownToday: 1 }, now, UTC)).toBe(at(1, 0));
    expect(nextWakeAt(plain({ cadence: { minGapMinutes: 30 } }), { ...s0, lastShownAt: now - 10 * MIN }, now, UTC)).toBe(now + 20 * MIN);
    const quiet = plain({ schedule: { mode: 'except', windows: [{ days: [], start: '11:00', end: '13:00' }] } });
    expect(nextWakeAt(quiet, s0, now, UTC)).toBe(at(0, 13));
    // quiet hours not in force: nothing to wait for
    expect(nextWakeAt(quiet, s0, at(0, 14), UTC)).toBeNull();
    // lapsed snooze is ignored
    expect(nextWakeAt(plain(), snooze(s0, {}, now - 1), now, UTC)).toBeNull();
  });
  it('blockedReason mirrors issueTicket without issuing', () => {
    expect(blockedReason(plain(), s0, 'x', now, UTC)).toBeNull();
    expect(blockedReason(plain({ enabled: false }), s0, 'x', now, UTC)).toEqual({ reason: 'disabled', retryAt: null });
  });
  it('createScheduler binds a calendar', () => {
    const bj = createScheduler(BEIJING);
    expect(bj.initialState(at(0, 17)).day).toBe('2025-03-04');
    expect(settingsWith().cadence.everyPosts).toBe(25);
    expect(DAY).toBe(86_400_000);
  });
});
