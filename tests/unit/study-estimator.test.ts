// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  ClusterAccumulator,
  beforeAfterOnly,
  betweenArms,
  meanCi,
  outcomeOf,
  parseDecisionRow,
  pauseEffect,
  pctChange,
  tQuantile,
  verdictOf,
  wcls,
  type AnalysisPoint,
  type DecisionRow,
} from '@/utils/study/analysis';
import { mulberry32 } from '@/utils/frames/rng';

const NO_BOOT = { reps: 0, seed: 1, level: 0.95 };

function row(over: Partial<Record<keyof DecisionRow, unknown>> = {}): DecisionRow {
  return parseDecisionRow({
    participant_id: 'SF-A',
    arm: 'mrt',
    decision_id: 'd1',
    session_id: 's1',
    ts: '2026-03-02T09:00:00.000Z',
    p_show: '0.5',
    shown: 'true',
    available: 'true',
    censored: '',
    overlaps_previous: 'false',
    after_ms: '10000',
    velocity_before_px_s: '400',
    velocity_after_px_s: '200',
    posts_per_min_before: '30',
    posts_per_min_after: '15',
    ...(over as Record<string, string>),
  });
}

describe('small statistics', () => {
  it("Student's t quantiles match the tables", () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228, 3);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(tQuantile(0.025, 5)).toBeCloseTo(-2.571, 3);
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
  });

  it('a mean with its t interval', () => {
    const ci = meanCi([1, 2, 3, 4, 5]);
    expect(ci.mean).toBe(3);
    expect(ci.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(ci.ciLow).toBeCloseTo(3 - 2.776 * Math.sqrt(2.5 / 5), 2);
    expect(meanCi([7]).ciLow).toBeNull();
  });
});

describe('the proximal outcome of a decision point', () => {
  it('is ln((after + c) / (before + c)) on px/s when the page scrolls', () => {
    const o = outcomeOf(row());
    expect(o).toMatchObject({ included: true, unit: 'px/s' });
    if (o.included) expect(o.y).toBeCloseTo(Math.log(210 / 410), 12);
  });

  it('falls back to posts/min where the page does not scroll (inner panes)', () => {
    const o = outcomeOf(row({ velocity_before_px_s: '0', velocity_after_px_s: '0' }));
    expect(o).toMatchObject({ included: true, unit: 'posts/min' });
    if (o.included) expect(o.y).toBeCloseTo(Math.log(16 / 31), 12);
  });

  it('a full stop after the decision point is a large negative number, not −∞', () => {
    const o = outcomeOf(row({ velocity_after_px_s: '0' }));
    expect(o.included && o.y).toBeCloseTo(Math.log(10 / 410), 12);
  });

  it('says why a decision point cannot count', () => {
    expect(outcomeOf(row({ available: 'false', shown: 'false' }))).toEqual({ included: false, reason: 'unavailable' });
    expect(outcomeOf(row({ censored: 'tab_hidden', velocity_after_px_s: '' }))).toEqual({ included: false, reason: 'censored' });
    expect(outcomeOf(row({ velocity_after_px_s: '', posts_per_min_after: '' }))).toEqual({ included: false, reason: 'incomplete' });
    expect(outcomeOf(row({ velocity_before_px_s: '0', posts_per_min_before: '0' }))).toEqual({ included: false, reason: 'not_scrolling_before' });
    expect(outcomeOf(row({ p_show: '1.5' }))).toEqual({ included: false, reason: 'invalid_p_show' });
    expect(outcomeOf(row({ p_show: '0', shown: 'true' }))).toEqual({ included: false, reason: 'invalid_p_show' });
  });

  it('reads CSV text, JSONL values and database values alike', () => {
    const fromJson = parseDecisionRow({
      p_show: 0.25,
      shown: true,
      available: true,
      velocity_before_px_s: 300,
      velocity_after_px_s: null,
      overlaps_previous: false,
    });
    expect(fromJson).toMatchObject({ p_show: 0.25, shown: true, velocity_after_px_s: null, overlaps_previous: false });
    expect(parseDecisionRow({ after_ms: 10000n }).after_ms).toBe(10000);
  });
});

function acc(points: AnalysisPoint[], w: 'wcls' | 'equal') {
  const a = new ClusterAccumulator(w);
  for (const p of points) a.add(p);
  return a;
}

