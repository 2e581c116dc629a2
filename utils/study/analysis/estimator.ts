import { mixSeed, mulberry32 } from '@/utils/frames/rng';
import { quantileSorted, tQuantile } from './stats';

/**
 * The pause effect from decision points: the causal excursion effect of showing a frame rather
 * than withholding it at a decision point, estimated by weighted and centred least squares
 * (WCLS; Boruvka, Almirall, Witkiewitz & Murphy 2018, JASA 113(523)):
 *
 *     y = hᵀα + (A − p̃)·β + ε,   weight W = (p̃/p)^A · ((1 − p̃)/(1 − p))^(1−A)
 *
 * over decision points with 0 < p < 1, where A is 1 when the frame was shown, p its known
 * probability, p̃ the mean p (a constant: the marginal effect), h = [1, controls]. β is the
 * effect on y averaged over decision points; it stays unbiased when the control model h is
 * wrong, because A is randomised (the controls only buy precision).
 *
 * Also: a between-arm contrast of decision points (arms randomised between people with p = 0
 * vs p > 0: y = hᵀα + D·δ, D = 1 in the arm with frames), and the old before/after-only mean,
 * kept to show why comparison moments are needed.
 *
 * Everything is computed from per-cluster sufficient statistics (a cluster is a participant, or
 * a session or day for one person's own data), so a participant-clustered bootstrap over
 * 10,000 participants costs milliseconds per replicate, and rows can be streamed in once.
 * Pure: no Node or browser APIs.
 */

/** One decision point with its outcome, as the estimator needs it. */
export interface AnalysisPoint {
  /** Unit of resampling and of the robust variance: the participant. */
  cluster: string;
  /** The bootstrap resamples clusters within their stratum (the arm), keeping arm sizes. */
  stratum: string;
  /** p_show: the known probability the frame was shown. */
  p: number;
  /** 1 when shown. */
  a: 0 | 1;
  /** The proximal outcome (decision-points.ts). */
  y: number;
  /** Control covariates measured before the decision (the intercept is added). */
  g: readonly number[];
}

/** Weighted sums over one cluster's rows with the same treatment value. */
interface Group {
  w: number;
  rows: number;
  /** Σ w·h, Σ w·h hᵀ (row-major), Σ w·h·y, Σ w·y */
  s: Float64Array;
  S: Float64Array;
  u: Float64Array;
  v: number;
}

export interface ClusterStats {
  id: string;
  stratum: string;
  /** Index 0: withheld, 1: shown. */
  groups: [Group, Group];
  rows: number;
  sumP: number;
}

function group(k: number): Group {
  return { w: 0, rows: 0, s: new Float64Array(k), S: new Float64Array(k * k), u: new Float64Array(k), v: 0 };
}

function addTo(gr: Group, h: readonly number[], y: number, w: number): void {
  const k = h.length;
  gr.w += w;
  gr.rows++;
  gr.v += w * y;
  for (let i = 0; i < k; i++) {
    gr.s[i] += w * h[i];
    gr.u[i] += w * h[i] * y;
    for (let j = 0; j < k; j++) gr.S[i * k + j] += w * h[i] * h[j];
  }
}

export type Weighting = 'wcls' | 'equal';

/**
 * Collects per-cluster sums, one point at a time (rows may arrive in any order).
 * 'wcls' keeps only 0 < p < 1 and weighs a row by 1/p (shown) or 1/(1 − p) (withheld);
 * 'equal' keeps every row with weight 1 (between-arm contrast, before/after mean).
 */
export class ClusterAccumulator {
  private readonly map = new Map<string, ClusterStats>();
  private k = -1;
  constructor(readonly weighting: Weighting) {}

  add(pt: AnalysisPoint): boolean {
    if (!Number.isFinite(pt.y) || !pt.g.every(Number.isFinite)) return false;
    if (this.weighting === 'wcls' && !(pt.p > 0 && pt.p < 1)) return false;
    const h = [1, ...pt.g];
    if (this.k === -1) this.k = h.length;
    else if (this.k !== h.length) throw new Error('every point needs the same control covariates');
    let c = this.map.get(pt.cluster);
    if (!c) {
      c = { id: pt.cluster, stratum: pt.stratum, groups: [group(this.k), group(this.k)], rows: 0, sumP: 0 };
      this.map.set(pt.cluster, c);
    }
    const w = this.weighting === 'wcls' ? (pt.a ? 1 / pt.p : 1 / (1 - pt.p)) : 1;
    addTo(c.groups[pt.a], h, pt.y, w);
    c.rows++;
    c.sumP += pt.p;
    return true;
  }

  clusters(): ClusterStats[] {
    return [...this.map.values()].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }

