// @vitest-environment node
// (Node's Blob survives structured cloning in fake-indexeddb; happy-dom's does not.)
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { logEvent, prunedCount, pruneOldestEvents } from '@/utils/storage/events';
import { readStorageHealth, resetStorageHealth, StorageFullError, withRoom } from '@/utils/storage/quota';
import { getDB } from '@/utils/storage/db';
import { route } from '@/utils/background/router';
import { forgetStateMemory } from '@/utils/background/state-store';
import { forgetSettingsMemory } from '@/utils/background/settings-db';
import { addFrame, createCollection } from '@/utils/frames/user-frames';
import { giveConsent, loadProtocol } from '@/utils/study/store';
import { setLocale } from '@/utils/i18n';
import { fullDisk, restoreDisk as restore } from './full-disk';

/**
 * A full disk on every write path (issue #19). The real thing runs in tests/e2e/disk-full.spec.ts;
 * here fullDisk() (full-disk.ts) makes IndexedDB refuse writes as Chromium does.
 */

const page = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html' as never) }) as never;
const tab = () => ({ id: fakeBrowser.runtime.id, url: 'http://127.0.0.1/demo.html', tab: { id: 9 } }) as never;
const send = (msg: unknown, sender = tab()) => route(msg, sender) as Promise<any>;
const EXAMPLE = readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8');

beforeEach(() => {
  setLocale('en');
  resetStorageHealth();
  forgetStateMemory();
  forgetSettingsMemory();
});
afterEach(() => restore());

