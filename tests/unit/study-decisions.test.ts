import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confirmPlaced, issueTicket, noteGrant } from '@/utils/schedule/tickets';
import { initialState } from '@/utils/schedule/scheduler-state';
import { snooze } from '@/utils/schedule/snooze';
import { decideClaim, drawShown, pShowOutsideStudy, COMPARISON_SKIP_SHARE, type ClaimInput } from '@/utils/schedule/decision';
import { mulberry32 } from '@/utils/schedule/rng';
import type { SchedulerState } from '@/utils/schedule/types';
import { allocateArm, allocationSeed, canonicalJson, codeSha256, normaliseCode, protocolHash } from '@/utils/study/allocation';
import { effectiveSettings, hash53 } from '@/utils/study/arms';
import { armPShow, validateProtocol, type Protocol } from '@/utils/study/protocol';
import { UTC, MIN, at, plain } from './schedule-helpers';

/**
 * Decision points (utils/schedule/decision.ts) and allocation (utils/study/allocation.ts):
 * the probability of showing is honoured, every decision point is a decision either way, and
 * a participant's arm can be recomputed from the protocol and the seed plus id or code.
 */

const EXAMPLE = readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8');
const example = (): Protocol => (validateProtocol(EXAMPLE) as { ok: true; protocol: Protocol }).protocol;
const CANDIDATES = [
  { id: 'still:1', collectionId: 'still' },
  { id: 'still:2', collectionId: 'still' },
];

/** A state holding one fresh ticket for `demo`. */
function withTicket(settings = plain(), now = at(0, 10), state: SchedulerState = initialState(now, UTC)) {
  const r = issueTicket(settings, state, 'demo', now, () => 0.5, UTC);
  if (r.decision.kind !== 'ticket') throw new Error(`no ticket: ${r.decision.reason}`);
  return { state: r.state, ticket: r.decision.ticket };
}

function claim(over: Partial<ClaimInput> & { state: SchedulerState; ticketId: string }) {
  return decideClaim({
    settings: plain(),
    siteKey: 'demo',
    now: at(0, 10, 1),
    rng: () => 0.5,
    candidates: CANDIDATES,
    pShow: 1,
    study: false,
    cal: UTC,
    ...over,
  });
}

describe('the draw at a decision point', () => {
  it('p = 1 always shows and p = 0 never does, without using the generator', () => {
    const rng = () => {
      throw new Error('not used');
    };
    expect(drawShown(1, rng)).toBe(true);
    expect(drawShown(0, rng)).toBe(false);
  });

  it('honours p over many draws (property: any p, any seed, within 4 standard deviations)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (p, seed) => {
        const rng = mulberry32(seed);
        const n = 4000;
        let shown = 0;
        for (let i = 0; i < n; i++) if (drawShown(p, rng)) shown++;
        const sd = Math.sqrt(n * p * (1 - p));
        return Math.abs(shown - n * p) < 4 * sd;
      }),
      { numRuns: 40 },
    );
  });

  it('outside a study 1 in 10 due pauses is skipped while the comparison is on, none when off', () => {
    expect(pShowOutsideStudy({ compareWithSkips: true })).toBeCloseTo(1 - COMPARISON_SKIP_SHARE, 10);
    expect(pShowOutsideStudy({ compareWithSkips: false })).toBe(1);
  });
});

