import type { EventRecord } from '@/utils/storage/schema';
import { localDay } from '@/utils/schedule/calendar';

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
    const key = localDay(d.getTime());
    index.set(key, i);
    days.push(key);
    x.push(Math.floor(d.getTime() / 1000));
  }
  const posts = new Array<number>(count).fill(0);
  const pauses = new Array<number>(count).fill(0);
  for (const e of events) {
    const i = index.get(localDay(e.ts));
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