describe('the general log under a full disk', () => {
  it('prunes the oldest events, counts them, and keeps logging when pruning makes room', async () => {
    const db = await getDB();
    for (let i = 0; i < 600; i++) await db.add('events', { ts: i, type: 'posts', value: 1 });
    fullDisk({ prunedFreesRoom: true });
    expect(await logEvent({ ts: 10_000, type: 'posts', value: 2 })).toBe(true);
    restore();
    expect(await prunedCount()).toBe(500);
    const left = await (await getDB()).getAllFromIndex('events', 'byTs');
    expect(left).toHaveLength(101);
    expect(left[0].ts).toBe(500); // the oldest went first
    expect(left.at(-1)!.ts).toBe(10_000);
  });

  it('never throws when the disk stays full: the event is dropped and counted', async () => {
    fullDisk({ prunedFreesRoom: false });
    await expect(logEvent({ ts: 1, type: 'posts' })).resolves.toBe(false);
    await expect(logEvent({ ts: 2, type: 'posts' })).resolves.toBe(false);
    const h = await readStorageHealth();
    expect(h.droppedEvents).toBe(2);
    expect(h.fullSince).not.toBeNull();
    // Room again: the next write clears "full" and stores the counts.
    restore();
    expect(await logEvent({ ts: 3, type: 'posts' })).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    resetStorageHealth(); // a new worker: only what was stored is left
    expect(await readStorageHealth()).toMatchObject({ fullSince: null, droppedEvents: 2 });
    expect((await readStorageHealth()).lastFullAt).not.toBeNull();
  });

  it('a write refused for room and then closed under us once more is a full disk, not a crash', async () => {
    // What Chromium does after a disk-full error: the fresh connection's transaction is aborted,
    // or the connection closed, before it says why.
    const failures = [
      new DOMException('Encountered disk full while committing transaction.', 'QuotaExceededError'),
      new DOMException('The transaction was aborted.', 'AbortError'),
    ];
    let tries = 0;
    const write = async () => {
      const err = failures[tries++];
      if (err) throw err;
      return 'saved';
    };
    await expect(withRoom(write)).rejects.toBeInstanceOf(StorageFullError);
    expect(tries).toBe(2);
    expect((await readStorageHealth()).fullSince).not.toBeNull();
    // Anything else still surfaces as what it is.
    await expect(
      withRoom(async () => {
        throw new TypeError('a bug');
      }),
    ).rejects.toBeInstanceOf(TypeError);
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

describe('every write path on a disk that stays full', () => {
  it('the feed keeps counting (from memory) and the count is saved once there is room', async () => {
    const hello = await send({ type: 'content/hello', siteKey: 'demo', feedRoute: true });
    expect(hello.ok).toBe(true);
    const disk = fullDisk({ prunedFreesRoom: false });
    expect(await send({ type: 'posts/progress', siteKey: 'demo', posts: 10, activeMs: 5000 })).toEqual({ ok: true, data: { ok: true } });
    expect(await send({ type: 'posts/progress', siteKey: 'demo', posts: 10, activeMs: 5000 })).toMatchObject({ ok: true });
    expect(disk.refused).toBeGreaterThan(0);
    // A new ticket and a claim still work: the reader's pauses go on.
    const t = await send({ type: 'ticket/request', siteKey: 'demo' });
    const claim = await send({ type: 'ticket/claim', ticketId: t.data.ticket.id, siteKey: 'demo' });
    expect(claim.data.ok).toBe(true);
    expect((await send({ type: 'stats/today' }, page())).data.posts).toBe(20);
    restore();
    await send({ type: 'posts/progress', siteKey: 'demo', posts: 1, activeMs: 100 });
    forgetStateMemory(); // the worker stops: what was only in memory is on disk now
    expect((await send({ type: 'stats/today' }, page())).data.posts).toBe(21);
  });

  it('settings and snooze answer in words, with the code a page translates', async () => {
    await send({ type: 'settings/get' }, page());
    fullDisk({ prunedFreesRoom: false });
    for (const msg of [{ type: 'settings/patch', patch: { cadence: { everyPosts: 9 } } }, { type: 'snooze/set', kind: '1h' }, { type: 'snooze/clear' }]) {
      const res = await send(msg, page());
      expect(res, msg.type).toEqual({
        ok: false,
        code: 'storage-full',
        error: 'Your device’s storage is full, so this could not be saved. Free up some space and try again; nothing you already saved was lost.',
      });
    }
    restore();
    expect((await send({ type: 'settings/get' }, page())).data.settings.cadence.everyPosts).toBe(25);
    // Options → Data says so.
    const h = (await send({ type: 'data/health' }, page())).data;
    expect(h.storage.lastFullAt).not.toBeNull();
  });

  it('"Add image" says the storage is full', async () => {
    const c = await createCollection('Mine');
    fullDisk({ prunedFreesRoom: false });
    const image = { blob: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/webp' }), mime: 'image/webp', width: 1, height: 1 };
    await expect(addFrame(c.id, image, 'sea')).rejects.toThrow('Your device’s storage is full, so this was not saved.');
    setLocale('zh_CN');
    await expect(addFrame(c.id, image, 'sea')).rejects.toThrow('设备的存储空间已满，这一项没能保存。');
  });

  it('study rows that find no room are counted and shown, never silently lost', async () => {
    expect((await loadProtocol(EXAMPLE)).ok).toBe(true);
    await giveConsent({
      agree: true,
      uploadConsent: false,
      locale: 'en',
      extensionVersion: '1',
      participantId: 'SF-7K3M-Q9XP-2WDA-H4TZ',
      eligibilityConfirmed: true,
      enrolmentCode: 'code-1',
    });
    expect((await send({ type: 'study/status' }, page())).data.state).toBe('active');
    await send({ type: 'content/hello', siteKey: 'demo', feedRoute: true });
    const db = await getDB();
    const before = await db.count('studyLog');
    fullDisk({ prunedFreesRoom: false });
    await send({ type: 'posts/progress', siteKey: 'demo', posts: 10, activeMs: 5000 });
    await send({ type: 'posts/progress', siteKey: 'demo', posts: 10, activeMs: 5000 });
    const h = (await send({ type: 'data/health' }, page())).data;
    // At least one study write per batch of posts found no room (a batch may feed several tables).
    expect(h.storage.droppedStudyRows).toBeGreaterThanOrEqual(2);
    expect(h.storage.fullSince).not.toBeNull();
    restore();
    expect(await (await getDB()).count('studyLog')).toBe(before);
  });
});