describe('decideClaim: every due moment is a decision point, shown or withheld', () => {
  it('shown: the frame, on its way (a pause once the tab placed it); the next ticket comes with it', () => {
    const { state, ticket } = withTicket();
    const r = claim({ state, ticketId: ticket.id, pShow: 1 });
    expect(r.outcome.kind).toBe('shown');
    expect(r.state.shownToday).toBe(0);
    expect(r.state.granted[ticket.id]).toMatchObject({ placed: false });
    expect(r.outcome.kind === 'shown' && r.outcome.next).toBeTruthy();
    const frameId = r.outcome.kind === 'shown' ? r.outcome.frameId : '';
    const placedState = confirmPlaced(noteGrant(r.state, ticket.id, { frameId, collectionId: 'x' }), ticket.id, at(0, 10, 2), UTC).state;
    expect(placedState.shownToday).toBe(1);
    expect(placedState.lastShownAt).toBe(at(0, 10, 2));
  });

  it('withheld (p = 0, a control arm): a decision point that spends nothing — no cap, no minimum gap, no "posts since your last pause"', () => {
    const { state: s0, ticket } = withTicket();
    const state = { ...s0, postsSinceFrame: { demo: 17 } };
    const r = claim({ state, ticketId: ticket.id, pShow: 0, study: true });
    expect(r.outcome).toMatchObject({ kind: 'withheld', postsSince: 17 });
    expect(r.state.shownToday).toBe(0);
    expect(r.state.lastShownAt).toBeNull();
    expect(r.state.postsSinceFrame.demo).toBe(17);
    expect(r.state.tickets[ticket.id]).toBeUndefined(); // spent: the same decision point is never drawn twice
    expect(r.outcome.kind === 'withheld' && r.outcome.next).toBeTruthy();
    expect(r.state.bags).toEqual(state.bags); // no frame was taken from the bag
  });

  it('the share shown follows p over many claims (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(0.25, 0.5, 0.8), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (p, seed) => {
        const rng = mulberry32(seed);
        let state = initialState(at(0, 10), UTC);
        let shown = 0;
        const n = 300;
        for (let i = 0; i < n; i++) {
          const now = at(0, 10) + i * 1000;
          const t = issueTicket(plain(), state, 'demo', now, rng, UTC);
          if (t.decision.kind !== 'ticket') return false;
          const r = decideClaim({
            settings: plain(),
            state: t.state,
            ticketId: t.decision.ticket.id,
            siteKey: 'demo',
            now,
            rng,
            candidates: CANDIDATES,
            pShow: p,
            study: true,
            cal: UTC,
          });
          if (r.outcome.kind === 'shown') shown++;
          else if (r.outcome.kind !== 'withheld') return false; // every claim is a decision, one way or the other
          state = r.state;
        }
        return Math.abs(shown - n * p) < 4 * Math.sqrt(n * p * (1 - p));
      }),
      { numRuns: 5 },
    );
  }, 30_000);

  it('in a study, a moment a frame cannot be delivered (snoozed) is logged as unavailable, and the next ticket comes anyway', () => {
    const { state: s0, ticket } = withTicket();
    const state = snooze(s0, {}, at(0, 11));
    const inStudy = claim({ state, ticketId: ticket.id, study: true });
    expect(inStudy.outcome).toMatchObject({ kind: 'unavailable', reason: 'snoozed' });
    expect(inStudy.outcome.kind === 'unavailable' && inStudy.outcome.next).toBeTruthy();
    // Outside a study the same claim is simply refused, and no ticket comes while snoozed.
    const outside = claim({ state, ticketId: ticket.id, study: false });
    expect(outside.outcome).toMatchObject({ kind: 'denied', reason: 'snoozed', ticket: null });
  });

  it('the minimum gap: outside a study the ticket waits; in a study the moment is unavailable and counting goes on', () => {
    const settings = plain({ cadence: { minGapMinutes: 10 } });
    const { state: s0, ticket } = withTicket(settings);
    const state = { ...s0, lastShownAt: at(0, 10) - MIN };
    const outside = claim({ settings, state, ticketId: ticket.id });
    expect(outside.outcome).toMatchObject({ kind: 'denied', reason: 'min-gap', ticket: { id: ticket.id } });
    const inStudy = claim({ settings, state, ticketId: ticket.id, study: true });
    expect(inStudy.outcome).toMatchObject({ kind: 'unavailable', reason: 'min-gap' });
    expect(inStudy.state.tickets[ticket.id]).toBeUndefined();
  });

  it('nothing to show: outside a study no budget is spent; in a study the moment is logged as unavailable — except in a control arm, which needs no frame', () => {
    const { state, ticket } = withTicket();
    expect(claim({ state, ticketId: ticket.id, candidates: [] }).outcome).toMatchObject({ kind: 'denied', reason: 'no-frame' });
    expect(claim({ state, ticketId: ticket.id, candidates: [], study: true }).outcome).toMatchObject({ kind: 'unavailable', reason: 'no-frame' });
    expect(claim({ state, ticketId: ticket.id, candidates: [], study: true, pShow: 0 }).outcome).toMatchObject({ kind: 'withheld' });
  });

  it('an unknown ticket is never a decision point; a spent one answers the decision made (its reply was lost), never a second one', () => {
    const { state, ticket } = withTicket();
    expect(claim({ state, ticketId: 'nope', study: true }).outcome).toMatchObject({ kind: 'denied', reason: 'unknown-ticket' });
    const first = claim({ state, ticketId: ticket.id, study: true });
    const again = claim({ state: first.state, ticketId: ticket.id, study: true });
    expect(again.outcome).toMatchObject({ kind: 'replayed' });
    expect(again.state.bags).toEqual(first.state.bags);
    // A withheld one is replayed as withheld.
    const w = withTicket();
    const held = claim({ state: w.state, ticketId: w.ticket.id, pShow: 0, study: true });
    expect(claim({ state: held.state, ticketId: w.ticket.id, pShow: 0, study: true }).outcome).toMatchObject({ kind: 'replayed', grant: { withheld: true } });
  });

  it('tickets during a study come whatever holds frames back, but not without any decision points', () => {
    const now = at(0, 10);
    const snoozed = snooze(initialState(now, UTC), {}, now + 60 * MIN);
    expect(issueTicket(plain({ enabled: false }), snoozed, 'demo', now, () => 0.5, UTC, { ignoreGates: true }).decision.kind).toBe('ticket');
    expect(issueTicket(plain(), snoozed, 'demo', now, () => 0.5, UTC).decision).toMatchObject({ kind: 'none', reason: 'snoozed' });
    expect(
      issueTicket(plain({ cadence: { everyPosts: 0, everyMinutes: 0 } }), snoozed, 'demo', now, () => 0.5, UTC, { ignoreGates: true }).decision,
    ).toMatchObject({ kind: 'none', reason: 'cadence-off' });
  });
});

