import { describe, expect, it } from 'vitest';
import { assignArm, allocationPoint, effectiveSettings, hash53, newParticipantId, PARTICIPANT_ID_RE } from '@/utils/study/arms';
import { DEFAULT_SETTINGS, type Settings } from '@/utils/storage/settings';
import type { Arm } from '@/utils/study/protocol';

const ARMS3 = [
  { id: 'control', weight: 1 },
  { id: 'every-20', weight: 1 },
  { id: 'every-50', weight: 1 },
];

/** Deterministic "random" bytes for reproducible id streams (xorshift32). */
function seededBytes(seed: number) {
  let x = seed >>> 0 || 1;
  return (b: Uint8Array) => {
    for (let i = 0; i < b.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      b[i] = x & 0xff;
    }
    return b;
  };
}

function ids(n: number, seed = 7): string[] {
  const rnd = seededBytes(seed);
  return Array.from({ length: n }, () => newParticipantId(rnd));
}

function tally(list: string[], studyId: string, arms: Array<{ id: string; weight: number }>) {
  const counts: Record<string, number> = Object.fromEntries(arms.map((a) => [a.id, 0]));
  for (const id of list) counts[assignArm(id, studyId, arms).id]++;
  return counts;
}

describe('participant ids', () => {
  it('look like SF-XXXX-XXXX-XXXX-XXXX in Crockford base 32 and come from crypto.getRandomValues', () => {
    const a = newParticipantId();
    const b = newParticipantId();
    expect(a).toMatch(PARTICIPANT_ID_RE);
    expect(b).toMatch(PARTICIPANT_ID_RE);
    expect(a).not.toBe(b);
  });

  it('do not repeat over 20 000 draws', () => {
    const list = Array.from({ length: 20_000 }, () => newParticipantId());
    expect(new Set(list).size).toBe(list.length);
  });
});

describe('arm assignment', () => {
  it('is stable: the same participant and study always give the same arm', () => {
    for (const id of ids(200)) {
      const first = assignArm(id, 'feed-friction-pilot', ARMS3).id;
      for (let i = 0; i < 3; i++) expect(assignArm(id, 'feed-friction-pilot', ARMS3).id).toBe(first);
      // …and does not depend on object identity or order of calls
      expect(
        assignArm(
          id,
          'feed-friction-pilot',
          ARMS3.map((a) => ({ ...a })),
        ).id,
      ).toBe(first);
    }
  });

  it('depends on the study: the same participant is randomised afresh in another study', () => {
    const list = ids(2000);
    const same = list.filter((id) => assignArm(id, 'study-a', ARMS3).id === assignArm(id, 'study-b', ARMS3).id).length;
    // Independent draws agree about a third of the time.
    expect(same / list.length).toBeGreaterThan(0.28);
    expect(same / list.length).toBeLessThan(0.39);
  });

  it('is balanced over many ids (equal weights)', () => {
    const n = 30_000;
    const counts = tally(ids(n), 'feed-friction-pilot', ARMS3);
    for (const arm of ARMS3) {
      // Expected 10 000 each; 4 standard deviations ≈ ±330.
      expect(Math.abs(counts[arm.id] - n / 3), `${arm.id}: ${counts[arm.id]}`).toBeLessThan(330);
    }
  });

  it('follows the weights (1 : 2 : 5)', () => {
    const arms = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 2 },
      { id: 'c', weight: 5 },
    ];
    const n = 40_000;
    const counts = tally(ids(n, 99), 'weighted', arms);
    expect(counts.a / n).toBeCloseTo(1 / 8, 1);
    expect(counts.b / n).toBeCloseTo(2 / 8, 1);
    expect(counts.c / n).toBeCloseTo(5 / 8, 1);
    expect(Math.abs(counts.a - n / 8)).toBeLessThan(300);
    expect(Math.abs(counts.c - (5 * n) / 8)).toBeLessThan(450);
  });

  it('stays balanced for ids that differ in one character only', () => {
    const base = 'SF-AAAA-BBBB-CCCC-';
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const list: string[] = [];
    for (const a of alphabet) for (const b of alphabet) for (const c of alphabet.slice(0, 8)) list.push(`${base}${a}${b}${c}D`);
    const counts = tally(list, 'feed-friction-pilot', ARMS3);
    for (const arm of ARMS3) expect(Math.abs(counts[arm.id] - list.length / 3)).toBeLessThan(list.length * 0.04);
  });

  it('maps to [0, 1) uniformly enough (deciles)', () => {
    const deciles = new Array(10).fill(0);
    const list = ids(20_000, 3);
    for (const id of list) deciles[Math.floor(allocationPoint(id, 's') * 10)]++;
    for (const d of deciles) expect(Math.abs(d - 2000)).toBeLessThan(200);
  });

  it('handles one arm and refuses none', () => {
    expect(assignArm('SF-0000-0000-0000-0000', 's', [{ id: 'only', weight: 3 }]).id).toBe('only');
    expect(() => assignArm('x', 's', [])).toThrow();
  });

  it('hash53 is deterministic and spreads nearby strings', () => {
    expect(hash53('abc')).toBe(hash53('abc'));
    expect(hash53('abc')).not.toBe(hash53('abd'));
    expect(Number.isSafeInteger(hash53('anything'))).toBe(true);
  });
});

describe('effectiveSettings: the arm on top of the participant\u2019s settings', () => {
  const mine: Settings = {
    ...structuredClone(DEFAULT_SETTINGS),
    cadence: { ...DEFAULT_SETTINGS.cadence, everyPosts: 33, dailyCap: 4 },
    sites: { x: { enabled: true, everyPosts: 12 }, reddit: { enabled: false } },
    gentleHold: true,
  };
  const arm = (a: Partial<Arm>): Arm => ({ id: 'a', weight: 1, frames: true, ...a }) as Arm;

  it('changes nothing without a running study', () => {
    expect(effectiveSettings(mine, null)).toBe(mine);
  });

  it('control arm: frames off through the cadence (so feeds are still watched and logged), site overrides too', () => {
    const eff = effectiveSettings(mine, arm({ id: 'control', frames: false }));
    expect(eff.enabled).toBe(true);
    expect(eff.cadence.everyPosts).toBe(0);
    expect(eff.cadence.everyMinutes).toBe(0);
    expect(eff.sites.x.everyPosts).toBeUndefined();
    expect(eff.sites.x.enabled).toBe(true);
    expect(eff.sites.reddit.enabled).toBe(false); // the participant's own site switch stays theirs
  });

  it('cadence arm: its fields win, the rest stays the participant\u2019s', () => {
    const eff = effectiveSettings(mine, arm({ cadence: { everyPosts: 20, jitterPct: 0 }, gentleHold: false }));
    expect(eff.cadence.everyPosts).toBe(20);
    expect(eff.cadence.jitterPct).toBe(0);
    expect(eff.cadence.dailyCap).toBe(4);
    expect(eff.sites.x.everyPosts).toBeUndefined();
    expect(eff.gentleHold).toBe(false);
  });

  it('never changes the stored settings object', () => {
    const before = structuredClone(mine);
    effectiveSettings(mine, arm({ frames: false, cadence: { everyPosts: 5 } }));
    expect(mine).toEqual(before);
  });

  it('an arm without overrides keeps per-site every-N', () => {
    const eff = effectiveSettings(mine, arm({}));
    expect(eff.sites.x.everyPosts).toBe(12);
    expect(eff.cadence.everyPosts).toBe(33);
  });
});
