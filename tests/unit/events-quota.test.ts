import { describe, expect, it, vi } from 'vitest';
import { logEvent, prunedCount, pruneOldestEvents } from '@/utils/storage/events';
import { getDB } from '@/utils/storage/db';

describe('event log under storage pressure', () => {
  it('prunes the oldest events, counts them, and keeps logging when the quota is exceeded', async () => {
    const db = await getDB();
    for (let i = 0; i < 600; i++) await db.add('events', { ts: i, type: 'posts', value: 1 });
    const realAdd = db.add.bind(db);
    let failures = 1;
    vi.spyOn(db, 'add').mockImplementation(async (...args: any[]) => {
      if (failures-- > 0) throw new DOMException('disk full', 'QuotaExceededError');
      return (realAdd as any)(...args);
    });
    expect(await logEvent({ ts: 10_000, type: 'posts', value: 2 })).toBe(true);
    vi.restoreAllMocks();
    expect(await prunedCount()).toBe(500);
    const left = await db.getAllFromIndex('events', 'byTs');
    expect(left).toHaveLength(101);
    expect(left[0].ts).toBe(500); // the oldest went first
    expect(left.at(-1)!.ts).toBe(10_000);
  });

  it('never throws when the disk stays full', async () => {
    const db = await getDB();
    vi.spyOn(db, 'add').mockRejectedValue(new DOMException('disk full', 'QuotaExceededError'));
    await expect(logEvent({ ts: 1, type: 'posts' })).resolves.toBe(false);
  });

  it('adds up pruned counts', async () => {
    const db = await getDB();
    for (let i = 0; i < 3; i++) await db.add('events', { ts: i, type: 'posts' });
    await pruneOldestEvents(2);
    await pruneOldestEvents(2);
    expect(await prunedCount()).toBe(3);
  });
});

describe('pruning never touches study data', () => {
  it('keeps every study record while it prunes the general log', async () => {
    const db = await getDB();
    for (let i = 0; i < 20; i++) await db.add('events', { ts: i, type: 'posts' });
    for (let i = 0; i < 5; i++) await db.put('studyLog', { id: `impression:${i}`, table: 'impressions' as any, ts: i, data: { frame_id: `f${i}` } });
    await db.put('study', { participantId: 'p1' } as any, 'participant');
    await pruneOldestEvents(1000);
    expect(await db.count('events')).toBe(0);
    expect(await db.count('studyLog')).toBe(5);
    expect(await db.get('study', 'participant')).toEqual({ participantId: 'p1' });
  });
});