describe('allocation: recomputable from the protocol, the seed and the participant id or code', () => {
  it('the value is cyrb53(seed \\0 key) / 2^53 and the arm the weighted interval holding it', async () => {
    const p = example();
    const r = await allocateArm(p, { participantId: 'SF-7K3M-Q9XP-2WDA-H4TZ' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const u = hash53(`feed-friction-pilot\u0000SF-7K3M-Q9XP-2WDA-H4TZ`) / 2 ** 53;
    expect(r.allocation.value).toBe(u);
    const total = p.arms.reduce((s, a) => s + a.weight, 0);
    let x = u * total;
    const expected = p.arms.find((a) => (x < a.weight ? true : ((x -= a.weight), false)))!;
    expect(r.allocation.arm).toBe(expected.id);
  });

  it('is reproducible from seed + code (property: any code gives the same arm every time, whoever enters it)', async () => {
    const p = example();
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Z0-9]{4,12}$/), fc.stringMatching(/^[A-Z0-9]{4}$/), async (code, other) => {
        const a = await allocateArm(p, { participantId: 'SF-AAAA-AAAA-AAAA-AAAA', code });
        const b = await allocateArm(p, { participantId: `SF-${other}-${other}-${other}-${other}`, code: code.toLowerCase().replace(/(.{2})/, '$1-') });
        return a.ok && b.ok && a.allocation.arm === b.allocation.arm && a.allocation.value === b.allocation.value && a.allocation.key === 'enrolment_code';
      }),
      { numRuns: 60 },
    );
  });

  it('a different seed allocates afresh; the default seed is the study id', async () => {
    const p = example();
    expect(allocationSeed(p)).toBe('feed-friction-pilot');
    const seeded = { ...p, randomisation: { ...p.randomisation, seed: 'another-seed' } };
    let differ = 0;
    for (let i = 0; i < 200; i++) {
      const id = `SF-${String(i).padStart(4, '0')}-0000-0000-0000`;
      const a = await allocateArm(p, { participantId: id });
      const b = await allocateArm(seeded, { participantId: id });
      if (a.ok && b.ok && a.allocation.arm !== b.allocation.arm) differ++;
    }
    expect(differ).toBeGreaterThan(90); // independent draws over 3 equal arms differ about 2/3 of the time
  });

  it('a list allocation is a lookup of the code\u2019s SHA-256; codes are compared without case, spaces or dashes', async () => {
    const p = example();
    const list = {
      ...p,
      enrolment: { codes: 'required' as const },
      randomisation: { method: 'list' as const, list: [{ codeSha256: await codeSha256(p.studyId, 'x7-y8'), arm: 'every-50', stratum: 's1' }] },
    };
    expect(normaliseCode(' x7 - y8 ')).toBe('X7Y8');
    expect(await allocateArm(list, { participantId: 'SF-A', code: 'X7Y8' })).toEqual({
      ok: true,
      allocation: { arm: 'every-50', method: 'list', value: 0, seed: 'list', key: 'enrolment_code', stratum: 's1' },
    });
    expect(await allocateArm(list, { participantId: 'SF-A', code: 'X7Y9' })).toEqual({ ok: false, reason: 'code-unknown' });
    expect(await allocateArm(list, { participantId: 'SF-A' })).toEqual({ ok: false, reason: 'code-required' });
  });

  it('the protocol hash ignores layout and key order, and changes with any field', async () => {
    const p = example();
    const reordered = JSON.parse(canonicalJson(p));
    const shuffled = Object.fromEntries(Object.entries(reordered).reverse());
    expect(canonicalJson(shuffled)).toBe(canonicalJson(p));
    expect(await protocolHash(shuffled as Protocol)).toBe(await protocolHash(p));
    expect(await protocolHash({ ...p, version: '1.0.1' })).not.toBe(await protocolHash(p));
  });
});