  get controls(): number {
    return Math.max(0, this.k);
  }
}

// ---------------------------------------------------------------------------------------------
// Small dense linear algebra (dimension 2–5).

function invert(m: Float64Array, n: number): Float64Array | null {
  const a = Float64Array.from(m);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  let scale = 0;
  for (const x of a) scale = Math.max(scale, Math.abs(x));
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) piv = r;
    if (Math.abs(a[piv * n + col]) <= 1e-12 * (scale || 1)) return null;
    if (piv !== col) {
      for (let j = 0; j < n; j++) {
        [a[col * n + j], a[piv * n + j]] = [a[piv * n + j], a[col * n + j]];
        [inv[col * n + j], inv[piv * n + j]] = [inv[piv * n + j], inv[col * n + j]];
      }
    }
    const d = a[col * n + col];
    for (let j = 0; j < n; j++) {
      a[col * n + j] /= d;
      inv[col * n + j] /= d;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r * n + col];
      if (f === 0) continue;
      for (let j = 0; j < n; j++) {
        a[r * n + j] -= f * a[col * n + j];
        inv[r * n + j] -= f * inv[col * n + j];
      }
    }
  }
  return inv;
}

/**
 * How a cluster's groups enter the design: for each group, a weight factor and the value of
 * the treatment column (null: the design has no treatment column).
 */
type Design = (c: ClusterStats) => [{ factor: number; tau: number | null }, { factor: number; tau: number | null }];

interface Fit {
  coef: Float64Array;
  /** Cluster-robust covariance (CR1: × G/(G − 1)). */
  cov: Float64Array | null;
  dim: number;
}

/** Adds one cluster's XᵀWX and XᵀWy for the given design into A and b (times m). */
function clusterNormal(c: ClusterStats, k: number, d: ReturnType<Design>, A: Float64Array, b: Float64Array, m: number): void {
  const treat = d[0].tau !== null || d[1].tau !== null;
  const n = k + (treat ? 1 : 0);
  for (let gi = 0; gi < 2; gi++) {
    const gr = c.groups[gi];
    if (gr.rows === 0) continue;
    const f = d[gi].factor * m;
    const tau = d[gi].tau ?? 0;
    for (let i = 0; i < k; i++) {
      b[i] += f * gr.u[i];
      for (let j = 0; j < k; j++) A[i * n + j] += f * gr.S[i * k + j];
      if (treat) {
        A[i * n + k] += f * tau * gr.s[i];
        A[k * n + i] += f * tau * gr.s[i];
      }
    }
    if (treat) {
      A[k * n + k] += f * tau * tau * gr.w;
      b[k] += f * tau * gr.v;
    }
  }
}

function fitDesign(clusters: readonly ClusterStats[], k: number, design: Design, mult?: Uint32Array, robust = true): Fit | null {
  const probe = clusters.length ? design(clusters[0]) : null;
  const treat = !!probe && (probe[0].tau !== null || probe[1].tau !== null);
  const n = k + (treat ? 1 : 0);
  const A = new Float64Array(n * n);
  const b = new Float64Array(n);
  let G = 0;
  for (let i = 0; i < clusters.length; i++) {
    const m = mult ? mult[i] : 1;
    if (m === 0) continue;
    G += m;
    clusterNormal(clusters[i], k, design(clusters[i]), A, b, m);
  }
  const inv = invert(A, n);
  if (!inv) return null;
  const coef = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) coef[i] += inv[i * n + j] * b[j];
  if (!robust || G < 2) return { coef, cov: null, dim: n };
  // Meat: Σ_i U_i U_iᵀ with U_i = b_i − A_i β, the cluster's score.
  const meat = new Float64Array(n * n);
  const Ai = new Float64Array(n * n);
  const bi = new Float64Array(n);
  const U = new Float64Array(n);
  for (let c = 0; c < clusters.length; c++) {
    const m = mult ? mult[c] : 1;
    if (m === 0) continue;
    Ai.fill(0);
    bi.fill(0);
    clusterNormal(clusters[c], k, design(clusters[c]), Ai, bi, 1);
    for (let i = 0; i < n; i++) {
      let s = bi[i];
      for (let j = 0; j < n; j++) s -= Ai[i * n + j] * coef[j];
      U[i] = s;
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) meat[i * n + j] += m * U[i] * U[j];
  }
  const cov = new Float64Array(n * n);
  const tmp = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) tmp[i * n + j] += inv[i * n + l] * meat[l * n + j];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) cov[i * n + j] += tmp[i * n + l] * inv[l * n + j];
  const cr1 = G / (G - 1);
  for (let i = 0; i < cov.length; i++) cov[i] *= cr1;
  return { coef, cov, dim: n };
}

