import { describe, expect, it } from 'vitest';
import { getDB } from '@/utils/storage/db';
import { readActivity, readStoredCounts, readTabStatuses } from '@/utils/pages/page-reads';
import { updateTab } from '@/utils/background/tabs';
import { addTextFrame, createCollection } from '@/utils/frames/user-frames';

/** The options page's one read module, on fake-indexeddb, against what the background really writes. */

describe('readTabStatuses', () => {
  it('reports each site once, a working tab winning over the others whatever their order', async () => {
    await updateTab(1, { siteKey: 'x', feedRoute: true, status: 'fallback' });
    await updateTab(2, { siteKey: 'x', feedRoute: true, status: 'working' });
    await updateTab(3, { siteKey: 'x', feedRoute: true, status: 'waiting' });
    await updateTab(4, { siteKey: 'reddit', feedRoute: true, status: 'widened' });
    await updateTab(5, { siteKey: 'youtube', feedRoute: false });
    expect(await readTabStatuses()).toEqual({ x: 'working', reddit: 'widened' });
  });

  it('skips a damaged registry entry and an unknown status, and reads a damaged registry as nothing reported', async () => {
    const db = await getDB();
    await db.put(
      'state',
      { 1: 'junk', 2: { siteKey: 'x', status: 'exploded' }, 3: { siteKey: 'bluesky', status: 'not-feed' }, 4: { status: 'working' } },
      'tabs',
    );
    expect(await readTabStatuses()).toEqual({ bluesky: 'not-feed' });
    await db.put('state', ['not', 'a', 'map'], 'tabs');
    expect(await readTabStatuses()).toEqual({});
    await db.delete('state', 'tabs');
    expect(await readTabStatuses()).toEqual({});
  });
});

describe('readActivity', () => {
  it('returns the posts, frames shown and decision points since the start, oldest first, and nothing else', async () => {
    const db = await getDB();
    await db.add('events', { ts: 300, type: 'frame-shown', value: 25 });
    await db.add('events', { ts: 50, type: 'posts', value: 9 });
    await db.add('events', { ts: 200, type: 'posts', value: 4 });
    await db.add('events', { ts: 250, type: 'frame-action', detail: 'continue' });
    await db.add('events', { ts: 260, type: 'notice', detail: 'settings-repaired:cadence' });
    await db.add('events', { ts: 270, type: 'decision', value: 0.9, detail: 'withheld' });
    const got = await readActivity(100);
    expect(got.map((e) => [e.ts, e.type])).toEqual([
      [200, 'posts'],
      [270, 'decision'],
      [300, 'frame-shown'],
    ]);
    expect(await readActivity(1000)).toEqual([]);
  });
});

describe('readStoredCounts', () => {
  it('counts the general log and the person’s own frames', async () => {
    expect(await readStoredCounts()).toEqual({ events: 0, frames: 0 });
    const db = await getDB();
    for (let i = 0; i < 3; i++) await db.add('events', { ts: i, type: 'posts', value: 1 });
    const c = await createCollection('Mine');
    await addTextFrame(c.id, 'Breathe out slowly.', '');
    await addTextFrame(c.id, 'Look at the sky.', 'me');
    expect(await readStoredCounts()).toEqual({ events: 3, frames: 2 });
  });
});
