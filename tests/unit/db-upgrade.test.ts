// @vitest-environment node
// (Node's Blob survives structured cloning in fake-indexeddb; happy-dom's does not.)
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { DB_NAME, DB_VERSION, UPGRADES, getDB } from '@/utils/storage/db';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import type { UserImageRecord } from '@/utils/storage/schema';

/**
 * For every earlier schema version: build a database exactly as that version did, fill it
 * with data of that version, then open it with the current code. Nothing may be lost.
 * A new schema version adds one entry to FILL (what a user of that version had stored).
 */
const FILL: Record<number, (db: any) => Promise<void>> = {
  1: async (db) => {
    await db.put('settings', { ...DEFAULT_SETTINGS, cadence: { ...DEFAULT_SETTINGS.cadence, everyPosts: 33 } }, 'current');
    await db.put('frames', {
      id: 'user:1',
      collectionId: 'mine',
      caption: 'Sea',
      mime: 'image/webp',
      width: 2,
      height: 2,
      blob: new Blob([new Uint8Array([1, 2, 3])]),
      createdAt: 1,
    });
    await db.put('collections', { id: 'mine', name: 'Mine', createdAt: 1 });
    await db.add('events', { ts: 1, type: 'posts', siteKey: 'demo', value: 10 });
    await db.put('state', { hello: 1 }, 'misc');
  },
  // v2: study mode's stores, with an enrolment and a row of a study table
  2: async (db) => {
    await db.put('study', { version: 1, participantId: 'SF-AAAA-BBBB-CCCC-DDDD', arm: 'control' }, 'enrolment');
    await db.put('studyLog', { id: 'imp:1', table: 'impressions', ts: 2, data: { impression_id: 'imp:1', visible_ms: 1500 } });
  },
};

async function expectVersionData(version: number) {
  const db = await getDB();
  expect(db.version).toBe(DB_VERSION);
  if (version >= 1) {
    expect(((await db.get('settings', 'current')) as any).cadence.everyPosts).toBe(33);
    const frame = (await db.get('frames', 'user:1')) as UserImageRecord | undefined;
    expect(frame?.caption).toBe('Sea');
    expect(new Uint8Array(await frame!.blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(await db.getAllFromIndex('frames', 'byCollection', 'mine')).toHaveLength(1);
    expect((await db.get('collections', 'mine'))?.name).toBe('Mine');
    expect(await db.count('events')).toBeGreaterThanOrEqual(1);
    expect(await db.get('state', 'misc')).toEqual({ hello: 1 });
  }
  if (version >= 2) {
    expect(((await db.get('study', 'enrolment')) as any).participantId).toBe('SF-AAAA-BBBB-CCCC-DDDD');
    expect((await db.get('studyLog', 'imp:1'))?.data.visible_ms).toBe(1500);
    expect(await db.countFromIndex('studyLog', 'byTable', 'impressions')).toBe(1);
  }
}

describe('IndexedDB upgrades', () => {
  it('creates every store on a fresh install', async () => {
    const db = await getDB();
    expect([...db.objectStoreNames].sort()).toEqual(expect.arrayContaining(['collections', 'events', 'frames', 'settings', 'state', 'study', 'studyLog']));
  });

  for (let v = 1; v <= DB_VERSION; v++) {
    it(`upgrades a filled version-${v} database to version ${DB_VERSION} with nothing lost`, async () => {
      const old = await openDB(DB_NAME, v, {
        upgrade(db, oldV, _n, tx) {
          for (let i = oldV; i < v; i++) UPGRADES[i](db as any, tx as any);
        },
      });
      for (let i = 1; i <= v; i++) await FILL[i]?.(old);
      old.close();
      await expectVersionData(v);
    });
  }

  it('has a data fixture for every schema version', () => {
    for (let v = 1; v <= DB_VERSION; v++) expect(FILL[v], `FILL[${v}] missing`).toBeTypeOf('function');
  });
});

describe('a blocked upgrade', () => {
  it('resolves: an open older connection steps aside when a newer version opens', async () => {
    const held = await getDB(); // e.g. an options tab still open from before an update
    expect(held.version).toBe(DB_VERSION);
    const newer = await Promise.race([
      openDB(DB_NAME, DB_VERSION + 1, { upgrade: (db) => void db.createObjectStore('future') }),
      new Promise<null>((r) => setTimeout(() => r(null), 2000)),
    ]);
    expect(newer, 'upgrade stayed blocked').not.toBeNull();
    expect([...newer!.objectStoreNames]).toContain('future');
    newer!.close();
  });
});
