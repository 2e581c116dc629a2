import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDB } from '@/utils/storage/db';
import { loadNumberMap, loadTabs, readStateRecord, readStudyRecord, writeStateRecord, writeStudyRecord } from '@/utils/storage/records';
import { loadBreaks } from '@/utils/schedule/feed-break';
import { giveConsent, loadPending, loadProtocol, studyStatus } from '@/utils/study/store';

const EXAMPLE = readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8');

describe('typed records of the keyed stores', () => {
  it('reads through the key’s repair, from the database or from a transaction’s store', async () => {
    const db = await getDB();
    const seen: unknown[] = [];
    expect(await readStateRecord(db, 'tabs', (raw) => (seen.push(raw), loadTabs(raw)))).toEqual({});
    expect(seen).toEqual([undefined]);
    await writeStateRecord(db, 'tabs', { 7: { siteKey: 'x', feedRoute: true, status: 'working' } });
    const tx = db.transaction('state', 'readwrite');
    const tabs = await readStateRecord(tx.store, 'tabs', loadTabs);
    await writeStateRecord(tx.store, 'tabs', { ...tabs, 8: { siteKey: 'reddit', feedRoute: false } });
    await tx.done;
    expect(await db.get('state', 'tabs')).toEqual({ 7: { siteKey: 'x', feedRoute: true, status: 'working' }, 8: { siteKey: 'reddit', feedRoute: false } });
  });

  it('hands a damaged record to the repair, never to the caller as its type', async () => {
    const db = await getDB();
    await db.put('state', { x: { until: 'later' }, reddit: { until: 2e12, startedAt: 1e12 } }, 'breaks');
    expect(await readStateRecord(db, 'breaks', (raw) => loadBreaks(raw, 1e12))).toEqual({ reddit: { until: 2e12, startedAt: 1e12 } });
  });

  it('lets tsc refuse a wrong key, a wrong value and a repair of another record', async () => {
    const db = await getDB();
    // @ts-expect-error: no such key in the 'state' store
    await writeStateRecord(db, 'tab', {});
    // @ts-expect-error: the pruned-events count is a number
    await writeStateRecord(db, 'pruned-events', '3');
    // @ts-expect-error: the breaks' repair does not make a tab registry
    await readStateRecord(db, 'tabs', (raw) => loadBreaks(raw, 0));
    // @ts-expect-error: a study record's key is not a state key
    await writeStudyRecord(db, 'scheduler', {});
    expect(await readStudyRecord(db, 'withdrawals', () => ({}))).toEqual({});
  });
});

describe('record repairs', () => {
  it('loadTabs keeps tab records and drops anything else', () => {
    expect(loadTabs('tabs')).toEqual({});
    expect(loadTabs([{ siteKey: 'x' }])).toEqual({});
    expect(loadTabs({ 1: { siteKey: 'x', feedRoute: 'yes', status: 3, adapter: 'x' }, 2: null, 3: { feedRoute: true } })).toEqual({
      1: { siteKey: 'x', feedRoute: false, adapter: 'x' },
    });
  });

  it('loadNumberMap keeps the numbers its test accepts', () => {
    expect(loadNumberMap({ a: 1, b: 1.5, c: 'two', d: Number.NaN }, Number.isInteger)).toEqual({ a: 1 });
    expect(loadNumberMap({ a: 1, b: Infinity })).toEqual({ a: 1 });
    expect(loadNumberMap(null)).toEqual({});
  });

  it('a damaged pending protocol counts as none loaded, and consent cannot be given to it', async () => {
    const db = await getDB();
    await db.put('study', { protocol: { studyId: 'ghost' }, text: 42, loadedAt: 1 }, 'pending');
    expect(loadPending(await db.get('study', 'pending'))).toBeUndefined();
    expect((await studyStatus()).state).toBe('none');
    expect(await giveConsent({ agree: true, uploadConsent: false, locale: 'en', extensionVersion: '1', eligibilityConfirmed: true })).toEqual({
      ok: false,
      reason: 'no-protocol',
    });
  });

  it('a pending protocol is read back from its text, as the participant was shown it', async () => {
    expect((await loadProtocol(EXAMPLE, 5)).ok).toBe(true);
    const db = await getDB();
    const stored = (await db.get('study', 'pending')) as { protocol: object };
    await db.put('study', { ...stored, protocol: { studyId: 'tampered' } }, 'pending');
    const status = await studyStatus();
    expect(status.state).toBe('pending');
    expect(status.protocol?.studyId).toBe('feed-friction-pilot');
  });
});
