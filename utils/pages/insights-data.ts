import type { EventRecord } from '@/utils/storage/schema';

export interface DailySeries {
  /** Local calendar days, oldest first, 'YYYY-MM-DD'. */
  days: string[];
  /** Local midnight of each day, in seconds (uPlot's x values). */
  x: number[];
  /** Posts passed per day (sum of 'posts' events). */
  posts: number[];
  /** Pauses shown per day (count of 'frame-shown' events). */
  pauses: number[];
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function localDayKey(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight of the day `count - 1` days before `now`'s day: where a `count`-day range starts. */
export function rangeStart(now: number, count: number): number {
  const d = new Date(now);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - (count - 1)).getTime();
}

/**
 * Per-day totals for the last `count` local days ending today (days without events are 0,
 * so the chart shows gaps as zero rather than joining distant days).
 */
export function dailySeries(events: Iterable<Pick<EventRecord, 'ts' | 'type' | 'value'>>, now: number, count: number): DailySeries {
  const start = new Date(rangeStart(now, count));
  const days: string[] = [];
  const x: number[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const d = new Date(start.getFullYear(), start.getMonth(), start.getDate() + i);
    const key = localDayKey(d.getTime());
    index.set(key, i);
    days.push(key);
    x.push(Math.floor(d.getTime() / 1000));
  }
  const posts = new Array<number>(count).fill(0);
  const pauses = new Array<number>(count).fill(0);
  for (const e of events) {
    const i = index.get(localDayKey(e.ts));
    if (i === undefined) continue;
    if (e.type === 'posts') posts[i] += typeof e.value === 'number' && Number.isFinite(e.value) && e.value > 0 ? e.value : 0;
    else if (e.type === 'frame-shown') pauses[i] += 1;
  }
  return { days, x, posts, pauses };
}

export function hasData(s: DailySeries): boolean {
  return s.posts.some((n) => n > 0) || s.pauses.some((n) => n > 0);
}

export interface Summary {
  totalPosts: number;
  totalPauses: number;
  /** Average posts per day over days with any activity. */
  avgPostsPerActiveDay: number;
  activeDays: number;
  /** Posts passed per pause shown (null when no pause). */
  postsPerPause: number | null;
}

export function summarize(s: DailySeries): Summary {
  const totalPosts = s.posts.reduce((a, b) => a + b, 0);
  const totalPauses = s.pauses.reduce((a, b) => a + b, 0);
  const activeDays = s.posts.filter((n, i) => n > 0 || s.pauses[i] > 0).length;
  return {
    totalPosts,
    totalPauses,
    activeDays,
    avgPostsPerActiveDay: activeDays ? Math.round(totalPosts / activeDays) : 0,
    postsPerPause: totalPauses ? Math.round(totalPosts / totalPauses) : null,
  };
}

/** How long before and after a pause the scrolling pace is measured. */
export const SLOWDOWN_WINDOW_MS = 3 * 60_000;
/** Fewer counted pauses than this in the range: too little to say anything "on average". */
export const SLOWDOWN_MIN_PAUSES = 3;

export interface SlowdownSeries {
  /** Local calendar days, oldest first, 'YYYY-MM-DD' (as in DailySeries). */
  days: string[];
  /** Local midnight of each day, in seconds. */
  x: number[];
  /** Posts per minute in the window before that day's pauses (null: no counted pause that day). */
  before: Array<number | null>;
  /** Posts per minute in the window after that day's pauses (null: no counted pause that day). */
  after: Array<number | null>;
  /** Pauses counted per day. */
  pauses: number[];
  /** Over the whole range. */
  total: {
    pauses: number;
    beforePerMinute: number | null;
    afterPerMinute: number | null;
    /**
     * How much slower the scrolling was after a pause: 0.23 = 23 % slower, negative = faster.
     * null when fewer than `minPauses` pauses were counted.
     */
    slowdown: number | null;
  };
}

/**
 * The pace of scrolling (posts per minute) in the `windowMs` before each pause and the
 * `windowMs` after it, per local day of the pause, from the logged 'posts' batches' times
 * (a tab flushes its batch just before it claims a frame, so a batch belongs to the side of
 * the pause it was logged on).
 *
 * - Only posts of the pause's own site count (another tab's scrolling is not this feed's pace).
 * - A pause counts when the reader was scrolling before it (posts in the window before) and
 *   its window after is over (at or before `now`). Leaving the feed after a pause counts as
 *   zero posts after it: that is the pause working, not missing data.
 * - Each side of a day is the pooled pace: posts in all its windows / minutes in all its windows.
 * - Pauses closer together than the window share posts between windows; both sides alike.
 */
export function slowdownSeries(
  events: Iterable<Pick<EventRecord, 'ts' | 'type' | 'value' | 'siteKey'>>,
  now: number,
  count: number,
  opts: { windowMs?: number; minPauses?: number } = {},
): SlowdownSeries {
  const windowMs = opts.windowMs ?? SLOWDOWN_WINDOW_MS;
  const minPauses = opts.minPauses ?? SLOWDOWN_MIN_PAUSES;
  const frame = dailySeries([], now, count);
  const index = new Map(frame.days.map((d, i) => [d, i]));
  const from = rangeStart(now, count);

  // Post batches by site, in time order; pauses in the range.
  const posts = new Map<string, Array<{ ts: number; n: number }>>();
  const pauses: Array<{ ts: number; siteKey: string }> = [];
  for (const e of events) {
    if (!Number.isFinite(e.ts)) continue;
    const site = e.siteKey ?? '';
    if (e.type === 'posts') {
      const n = typeof e.value === 'number' && Number.isFinite(e.value) && e.value > 0 ? e.value : 0;
      if (n === 0) continue;
      const list = posts.get(site);
      if (list) list.push({ ts: e.ts, n });
      else posts.set(site, [{ ts: e.ts, n }]);
    } else if (e.type === 'frame-shown' && e.ts >= from && e.ts + windowMs <= now) {
      pauses.push({ ts: e.ts, siteKey: site });
    }
  }
  for (const list of posts.values()) list.sort((a, b) => a.ts - b.ts);

  /** Posts of `site` logged in [start, end). */
  const sum = (site: string, start: number, end: number): number => {
    const list = posts.get(site);
    if (!list) return 0;
    // First batch at or after start (binary search), then walk.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].ts < start) lo = mid + 1;
      else hi = mid;
    }
    let total = 0;
    for (let i = lo; i < list.length && list[i].ts < end; i++) total += list[i].n;
    return total;
  };

