import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@/utils/schedule/rng';
import type { EventRecord } from '@/utils/storage/schema';
import { MIN_DAYS, MIN_EACH, decisionRow, decisionRows, pauseEffect, percentChange } from '@/utils/pages/pause-effect';
import { outcomeOf } from '@/utils/study/analysis/decision-points';

/**
 * What Insights may say about the pause effect (with the study analysis's estimator): moments
 * with a pause against moments when one was skipped at random. A simulated reader with bursty
 * scrolling — fast stretches followed by slow ones whatever happens — shows a large before/after
 * "slow-down" at every due moment; only the comparison with skipped moments tells whether the
 * pause did anything.
 */

const DAY = 86_400_000;
const T0 = new Date(2026, 2, 2, 9, 0, 0).getTime();

/**
 * Decision points over `days` days. Before each, the reader was in a fast burst (300–500 px/s
 * over 20 s); after, speed regresses toward the mean (100–200 px/s) — times `effect` if the
 * pause was shown. 90 % shown, as with the comparison on.
 */
function simulate(opts: { days: number; perDay: number; effect: number; seed: number }): EventRecord[] {
  const rng = mulberry32(opts.seed);
  const out: EventRecord[] = [];
  for (let d = 0; d < opts.days; d++) {
    for (let k = 0; k < opts.perDay; k++) {
      const shown = rng() < 0.9;
      const before = (300 + rng() * 200) * 20;
      const after = (100 + rng() * 100) * 20 * (shown ? opts.effect : 1);
      out.push({
        ts: T0 + d * DAY + k * 60_000,
        type: 'decision',
        siteKey: 'x',
        decision: {
          id: `d${d}-${k}`,
          pShow: 0.9,
          shown,
          windowMs: 20_000,
          before: { ms: 20_000, posts: 6, pxTravelled: Math.round(before), pxNet: Math.round(before) },
          after: { ms: 20_000, posts: 2, pxTravelled: Math.round(after), pxNet: Math.round(after) },
          censored: null,
          overlapsPrevious: false,
        },
      });
    }
  }
  return out;
}

describe('pause effect for Insights', () => {
  it('with little data it says it cannot tell yet, whatever the before/after numbers look like', () => {
    const e = pauseEffect(decisionRows(simulate({ days: 2, perDay: 20, effect: 1, seed: 1 })));
    expect(e.skipped).toBeLessThan(MIN_EACH);
    expect(e.verdict).toBe('not-enough');
    expect(e.ratio).toBeNull();
    // The naive before/after change is large in both groups (regression to the mean) …
    expect(e.shownChange!).toBeLessThan(0.5);
    // … and many moments on too few days are not enough either (days are not independent).
    const fewDays = pauseEffect(decisionRows(simulate({ days: MIN_DAYS - 1, perDay: 60, effect: 0.5, seed: 2 })));
    expect(fewDays.skipped).toBeGreaterThanOrEqual(MIN_EACH);
    expect(fewDays.verdict).toBe('not-enough');
  });

  it('no effect at all: both groups slow down alike, and the interval covers "no change" (in about 95 % of simulated readers)', () => {
    let covers = 0;
    const seeds = 20;
    for (let seed = 1; seed <= seeds; seed++) {
      const e = pauseEffect(decisionRows(simulate({ days: 20, perDay: 15, effect: 1, seed })), { rounds: 400 });
      if (e.verdict === 'not-enough') continue; // not enough skipped moments drawn: it says so, and claims nothing
      expect(e.shown).toBeGreaterThan(MIN_EACH);
      expect(e.skipped).toBeGreaterThanOrEqual(MIN_EACH);
      expect(e.shownChange!).toBeLessThan(0.5); // "60 % slower after than before" — with no effect at all
      expect(e.skippedChange!).toBeLessThan(0.5);
      if (e.low! <= 1 && e.high! >= 1) {
        covers++;
        expect(e.verdict).toBe('unclear');
      }
    }
    expect(covers).toBeGreaterThanOrEqual(17);
  });

  it('a real effect (30 % slower after a pause) is found, and the interval holds it', () => {
    const e = pauseEffect(decisionRows(simulate({ days: 20, perDay: 15, effect: 0.7, seed: 11 })));
    expect(e.verdict).toBe('slower');
    // The floor of 10 px/s pulls the ratio a little toward 1: 0.7 on the raw scale is about 0.72 here.
    expect(e.ratio!).toBeGreaterThan(0.62);
    expect(e.ratio!).toBeLessThan(0.8);
    expect(e.low!).toBeLessThan(0.72);
    expect(e.high!).toBeGreaterThan(0.72);
    expect(e.high!).toBeLessThan(1);
    expect(percentChange(e.ratio!)).toBeLessThan(-20);
  });

  it('counts only complete windows of decision points that could go either way, while the reader was scrolling', () => {
    const base = {
      id: 'd',
      pShow: 0.9,
      shown: true,
      windowMs: 20_000,
      before: { ms: 20_000, posts: 5, pxTravelled: 2000, pxNet: 2000 },
      after: { ms: 20_000, posts: 2, pxTravelled: 500, pxNet: 500 },
      censored: null,
    };
    const y = (d: typeof base | any) => {
      const o = outcomeOf(decisionRow(T0, d));
      return o.included ? o.y : null;
    };
    expect(y(base)).toBeCloseTo(Math.log((25 + 10) / (100 + 10)), 10);
    expect(y({ ...base, censored: 'hidden' })).toBeNull();
    expect(y({ ...base, after: null })).toBeNull();
    expect(y({ ...base, before: undefined, after: undefined })).toBeNull(); // never measured
    expect(y({ ...base, before: { ms: 20_000, posts: 0, pxTravelled: 0, pxNet: 0 } })).toBeNull();
    expect(y({ ...base, before: { ms: 4000, posts: 3, pxTravelled: 900, pxNet: 900 } })).toBeNull(); // a window too short
    // An inner-pane site (no page scrolling): posts a minute instead of pixels.
    expect(y({ ...base, before: { ms: 20_000, posts: 6, pxTravelled: 0, pxNet: 0 }, after: { ms: 20_000, posts: 3, pxTravelled: 0, pxNet: 0 } })).toBeCloseTo(
      Math.log((9 + 1) / (18 + 1)),
      10,
    );
    // Periods with the skips off (p_show 1) are not compared.
    const onlyShown = simulate({ days: 20, perDay: 15, effect: 1, seed: 5 }).map((e) => ({ ...e, decision: { ...e.decision!, pShow: 1, shown: true } }));
    expect(pauseEffect(decisionRows(onlyShown))).toMatchObject({ verdict: 'not-enough', shown: 0, skipped: 0 });
  });

  it('is deterministic (seeded bootstrap)', () => {
    const points = decisionRows(simulate({ days: 10, perDay: 15, effect: 0.8, seed: 3 }));
    expect(pauseEffect(points)).toEqual(pauseEffect(points));
  });
});
