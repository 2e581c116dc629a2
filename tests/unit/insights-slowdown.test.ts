import { describe, expect, it } from 'vitest';
import { SLOWDOWN_WINDOW_MS, slowdownPercent, slowdownSeries } from '@/utils/pages/insights-data';
import type { EventRecord } from '@/utils/storage/schema';

const MIN = 60_000;
const at = (y: number, m: number, d: number, h: number, min = 0) => new Date(y, m - 1, d, h, min).getTime();
const posts = (ts: number, value: number, siteKey = 'x'): EventRecord => ({ ts, type: 'posts', siteKey, value });
const pause = (ts: number, siteKey = 'x'): EventRecord => ({ ts, type: 'frame-shown', siteKey, frameId: 'f' });

/** A pause at `t` with `before` posts in the 3 minutes before it and `after` in the 3 minutes after, in batches. */
function scene(t: number, before: number[], after: number[], siteKey = 'x'): EventRecord[] {
  return [
    ...before.map((n, i) => posts(t - (i + 1) * 50_000, n, siteKey)),
    pause(t, siteKey),
    ...after.map((n, i) => posts(t + (i + 1) * 50_000, n, siteKey)),
  ];
}

describe('slow-down after a pause', () => {
  const now = at(2025, 3, 10, 20);

  it('compares posts per minute in the 3 minutes before and after each pause, per day', () => {
    const events = [
      // 10 Mar: three pauses, 30 posts before and 15 after each → 10 vs 5 a minute.
      ...scene(at(2025, 3, 10, 9), [10, 10, 10], [10, 5]),
      ...scene(at(2025, 3, 10, 10), [10, 10, 10], [5, 5, 5]),
      ...scene(at(2025, 3, 10, 11), [20, 10], [15]),
      // 8 Mar: one pause, 18 before, 18 after → 6 vs 6.
      ...scene(at(2025, 3, 8, 22), [9, 9], [9, 9]),
    ];
    const s = slowdownSeries(events, now, 3);
    expect(s.days).toEqual(['2025-03-08', '2025-03-09', '2025-03-10']);
    expect(s.pauses).toEqual([1, 0, 3]);
    expect(s.before).toEqual([6, null, 10]);
    expect(s.after).toEqual([6, null, 5]);
    expect(s.total.pauses).toBe(4);
    expect(s.total.beforePerMinute).toBe((18 + 90) / 12);
    expect(s.total.afterPerMinute).toBe((18 + 45) / 12);
    expect(s.total.slowdown).toBeCloseTo(1 - 63 / 108, 10);
    expect(slowdownPercent(s.total.slowdown!)).toBe(42);
  });

  it('counts only the pause’s own site, and only posts inside the windows', () => {
    const t = at(2025, 3, 10, 9);
    const events = [
      ...scene(t, [12], [6]),
      ...scene(t + 10 * MIN, [12], [6]),
      ...scene(t + 20 * MIN, [12], [6]),
      posts(t + 30_000, 500, 'reddit'), // another tab's feed
      posts(t - SLOWDOWN_WINDOW_MS - 1, 500), // just before the window
      posts(t + SLOWDOWN_WINDOW_MS, 500), // the window after is half-open
    ];
    const s = slowdownSeries(events, now, 1);
    expect(s.before).toEqual([4]);
    expect(s.after).toEqual([2]);
    expect(s.total.slowdown).toBeCloseTo(0.5, 10);
  });

  it('a batch logged at the pause’s moment belongs after it; one at the window’s start before it', () => {
    const t = at(2025, 3, 10, 9);
    const events = [posts(t - SLOWDOWN_WINDOW_MS, 6), posts(t, 3), pause(t)];
    const s = slowdownSeries(events, now, 1, { minPauses: 1 });
    expect(s.before).toEqual([2]);
    expect(s.after).toEqual([1]);
  });

  it('skips pauses with no scrolling before them and pauses whose window after is not over', () => {
    const events = [
      pause(at(2025, 3, 10, 8)), // nothing before: not a pause in a scroll
      ...scene(now - 2 * MIN, [30], []), // its 3 minutes after are not over yet
      ...scene(at(2025, 3, 10, 9), [30], []), // left the feed: counted as 0 after
    ];
    const s = slowdownSeries(events, now, 1, { minPauses: 1 });
    expect(s.pauses).toEqual([1]);
    expect(s.after).toEqual([0]);
    expect(s.total.slowdown).toBe(1);
  });

  it('says nothing on average with too few pauses, and reports faster scrolling as negative', () => {
    const t = at(2025, 3, 10, 9);
    const two = [...scene(t, [6], [12]), ...scene(t + 10 * MIN, [6], [12])];
    expect(slowdownSeries(two, now, 7).total.slowdown).toBeNull();
    expect(slowdownSeries(two, now, 7).total.pauses).toBe(2);
    const s = slowdownSeries(two, now, 7, { minPauses: 2 });
    expect(s.total.slowdown).toBe(-1);
    expect(slowdownPercent(s.total.slowdown!)).toBe(-100);
    expect(slowdownSeries([], now, 7).total).toEqual({ pauses: 0, beforePerMinute: null, afterPerMinute: null, slowdown: null });
  });

  it('ignores nonsense values and pauses outside the range', () => {
    const t = at(2025, 3, 10, 9);
    const events = [
      ...scene(t, [6, -4], [3, Number.NaN]),
      ...scene(at(2025, 2, 1, 9), [60], [0]), // long before the range
      { ts: t - MIN, type: 'frame-action', siteKey: 'x', value: 9999 } as EventRecord,
    ];
    const s = slowdownSeries(events, now, 7, { minPauses: 1 });
    expect(s.total.pauses).toBe(1);
    expect(s.total.beforePerMinute).toBe(2);
    expect(s.total.afterPerMinute).toBe(1);
  });

  it('rounds the percentage without a negative zero', () => {
    expect(slowdownPercent(0.234)).toBe(23);
    expect(slowdownPercent(-0.004)).toBe(0);
    expect(Object.is(slowdownPercent(-0.004), 0)).toBe(true);
  });
});