  const beforePosts = new Array<number>(count).fill(0);
  const afterPosts = new Array<number>(count).fill(0);
  const counted = new Array<number>(count).fill(0);
  for (const p of pauses) {
    const i = index.get(localDayKey(p.ts));
    if (i === undefined) continue;
    const before = sum(p.siteKey, p.ts - windowMs, p.ts);
    if (before === 0) continue;
    beforePosts[i] += before;
    afterPosts[i] += sum(p.siteKey, p.ts, p.ts + windowMs);
    counted[i] += 1;
  }

  const minutes = windowMs / 60_000;
  const perMinute = (postsIn: number, n: number) => (n > 0 ? postsIn / (n * minutes) : null);
  const totalPauses = counted.reduce((a, b) => a + b, 0);
  const totalBefore = beforePosts.reduce((a, b) => a + b, 0);
  const totalAfter = afterPosts.reduce((a, b) => a + b, 0);
  return {
    days: frame.days,
    x: frame.x,
    before: counted.map((n, i) => perMinute(beforePosts[i], n)),
    after: counted.map((n, i) => perMinute(afterPosts[i], n)),
    pauses: counted,
    total: {
      pauses: totalPauses,
      beforePerMinute: perMinute(totalBefore, totalPauses),
      afterPerMinute: perMinute(totalAfter, totalPauses),
      slowdown: totalPauses >= minPauses && totalBefore > 0 ? 1 - totalAfter / totalBefore : null,
    },
  };
}

/** The slow-down as a whole percentage for the sentence: 23 (slower), -12 (faster), 0 (same pace). */
export function slowdownPercent(slowdown: number): number {
  const pct = Math.round(slowdown * 100);
  return Object.is(pct, -0) ? 0 : pct;
}
