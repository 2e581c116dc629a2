import type { DecisionEventData, EventRecord } from '@/utils/storage/schema';
import { outcomeOf, type DecisionRow } from '@/utils/study/analysis/decision-points';
import { pauseEffect as estimate } from '@/utils/study/analysis/pause-effect';
import { localDay } from '@/utils/schedule/calendar';

/**
 * What Insights may honestly say about the pause effect, with the study analysis's own
 * estimator (utils/study/analysis/: the excursion effect by weighted, centred least squares and a
 * clustered bootstrap; docs/STUDY.md section 8). Moments with a pause are compared with moments
 * when one was due but skipped at random — a before/after change alone is not the effect: moments
 * picked in bursty scrolling are followed by slower scrolling with no pause at all.
 *
 * Here the decision points are one person's, from the general log; the unit of resampling is the
 * local day (moments of one day are not independent). It says it cannot tell yet below
 * MIN_EACH measured moments of each kind or MIN_DAYS days with data, and while the interval
 * includes no change. Pure and deterministic.
 */

export const MIN_EACH = 20;
export const MIN_DAYS = 10;
/**
 * The interval shown is the estimator's cluster-robust one (CR1 sandwich, t with days − 1 degrees
 * of freedom), not the bootstrap percentile interval: with one person's 10–30 days as clusters it
 * covers the truth 93–94 % of the time in simulations, where the percentile bootstrap covers only
 * 88–91 % (tests/unit/pause-effect.test.ts). The bootstrap still runs (a few replicates) because
 * the estimator always reports one.
 */
const BOOTSTRAP_ROUNDS = 100;

export type Verdict = 'not-enough' | 'unclear' | 'slower' | 'faster';

export interface PauseEffect {
  verdict: Verdict;
  /** Measured moments with a pause, and skipped ones (those that count). */
  shown: number;
  skipped: number;
  /** Days with counted moments. */
  days: number;
  /** Mean before→after change as a ratio of speeds (0.8 = 20 % slower after than before); null without data. */
  shownChange: number | null;
  skippedChange: number | null;
  /** The pause effect as a ratio of speeds after (with vs without a pause); null without an estimate. */
  ratio: number | null;
  /** 95 % interval of the ratio. */
  low: number | null;
  high: number | null;
}

const rate = (x: number, ms: number, per: number) => (ms > 0 ? (x * per) / ms : null);

/** A logged decision point as the estimator's row (the export's `decisions` columns), the day as its session. */
export function decisionRow(ts: number, d: DecisionEventData): DecisionRow {
  const b = d.before ?? null;
  const a = d.censored ? null : (d.after ?? null);
  // A window much shorter than intended (the feed was opened just before) does not count.
  const short = (w: { ms: number } | null) => !w || w.ms < d.windowMs / 2;
  return {
    participant_id: 'me',
    arm: 'me',
    decision_id: d.id,
    session_id: localDay(ts),
    ts: new Date(ts).toISOString(),
    p_show: d.pShow,
    shown: d.shown,
    available: true,
    // Not measured (the tab never reported, or a window too short) counts as censored.
    censored: d.censored ?? (d.before === undefined || short(b) ? 'not-measured' : ''),
    overlaps_previous: d.overlapsPrevious === true,
    survey_offered: false,
    after_ms: short(a) ? null : a!.ms,
    velocity_before_px_s: b ? rate(b.pxTravelled, b.ms, 1000) : null,
    velocity_after_px_s: a && !short(a) ? rate(a.pxTravelled, a.ms, 1000) : null,
    posts_per_min_before: b ? rate(b.posts, b.ms, 60_000) : null,
    posts_per_min_after: a && !short(a) ? rate(a.posts, a.ms, 60_000) : null,
  };
}

/** The decision points of the log in [from, to), as estimator rows, in time order. */
export function decisionRows(events: Iterable<Pick<EventRecord, 'ts' | 'type' | 'decision'>>, from = -Infinity, to = Infinity): DecisionRow[] {
  const out: Array<{ ts: number; row: DecisionRow }> = [];
  for (const e of events) {
    if (e.type !== 'decision' || !e.decision || !(e.ts >= from && e.ts < to)) continue;
    out.push({ ts: e.ts, row: decisionRow(e.ts, e.decision) });
  }
  return out.sort((x, y) => x.ts - y.ts).map((x) => x.row);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

/** The comparison Insights shows. */
export function pauseEffect(rows: DecisionRow[], opts: { minEach?: number; minDays?: number; rounds?: number } = {}): PauseEffect {
  // Only moments that could go either way are compared (periods with the skips off are not).
  const randomised = rows.filter((r) => r.p_show !== null && r.p_show > 0 && r.p_show < 1);
  const ys = { shown: [] as number[], skipped: [] as number[] };
  const days = new Set<string>();
  for (const r of randomised) {
    const o = outcomeOf(r);
    if (!o.included) continue;
    (r.shown ? ys.shown : ys.skipped).push(o.y);
    days.add(r.session_id);
  }
  const base = {
    shown: ys.shown.length,
    skipped: ys.skipped.length,
    days: days.size,
    shownChange: ys.shown.length ? Math.exp(mean(ys.shown)!) : null,
    skippedChange: ys.skipped.length ? Math.exp(mean(ys.skipped)!) : null,
  };
  const minEach = opts.minEach ?? MIN_EACH;
  const minDays = opts.minDays ?? MIN_DAYS;
  if (base.shown < minEach || base.skipped < minEach || base.days < minDays) return { ...base, verdict: 'not-enough', ratio: null, low: null, high: null };
  const e = estimate(randomised, { clusterOf: (r) => r.session_id, bootstrap: { reps: opts.rounds ?? BOOTSTRAP_ROUNDS, seed: 20260302, level: 0.95 } }).effect;
  const { estimate: est, sandwichCiLow: lo, sandwichCiHigh: hi } = e;
  if (est === null || lo === null || hi === null) return { ...base, verdict: 'not-enough', ratio: null, low: null, high: null };
  return { ...base, verdict: hi < 0 ? 'slower' : lo > 0 ? 'faster' : 'unclear', ratio: Math.exp(est), low: Math.exp(lo), high: Math.exp(hi) };
}

/** A ratio of speeds as a whole percentage change: 0.8 → -20 (slower), 1.1 → 10 (faster). */
export function percentChange(ratio: number): number {
  const pct = Math.round((ratio - 1) * 100);
  return Object.is(pct, -0) ? 0 : pct;
}
