import { mixSeed, mulberry32, type Rng } from '@/utils/frames/rng';
import { DEFAULT_OUTCOME } from './decision-points';

/**
 * Simulated scrolling with a known truth, for testing the estimator (tests/unit) and for the
 * merge bench (scripts/bench-study.mjs). What makes it realistic enough to fool a before/after
 * comparison:
 *
 * - bursty scrolling: each person switches between flicking (fast), skimming (slow) and
 *   stopping to read (no movement for seconds), with autocorrelated noise on the speed;
 * - slowing within a session (people scroll faster at the start), and a session ends with the
 *   person stopping (the tab stays open a while);
 * - moment selection: a decision point falls every ~`everyPosts` posts (so only while moving),
 *   and counts as available only when at least `minPostsBefore` posts passed in the before
 *   window (the person was scrolling), as a scheduler would pick its moments.
 *
 * With no effect at all the speed after a decision point is lower than before it (regression
 * to the mean plus the trend): the before/after-only "slow-down" is clearly negative. Shown and
 * withheld decision points share all of this, so comparing them is not fooled. A shown frame
 * multiplies the speed in the next `windowS` seconds by exp(effect): the true effect on
 * ln(velocity_after / velocity_before) is `effect` (apart from the small offset).
 * Pure: no Node or browser APIs.
 */

export interface SimWindow {
  ms: number;
  posts: number;
  pxTravelled: number;
  pxNet: number;
}

export interface SimDecision {
  decisionId: string;
  sessionId: string;
  ts: number;
  p: number;
  shown: boolean;
  before: SimWindow;
  /** null when censored (the tab was hidden or the session ended within the window). */
  after: SimWindow | null;
  censored: string;
  available: boolean;
  overlapsPrevious: boolean;
  /**
   * The true effect of showing rather than withholding at this decision point on the outcome
   * (px/s, with the default offset): ln((e^effect·v₀ + c) / (v₀ + c)), v₀ the after-window speed
   * without this frame. Near `effect` while the person moves; smaller when they had stopped.
   */
  trueEffect: number;
}

export interface SimSession {
  sessionId: string;
  start: number;
  end: number;
  posts: number;
  /** Posts per clock minute (epoch ms of the minute → posts). */
  perMinute: Map<number, number>;
}

export interface SimParticipant {
  participantId: string;
  arm: string;
  p: number;
  decisions: SimDecision[];
  sessions: SimSession[];
  enrolledAt: number;
}

export interface SimOptions {
  /** True pause effect on the log-velocity scale (0: none). */
  effect: number;
  decisions: number;
  everyPosts: number;
  windowS: number;
  /** Chance that a decision point's after window is cut short (tab hidden), same in both conditions. */
  censorRate: number;
  /** A decision point is available only if at least this many posts passed in its before window. */
  minPostsBefore: number;
  start: number;
}

export const DEFAULT_SIM: SimOptions = {
  effect: 0,
  decisions: 60,
  everyPosts: 20,
  windowS: 10,
  censorRate: 0.03,
  minPostsBefore: 3,
  start: Date.UTC(2026, 2, 2, 8),
};

const DT = 0.5;
const POST_PX = 600;