// ---------------------------------------------------------------------------------------------
// Estimands

export interface EffectEstimate {
  /** Effect on y (log ratio of velocities); exp(estimate) − 1 is the relative change in speed. */
  estimate: number | null;
  /** Cluster-robust (sandwich, CR1) standard error and t_{G−1} interval. */
  seSandwich: number | null;
  sandwichCiLow: number | null;
  sandwichCiHigh: number | null;
  /** Participant-clustered bootstrap: percentile interval and standard deviation of replicates. */
  ciLow: number | null;
  ciHigh: number | null;
  bootSe: number | null;
  bootstrapReps: number;
  /** Replicates that could not be fitted (e.g. no withheld point drawn); they are left out. */
  bootstrapFailed: number;
  seed: number;
  clusters: number;
  points: number;
  shown: number;
  withheld: number;
  /** p̃ of WCLS (mean p_show over the points); null for other estimands. */
  pTilde: number | null;
  /** Why there is no estimate (empty when there is one). */
  note: string;
}

export interface BootstrapOptions {
  reps: number;
  seed: number;
  level: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { reps: 999, seed: 1, level: 0.95 };

type Estimator = (mult?: Uint32Array) => { value: number; se: number | null } | null;

function counts(clusters: readonly ClusterStats[]) {
  let points = 0;
  let shown = 0;
  for (const c of clusters) {
    points += c.rows;
    shown += c.groups[1].rows;
  }
  return { clusters: clusters.length, points, shown, withheld: points - shown };
}

/** Participant-clustered bootstrap, resampling clusters with replacement within each stratum. */
function bootstrap(clusters: readonly ClusterStats[], est: Estimator, o: BootstrapOptions) {
  const strata = new Map<string, number[]>();
  clusters.forEach((c, i) => {
    const list = strata.get(c.stratum) ?? [];
    list.push(i);
    strata.set(c.stratum, list);
  });
  const rng = mulberry32(mixSeed(o.seed));
  const mult = new Uint32Array(clusters.length);
  const values: number[] = [];
  let failed = 0;
  for (let r = 0; r < o.reps; r++) {
    mult.fill(0);
    for (const idx of strata.values()) for (let j = 0; j < idx.length; j++) mult[idx[Math.floor(rng() * idx.length)]]++;
    const v = est(mult);
    if (v && Number.isFinite(v.value)) values.push(v.value);
    else failed++;
  }
  values.sort((a, b) => a - b);
  const alpha = (1 - o.level) / 2;
  const mean = values.reduce((s, x) => s + x, 0) / (values.length || 1);
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1)) : null;
  const usable = values.length >= Math.max(2, 0.9 * o.reps);
  return {
    ciLow: usable ? quantileSorted(values, alpha) : null,
    ciHigh: usable ? quantileSorted(values, 1 - alpha) : null,
    bootSe: usable ? sd : null,
    failed,
  };
}

function empty(clusters: readonly ClusterStats[], o: BootstrapOptions, note: string, pTilde: number | null = null): EffectEstimate {
  return {
    estimate: null,
    seSandwich: null,
    sandwichCiLow: null,
    sandwichCiHigh: null,
    ciLow: null,
    ciHigh: null,
    bootSe: null,
    bootstrapReps: 0,
    bootstrapFailed: 0,
    seed: o.seed,
    ...counts(clusters),
    pTilde,
    note,
  };
}

function finish(clusters: readonly ClusterStats[], est: Estimator, o: BootstrapOptions, pTilde: number | null): EffectEstimate {
  const full = est();
  if (!full) return empty(clusters, o, 'the model cannot be fitted (no variation in the treatment or the controls)', pTilde);
  const G = clusters.length;
  const tq = G >= 2 && full.se !== null ? tQuantile(1 - (1 - o.level) / 2, G - 1) : null;
  const boot = o.reps > 0 && G >= 2 ? bootstrap(clusters, est, o) : { ciLow: null, ciHigh: null, bootSe: null, failed: 0 };
  return {
    estimate: full.value,
    seSandwich: full.se,
    sandwichCiLow: tq !== null && full.se !== null ? full.value - tq * full.se : null,
    sandwichCiHigh: tq !== null && full.se !== null ? full.value + tq * full.se : null,
    ciLow: boot.ciLow,
    ciHigh: boot.ciHigh,
    bootSe: boot.bootSe,
    bootstrapReps: o.reps > 0 && G >= 2 ? o.reps : 0,
    bootstrapFailed: boot.failed,
    seed: o.seed,
    ...counts(clusters),
    pTilde,
    note: G < 2 ? 'one cluster: no confidence interval' : '',
  };
}

