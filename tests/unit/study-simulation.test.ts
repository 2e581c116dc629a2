// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as A from '@/utils/study/analysis';
import { simulateStudy, type SimParticipant } from '@/utils/study/analysis/simulate';
import { summariseStudy } from '../../scripts/lib/study-merge.mjs';
import { simulate, tempDir, writeStudy } from './study-sim-helpers';

/**
 * Simulated studies with a known truth, run through the summary's merge (zips → DuckDB) and
 * the estimator: bursty scrolling and moment selection (utils/study/analysis/simulate.ts), no
 * effect at all, or an injected one. The exports are built in the decision-point contract's
 * layout by synthetic-export.ts (see the report of this branch on the store's own writer).
 */

async function run(participants: SimParticipant[], reps = 299) {
  const dir = tempDir();
  try {
    writeStudy(join(dir, 'zips'), participants);
    const r = await summariseStudy({ inputs: [join(dir, 'zips')], out: join(dir, 'out'), analysis: A, bootstrap: reps, seed: 7 });
    const effect = (name: string, treated?: string) => r.effects.find((e: any) => e.estimand === name && (!treated || e.treated_arm === treated));
    return { r, effect };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The true average effect at the decision points the estimator uses (randomised, with an outcome). */
function truth(ps: SimParticipant[], arm: string): number {
  const ds = ps.filter((p) => p.arm === arm).flatMap((p) => p.decisions.filter((d) => d.available && !d.censored && d.before.pxTravelled > 0));
  return ds.reduce((s, d) => s + d.trueEffect, 0) / ds.length;
}

const covers = (e: any, x: number) => e.ci_low <= x && x <= e.ci_high;

describe('a simulated study with no pause effect at all', () => {
  it('shown vs withheld: the 95 % CI covers 0; the old before/after-only figure shows a spurious slow-down', async () => {
    const ps = simulate(101, { effect: 0 });
    const { effect } = await run(ps);
    const primary = effect('excursion_effect')!;
    expect(primary.participants).toBe(24);
    expect(primary.shown).toBeGreaterThan(300);
    expect(primary.withheld).toBeGreaterThan(300);
    expect(covers(primary, 0), JSON.stringify(primary)).toBe(true);
    expect(covers(effect('between_arms', 'frames'), 0)).toBe(true);
    expect(covers(effect('between_arms', 'mrt'), 0)).toBe(true);
    // Moment selection and trends: the speed after a decision point is lower than before it
    // whether or not anything was shown, so the before/after-only mean is clearly negative.
    const naive = effect('before_after_only')!;
    expect(naive.ci_high).toBeLessThan(0);
    expect(naive.pct_change).toBeLessThan(-5);
  }, 60_000);

  it('across seeds, the 95 % interval covers 0 about 95 % of the time (estimator only, cheap)', () => {
    let covered = 0;
    let naiveCovered = 0;
    const seeds = 40;
    for (let seed = 1; seed <= seeds; seed++) {
      const ps = simulateStudy(seed, [{ id: 'mrt', p: 0.5, participants: 30 }], { effect: 0, decisions: 40 });
      const rows = ps.flatMap((p) =>
        p.decisions.map((d) =>
          A.parseDecisionRow({
            participant_id: p.participantId,
            arm: p.arm,
            p_show: d.p,
            shown: d.shown,
            available: d.available,
            censored: d.censored,
            overlaps_previous: d.overlapsPrevious,
            velocity_before_px_s: (d.before.pxTravelled * 1000) / d.before.ms,
            velocity_after_px_s: d.after ? (d.after.pxTravelled * 1000) / d.after.ms : null,
            posts_per_min_before: (d.before.posts * 60_000) / d.before.ms,
            posts_per_min_after: d.after ? (d.after.posts * 60_000) / d.after.ms : null,
          }),
        ),
      );
      const r = A.pauseEffect(rows, { clusterOf: (x) => x.participant_id, bootstrap: { reps: 199, seed, level: 0.95 } });
      if (r.effect.ciLow! <= 0 && 0 <= r.effect.ciHigh!) covered++;
      if (r.beforeAfterOnly.ciLow! <= 0 && 0 <= r.beforeAfterOnly.ciHigh!) naiveCovered++;
    }
    // Binomial(40, 0.95): at least 34 holds with probability > 0.99 if the intervals are honest.
    expect(covered).toBeGreaterThanOrEqual(34);
    expect(naiveCovered).toBeLessThanOrEqual(8);
  }, 60_000);
});

describe('a simulated study with an injected pause effect', () => {
  it('recovers the effect within its CI (shown vs withheld, and arm vs control)', async () => {
    const ps = simulate(202, { effect: -0.3 });
    const { effect } = await run(ps);
    const primary = effect('excursion_effect')!;
    const t = truth(ps, 'mrt');
    expect(t).toBeLessThan(-0.2);
    expect(covers(primary, t), `${t} in ${JSON.stringify(primary)}`).toBe(true);
    expect(primary.ci_high).toBeLessThan(0);
    expect(primary.verdict).toBe('slower');
    const frames = effect('between_arms', 'frames')!;
    expect(covers(frames, truth(ps, 'frames')), JSON.stringify(frames)).toBe(true);
  }, 60_000);
});