function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function hex(rng: Rng): string {
  return Math.floor(rng() * 2 ** 32)
    .toString(16)
    .padStart(8, '0');
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A well-formed participant id (SF-XXXX-XXXX-XXXX-XXXX), fixed by (seed, index). */
export function participantIdFor(seed: number, index: number): string {
  const rng = mulberry32(mixSeed(seed * 7919 + index * 104_729 + 1));
  let s = '';
  for (let i = 0; i < 16; i++) s += CROCKFORD[Math.floor(rng() * 32)];
  return `SF-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}`;
}

/** One participant's scrolling and decision points. Deterministic in (seed, index). */
export function simulateParticipant(
  seed: number,
  index: number,
  armFor: (participantId: string) => { id: string; p: number },
  o: Partial<SimOptions> = {},
): SimParticipant {
  const opt = { ...DEFAULT_SIM, ...o };
  const rng = mulberry32(mixSeed(seed * 1_000_003 + index));
  const id = participantIdFor(seed, index);
  const { id: arm, p } = armFor(id);
  const mu = Math.log(450) + 0.3 * normal(rng);
  const W = opt.windowS / DT;
  const decisions: SimDecision[] = [];
  const sessions: SimSession[] = [];
  let clock = opt.start + Math.floor(rng() * 6 * 3_600_000);
  let lastAfterEnd = -Infinity;
  while (decisions.length < opt.decisions) {
    // One session: a few minutes of scrolling, then a gap of hours.
    const ticks = Math.round((180 + rng() * 900) / DT);
    const px = new Float64Array(ticks);
    const posts = new Uint16Array(ticks);
    const factor = new Float64Array(ticks).fill(1);
    const sessionId = `ses-${hex(rng)}${hex(rng)}`;
    const session: SimSession = { sessionId, start: clock, end: clock + ticks * DT * 1000, posts: 0, perMinute: new Map() };
    // 0: stopped to read, 1: skimming, 2: flicking. Rates per second.
    let state = 1;
    let x = 0;
    const active = ticks - Math.round((20 + rng() * 40) / DT);
    let pos = 0;
    let sinceDecision = 0;
    let due = Math.round(opt.everyPosts * (0.8 + 0.4 * rng()));
    const pending: Array<{ d: SimDecision; t: number }> = [];
    for (let t = 0; t < ticks; t++) {
      const r = rng();
      if (state === 2 && r < 0.15 * DT) state = 1;
      else if (state === 1 && r < 0.1 * DT) state = 2;
      else if (state === 1 && r < 0.16 * DT) state = 0;
      else if (state === 0 && r < 0.12 * DT) state = 1;
      x = 0.8 * x + 0.3 * normal(rng);
      const trend = 0.4 - (0.8 * t) / ticks;
      const v = t >= active || state === 0 ? 0 : Math.exp(mu + trend + (state === 2 ? 0.9 : -0.5) + x) * factor[t];
      const before = Math.floor(pos / POST_PX);
      pos += v * DT;
      const crossed = Math.floor(pos / POST_PX) - before;
      px[t] = v * DT;
      posts[t] = crossed;
      session.posts += crossed;
      const minute = Math.floor((clock + t * DT * 1000) / 60_000) * 60_000;
      if (crossed) session.perMinute.set(minute, (session.perMinute.get(minute) ?? 0) + crossed);
      sinceDecision += crossed;
      if (sinceDecision >= due && decisions.length + pending.length < opt.decisions) {
        sinceDecision = 0;
        due = Math.round(opt.everyPosts * (0.8 + 0.4 * rng()));
        const t0 = t + 1;
        const from = Math.max(0, t0 - W);
        let bPx = 0;
        let bPosts = 0;
        for (let i = from; i < t0; i++) {
          bPx += px[i];
          bPosts += posts[i];
        }
        const ts = clock + t0 * DT * 1000;
        const available = bPosts >= opt.minPostsBefore;
        // The draw is made only at available decision points (nothing is shown otherwise).
        const draw = rng();
        const shown = available && draw < p;
        if (shown) for (let i = t0; i < Math.min(ticks, t0 + W); i++) factor[i] = Math.exp(opt.effect);
        const d: SimDecision = {
          decisionId: `dec-${hex(rng)}${hex(rng)}`,
          sessionId,
          ts,
          p,
          shown,
          before: { ms: (t0 - from) * DT * 1000, posts: bPosts, pxTravelled: Math.round(bPx), pxNet: Math.round(bPx) },
          after: null,
          censored: '',
          available,
          overlapsPrevious: ts - opt.windowS * 1000 < lastAfterEnd,
          trueEffect: 0,
        };
        lastAfterEnd = ts + opt.windowS * 1000;
        if (rng() < opt.censorRate) {
          d.censored = 'tab_hidden';
          decisions.push(d);
        } else pending.push({ d, t: t0 });
      }
    }
    for (const { d, t: t0 } of pending) {
      if (t0 + W > ticks) {
        d.censored = 'session_ended';
      } else {
        let aPx = 0;
        let aPosts = 0;
        for (let i = t0; i < t0 + W; i++) {
          aPx += px[i];
          aPosts += posts[i];
        }
        d.after = { ms: W * DT * 1000, posts: aPosts, pxTravelled: Math.round(aPx), pxNet: Math.round(aPx) };
        const c = DEFAULT_OUTCOME.offsetPxS;
        const v0 = (d.shown ? aPx / Math.exp(opt.effect) : aPx) / opt.windowS;
        d.trueEffect = Math.log((Math.exp(opt.effect) * v0 + c) / (v0 + c));
      }
      decisions.push(d);
    }
    decisions.sort((a, b) => a.ts - b.ts);
    sessions.push(session);
    // A session every day or two.
    clock = session.end + (4 + rng() * 60) * 3_600_000;
    lastAfterEnd = -Infinity;
  }
  return { participantId: id, arm, p, decisions, sessions, enrolledAt: opt.start };
}

export interface SimArm {
  id: string;
  p: number;
  participants: number;
}

/**
 * A whole study: participants allocated to arms in blocks (counts fixed by `arms`), or by
 * `allocate` (e.g. the extension's own assignArm) when given, `total` participants then.
 */
export function simulateStudy(
  seed: number,
  arms: readonly SimArm[],
  o: Partial<SimOptions> = {},
  allocate?: { total: number; armOf: (participantId: string) => string },
): SimParticipant[] {
  const out: SimParticipant[] = [];
  if (allocate) {
    for (let i = 0; i < allocate.total; i++) {
      out.push(
        simulateParticipant(
          seed,
          i,
          (id) => {
            const a = arms.find((x) => x.id === allocate.armOf(id));
            if (!a) throw new Error('allocate returned an arm that is not in arms');
            return a;
          },
          o,
        ),
      );
    }
    return out;
  }
  let i = 0;
  for (const a of arms) for (let j = 0; j < a.participants; j++) out.push(simulateParticipant(seed, i++, () => a, o));
  return out;
}
