/**
 * Small statistics the estimator and the summary need: Student's t quantiles (for cluster-robust
 * and per-arm confidence intervals) and percentiles. Pure; no Node or browser APIs.
 */

/** ln Γ(x), Lanczos approximation (g = 7, n = 9): ~15 significant digits for x > 0. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularised incomplete beta function (modified Lentz). */
function betaCf(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return h;
}

/** I_x(a, b), the regularised incomplete beta function. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaCf(a, b, x)) / a : 1 - (front * betaCf(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with df degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The q-quantile of Student's t (bisection on the CDF; df may be fractional, ≥ 1e-3). */
export function tQuantile(q: number, df: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError('q must be in (0, 1)');
  if (!(df > 0)) return Number.NaN;
  if (q === 0.5) return 0;
  let lo = -1;
  let hi = 1;
  while (tCdf(lo, df) > q) lo *= 2;
  while (tCdf(hi, df) < q) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < q) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Linear-interpolated percentile of sorted values (type 7, as R's quantile default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface MeanCi {
  n: number;
  mean: number | null;
  sd: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/** Mean with a t-based 95 % (or `level`) confidence interval, from n, Σx and Σx². */
export function meanCiFromSums(n: number, sum: number, sumSq: number, level = 0.95): MeanCi {
  if (n === 0) return { n, mean: null, sd: null, ciLow: null, ciHigh: null };
  const mean = sum / n;
  if (n === 1) return { n, mean, sd: null, ciLow: null, ciHigh: null };
  return meanCiFromMoments(n, mean, Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1))), level);
}

/** The same from n, the mean and the sample standard deviation (as a database returns them). */
export function meanCiFromMoments(n: number, mean: number | null, sd: number | null, level = 0.95): MeanCi {
  if (n === 0 || mean === null) return { n, mean: null, sd: null, ciLow: null, ciHigh: null };
  if (n === 1 || sd === null) return { n, mean, sd: null, ciLow: null, ciHigh: null };
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { n, mean, sd, ciLow: mean - half, ciHigh: mean + half };
}

export function meanCi(xs: readonly number[], level = 0.95): MeanCi {
  let s = 0;
  let ss = 0;
  for (const x of xs) {
    s += x;
    ss += x * x;
  }
  return meanCiFromSums(xs.length, s, ss, level);
}