describe('WCLS: the causal excursion effect (Boruvka et al. 2018)', () => {
  it('with a constant p and no controls it is the difference of shown and withheld means', () => {
    const rng = mulberry32(3);
    const pts: AnalysisPoint[] = [];
    for (let i = 0; i < 400; i++) pts.push({ cluster: `c${i % 20}`, stratum: 'mrt', p: 0.5, a: rng() < 0.5 ? 1 : 0, y: rng() * 2 - 1, g: [] });
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const diff = mean(pts.filter((p) => p.a).map((p) => p.y)) - mean(pts.filter((p) => !p.a).map((p) => p.y));
    const a = acc(pts, 'wcls');
    expect(wcls(a.clusters(), a.controls, NO_BOOT).estimate).toBeCloseTo(diff, 10);
  });

  it('recovers an exact effect whatever p is, with controls (no noise: no error)', () => {
    const rng = mulberry32(9);
    const pts: AnalysisPoint[] = [];
    for (let i = 0; i < 300; i++) {
      const p = [0.2, 0.5, 0.8][i % 3];
      const x = rng() * 3;
      const a = rng() < p ? 1 : 0;
      pts.push({ cluster: `c${i % 30}`, stratum: 'mrt', p, a, y: 0.4 - 0.7 * x - 0.25 * a, g: [x] });
    }
    const a = acc(pts, 'wcls');
    const e = wcls(a.clusters(), a.controls, NO_BOOT);
    expect(e.estimate).toBeCloseTo(-0.25, 10);
    expect(e.seSandwich).toBeCloseTo(0, 8);
    expect(e.pTilde).toBeCloseTo(0.5, 10);
  });

  it('weights undo unequal probabilities: p = 0.8 for high-outcome people does not bias the effect', () => {
    // People with a high baseline are shown frames more often; without weights and centring a
    // naive difference of means would mix the baseline into the effect.
    const rng = mulberry32(11);
    const pts: AnalysisPoint[] = [];
    for (let c = 0; c < 200; c++) {
      const high = c % 2 === 0;
      const p = high ? 0.8 : 0.2;
      for (let j = 0; j < 40; j++) {
        const a = rng() < p ? 1 : 0;
        pts.push({ cluster: `c${c}`, stratum: high ? 'hi' : 'lo', p, a, y: (high ? 1 : 0) - 0.3 * a + (rng() - 0.5) * 0.2, g: [] });
      }
    }
    const naive = (() => {
      const m = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      return m(pts.filter((p) => p.a).map((p) => p.y)) - m(pts.filter((p) => !p.a).map((p) => p.y));
    })();
    expect(naive).toBeGreaterThan(0); // confounded by who gets p = 0.8
    const a = acc(pts, 'wcls');
    expect(wcls(a.clusters(), a.controls, NO_BOOT).estimate).toBeCloseTo(-0.3, 1);
  });

  it('leaves out p = 0 and p = 1 decision points and needs both shown and withheld ones', () => {
    const a = new ClusterAccumulator('wcls');
    expect(a.add({ cluster: 'x', stratum: 's', p: 0, a: 0, y: 1, g: [] })).toBe(false);
    expect(a.add({ cluster: 'x', stratum: 's', p: 1, a: 1, y: 1, g: [] })).toBe(false);
    expect(a.add({ cluster: 'x', stratum: 's', p: 0.5, a: 1, y: 1, g: [] })).toBe(true);
    const e = wcls(a.clusters(), a.controls, NO_BOOT);
    expect(e.estimate).toBeNull();
    expect(e.note).toMatch(/both shown and withheld/);
  });

  it('the participant-clustered bootstrap is reproducible from its seed', () => {
    const rng = mulberry32(5);
    const pts: AnalysisPoint[] = [];
    for (let i = 0; i < 600; i++) pts.push({ cluster: `c${i % 30}`, stratum: i % 60 < 30 ? 'a' : 'b', p: 0.5, a: rng() < 0.5 ? 1 : 0, y: rng(), g: [rng()] });
    const a = acc(pts, 'wcls');
    const one = wcls(a.clusters(), a.controls, { reps: 200, seed: 42, level: 0.95 });
    const again = wcls(a.clusters(), a.controls, { reps: 200, seed: 42, level: 0.95 });
    const other = wcls(a.clusters(), a.controls, { reps: 200, seed: 43, level: 0.95 });
    expect(again.ciLow).toBe(one.ciLow);
    expect(again.ciHigh).toBe(one.ciHigh);
    expect(other.ciLow).not.toBe(one.ciLow);
    expect(one.ciLow!).toBeLessThan(one.estimate!);
    expect(one.ciHigh!).toBeGreaterThan(one.estimate!);
    expect(one.bootstrapReps).toBe(200);
    // The bootstrap and the sandwich agree on the size of the uncertainty.
    expect(one.bootSe! / one.seSandwich!).toBeGreaterThan(0.7);
    expect(one.bootSe! / one.seSandwich!).toBeLessThan(1.4);
  });
});