function pTildeOf(clusters: readonly ClusterStats[], mult?: Uint32Array): number {
  let p = 0;
  let n = 0;
  clusters.forEach((c, i) => {
    const m = mult ? mult[i] : 1;
    p += m * c.sumP;
    n += m * c.rows;
  });
  return n ? p / n : Number.NaN;
}

/**
 * WCLS: the causal excursion effect of showing vs withholding at decision points with
 * 0 < p_show < 1 (clusters from a ClusterAccumulator('wcls')).
 */
export function wcls(clusters: readonly ClusterStats[], k: number, o: BootstrapOptions = DEFAULT_BOOTSTRAP): EffectEstimate {
  const c = counts(clusters);
  if (c.shown === 0 || c.withheld === 0)
    return empty(clusters, o, c.points === 0 ? 'no decision points with 0 < p_show < 1' : 'needs both shown and withheld decision points');
  const est: Estimator = (mult) => {
    const pt = pTildeOf(clusters, mult);
    const same: ReturnType<Design> = [
      { factor: 1 - pt, tau: -pt },
      { factor: pt, tau: 1 - pt },
    ];
    const f = fitDesign(clusters, k, () => same, mult, !mult);
    return f ? { value: f.coef[k], se: f.cov ? Math.sqrt(f.cov[k * f.dim + k]) : null } : null;
  };
  return finish(clusters, est, o, pTildeOf(clusters));
}

/**
 * Between-arm contrast of decision points: clusters of the arm with frames (`treated`) against
 * clusters of a p = 0 arm (`reference`), each decision point weighted equally (clusters from a
 * ClusterAccumulator('equal')). The effect of being in the arm, at a decision point: it is the
 * shown-vs-withheld effect when the treated arm has p = 1, and about p × that otherwise.
 */
export function betweenArms(
  clusters: readonly ClusterStats[],
  k: number,
  treated: string,
  reference: string,
  o: BootstrapOptions = DEFAULT_BOOTSTRAP,
): EffectEstimate {
  const used = clusters.filter((c) => c.stratum === treated || c.stratum === reference);
  if (!used.some((c) => c.stratum === treated) || !used.some((c) => c.stratum === reference)) return empty(used, o, 'needs decision points in both arms');
  const est: Estimator = (mult) => {
    const yes: ReturnType<Design> = [
      { factor: 1, tau: 1 },
      { factor: 1, tau: 1 },
    ];
    const no: ReturnType<Design> = [
      { factor: 1, tau: 0 },
      { factor: 1, tau: 0 },
    ];
    const f = fitDesign(used, k, (c) => (c.stratum === treated ? yes : no), mult, !mult);
    return f ? { value: f.coef[k], se: f.cov ? Math.sqrt(f.cov[k * f.dim + k]) : null } : null;
  };
  return finish(used, est, o, null);
}

/**
 * The old before/after-only figure: the mean of y over decision points where a frame was shown
 * (intercept only, no comparison moments). Biased by moment selection in bursty scrolling; kept
 * so reports can show the difference. Clusters from a ClusterAccumulator('equal') fed only
 * shown points with no controls.
 */
export function beforeAfterOnly(clusters: readonly ClusterStats[], o: BootstrapOptions = DEFAULT_BOOTSTRAP): EffectEstimate {
  const used = clusters.filter((c) => c.groups[1].rows > 0);
  if (used.length === 0) return empty(used, o, 'no shown decision points');
  const est: Estimator = (mult) => {
    const shownOnly: ReturnType<Design> = [
      { factor: 0, tau: null },
      { factor: 1, tau: null },
    ];
    const f = fitDesign(used, 1, () => shownOnly, mult, !mult);
    return f ? { value: f.coef[0], se: f.cov ? Math.sqrt(f.cov[0]) : null } : null;
  };
  return finish(used, est, o, null);
}

/** What a person can be told about an estimate (Insights and the report share this). */
export type Verdict = 'too-little-data' | 'slower' | 'faster' | 'no-clear-difference';

export function verdictOf(e: EffectEstimate, minClusters = 10, minPerGroup = 20): Verdict {
  if (e.estimate === null || e.ciLow === null || e.ciHigh === null) return 'too-little-data';
  if (e.clusters < minClusters || e.shown < minPerGroup || e.withheld < minPerGroup) return 'too-little-data';
  if (e.ciHigh < 0) return 'slower';
  if (e.ciLow > 0) return 'faster';
  return 'no-clear-difference';
}

/** exp(x) − 1 in percent: the relative change in scroll speed for an effect x on the log scale. */
export function pctChange(x: number | null): number | null {
  return x === null ? null : (Math.exp(x) - 1) * 100;
}