describe('effectiveSettings: the arm fixes the whole dose', () => {
  const mine = plain({
    cadence: { everyPosts: 33, dailyCap: 4, escalateAfterMinutes: 10 },
    schedule: { mode: 'except', windows: [{ days: [], start: '22:00', end: '07:00' }] },
    sites: { x: { enabled: true, everyPosts: 12 } },
  });

  it('with the cadence locked (the default), fields the arm leaves out are Stillframe\u2019s defaults, not the participant\u2019s', () => {
    const p = example();
    const eff = effectiveSettings(mine, p.arms[1], p);
    expect(eff.cadence.everyPosts).toBe(20);
    expect(eff.cadence.dailyCap).toBe(0);
    expect(eff.cadence.escalateAfterMinutes).toBe(0);
    expect(eff.sites.x.everyPosts).toBeUndefined();
    expect(eff.schedule).toEqual(mine.schedule); // quiet hours stay the participant's unless locked
  });

  it('a control arm has decision points at the protocol\u2019s cadence (its p_show is 0)', () => {
    const p = example();
    const eff = effectiveSettings(mine, p.arms[0], p);
    expect(eff.cadence.everyPosts).toBe(20);
    expect(eff.cadence.jitterPct).toBe(20);
    expect(armPShow(p.arms[0])).toBe(0);
    expect(armPShow(p.arms[1])).toBe(0.8);
  });

  it('locked quiet hours replace the participant\u2019s (none when the arm sets none)', () => {
    const p = { ...example(), lock: { cadence: true, schedule: true } };
    expect(effectiveSettings(mine, p.arms[2], p).schedule).toEqual({ mode: 'always', windows: [] });
    const arm = { ...p.arms[2], schedule: { mode: 'only' as const, windows: [{ days: [1], start: '09:00', end: '17:00' }] } };
    expect(effectiveSettings(mine, arm, p).schedule.mode).toBe('only');
  });

  it('without the lock the arm goes on top of the participant\u2019s own settings', () => {
    const p = { ...example(), lock: { cadence: false, schedule: false } };
    const eff = effectiveSettings(mine, p.arms[1], p);
    expect(eff.cadence.everyPosts).toBe(20);
    expect(eff.cadence.dailyCap).toBe(0); // the arm sets it
    expect(eff.cadence.escalateAfterMinutes).toBe(10); // the participant's
  });
});