describe('between-arm contrast and the before/after-only mean', () => {
  it('compares the decision points of an arm with frames against a p = 0 arm', () => {
    const pts: AnalysisPoint[] = [];
    for (let c = 0; c < 20; c++)
      for (let j = 0; j < 5; j++)
        pts.push({ cluster: `c${c}`, stratum: c < 10 ? 'frames' : 'control', p: c < 10 ? 1 : 0, a: c < 10 ? 1 : 0, y: (c < 10 ? -0.2 : 0) + j * 0.01, g: [] });
    const a = acc(pts, 'equal');
    expect(betweenArms(a.clusters(), a.controls, 'frames', 'control', NO_BOOT).estimate).toBeCloseTo(-0.2, 10);
    expect(betweenArms(a.clusters(), a.controls, 'frames', 'nobody', NO_BOOT).note).toMatch(/both arms/);
  });

  it('before/after-only is the plain mean over shown decision points', () => {
    const a = new ClusterAccumulator('equal');
    [0.1, -0.5, -0.2].forEach((y, i) => a.add({ cluster: `c${i}`, stratum: 's', p: 1, a: 1, y, g: [] }));
    a.add({ cluster: 'c9', stratum: 's', p: 0, a: 0, y: 5, g: [] });
    expect(beforeAfterOnly(a.clusters(), NO_BOOT).estimate).toBeCloseTo(-0.2, 12);
  });
});

describe('what a person can be told', () => {
  it('says the data cannot tell yet until there are enough clusters and points', () => {
    const rows: DecisionRow[] = [];
    for (let i = 0; i < 8; i++) rows.push(row({ decision_id: `d${i}`, session_id: `s${i % 3}`, shown: i % 2 ? 'true' : 'false' }));
    const r = pauseEffect(rows, { bootstrap: { reps: 50, seed: 1, level: 0.95 } });
    expect(r.verdict).toBe('too-little-data');
  });

  it('a clear slow-down, a clear speed-up, and no clear difference', () => {
    const base = {
      estimate: -0.2,
      seSandwich: 0.05,
      sandwichCiLow: -0.3,
      sandwichCiHigh: -0.1,
      ciLow: -0.3,
      ciHigh: -0.1,
      bootSe: 0.05,
      bootstrapReps: 999,
      bootstrapFailed: 0,
      seed: 1,
      clusters: 30,
      points: 900,
      shown: 450,
      withheld: 450,
      pTilde: 0.5,
      note: '',
    };
    expect(verdictOf(base)).toBe('slower');
    expect(verdictOf({ ...base, estimate: 0.2, ciLow: 0.1, ciHigh: 0.3 })).toBe('faster');
    expect(verdictOf({ ...base, ciHigh: 0.05 })).toBe('no-clear-difference');
    expect(verdictOf({ ...base, clusters: 4 })).toBe('too-little-data');
    expect(pctChange(Math.log(0.9))).toBeCloseTo(-10, 10);
  });
});

describe('utils/study/analysis runs anywhere (Insights in the extension, the CLI in Node)', () => {
  it('uses no Node or browser-only APIs', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = join(__dirname, '..', '..', 'utils', 'study', 'analysis');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/from ['"]node:|require\(|\bprocess\.|\bBuffer\b|\bdocument\.\w|\bwindow\.\w|\bchrome\.\w|\bbrowser\.\w/);
    }
  });
});

describe('cells against their dictionary types', () => {
  it('names the first cells that a database could not read', async () => {
    const { typeProblems } = await import('@/utils/study/analysis');
    const cols = ['n', 'i', 'b', 't', 's'];
    const types = ['number', 'integer', 'boolean', 'datetime', 'string'] as const;
    const good = { n: '-1.5e3', i: '42', b: 'true', t: '2026-03-02T09:00:00.000Z', s: '=anything' };
    expect(typeProblems('x', cols, [...types], [good, { n: '', i: '', b: '', t: '', s: '' }])).toEqual([]);
    expect(typeProblems('x', cols, [...types], [{ ...good, n: 'NaN', i: '4.2', b: 'yes' }])).toEqual([
      'csv/x.csv row 2, n: "NaN" is not a valid number',
      'csv/x.csv row 2, i: "4.2" is not a valid integer',
      'csv/x.csv row 2, b: "yes" is not a valid boolean',
    ]);
    expect(typeProblems('x', cols, [...types], [{ ...good, t: '2026-02-31T00:00:00Z' }])).toHaveLength(1);
  });
});
