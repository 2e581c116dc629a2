import { DEFAULT_OUTCOME, EXCLUSIONS, outcomeOf, type DecisionRow, type Exclusion, type OutcomeOptions } from './decision-points';
import {
  ClusterAccumulator,
  DEFAULT_BOOTSTRAP,
  beforeAfterOnly,
  verdictOf,
  wcls,
  type AnalysisPoint,
  type BootstrapOptions,
  type EffectEstimate,
  type Verdict,
} from './estimator';

/**
 * One call from logged decision points to the pause effect: the entry point for Insights (the
 * user's own shown and withheld decision points, clustered by session or day) and the shape the
 * study summary builds up row by row for many participants.
 */

export type Controls = 'log-before' | 'none';

/** The estimator's point for a decision row, or why the row does not count. */
export function analysisPoint(
  r: DecisionRow,
  cluster: string,
  stratum: string,
  controls: Controls = 'log-before',
  o: OutcomeOptions = DEFAULT_OUTCOME,
): { point: AnalysisPoint; unit: string } | { exclusion: Exclusion } {
  const out = outcomeOf(r, o);
  if (!out.included) return { exclusion: out.reason };
  return {
    point: { cluster, stratum, p: r.p_show as number, a: r.shown ? 1 : 0, y: out.y, g: controls === 'log-before' ? [out.logBefore] : [] },
    unit: out.unit,
  };
}

export interface PauseEffectOptions {
  /** The unit of resampling: participant in a study; session (default) or day for one person. */
  clusterOf?: (r: DecisionRow) => string;
  controls?: Controls;
  outcome?: OutcomeOptions;
  bootstrap?: BootstrapOptions;
  /** Leave out decision points whose before window overlaps the previous one's after window. */
  excludeOverlaps?: boolean;
}

export interface PauseEffect {
  /** Shown vs withheld (WCLS over 0 < p_show < 1). */
  effect: EffectEstimate;
  /** The before/after-only mean over shown points: no comparison, biased; for contrast only. */
  beforeAfterOnly: EffectEstimate;
  verdict: Verdict;
  exclusions: Record<Exclusion, number>;
  overlapping: number;
}

export function pauseEffect(rows: Iterable<DecisionRow>, opts: PauseEffectOptions = {}): PauseEffect {
  const clusterOf = opts.clusterOf ?? ((r: DecisionRow) => r.session_id || r.participant_id);
  const boot = opts.bootstrap ?? DEFAULT_BOOTSTRAP;
  const w = new ClusterAccumulator('wcls');
  const naive = new ClusterAccumulator('equal');
  const exclusions = Object.fromEntries(EXCLUSIONS.map((e) => [e, 0])) as Record<Exclusion, number>;
  let overlapping = 0;
  for (const r of rows) {
    const res = analysisPoint(r, clusterOf(r), r.arm, opts.controls, opts.outcome);
    if ('exclusion' in res) {
      exclusions[res.exclusion]++;
      continue;
    }
    if (r.overlaps_previous) {
      overlapping++;
      if (opts.excludeOverlaps) continue;
    }
    w.add(res.point);
    if (res.point.a === 1) naive.add({ ...res.point, g: [] });
  }
  const effect = wcls(w.clusters(), w.controls, boot);
  return { effect, beforeAfterOnly: beforeAfterOnly(naive.clusters(), boot), verdict: verdictOf(effect), exclusions, overlapping };
}
