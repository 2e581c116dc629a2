// @vitest-environment node
// (Node's Blob survives structured cloning in fake-indexeddb; happy-dom's does not.)
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import sharp from 'sharp';
import { route } from '@/utils/background/router';
import { getDB, closeDB } from '@/utils/storage/db';
import { forgetStateMemory, updateState } from '@/utils/background/state-store';
import { giveConsent, loadProtocol } from '@/utils/study/store';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addFrame, createCollection } from '@/utils/frames/user-frames';
import { checkFrameBytes, checkUserFrameRecord } from '@/utils/frames/frame-record';
import { getTabs } from '@/utils/background/tabs';

/**
 * Counting what was never shown (issue #19): a damaged image record is found before a pause
 * is spent on it, taken out and reported; a claim whose reply was lost is answered again; a
 * pause counts when the tab placed the frame. Against the real background (router, handlers,
 * IndexedDB on fake-indexeddb).
 */
const page = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html' as never) }) as never;
const tab = (id = 7, url = 'http://127.0.0.1/demo.html') => ({ id: fakeBrowser.runtime.id, url, tab: { id } }) as never;
const ok = async (msg: unknown, sender = tab()): Promise<any> => {
  const res: any = await route(msg, sender);
  if (!res.ok) throw new Error(res.error);
  return res.data;
};
const off = { enabled: false, weight: 1 };

async function onlyUserImages(): Promise<string> {
  const c = await createCollection('Mine');
  // The comparison's random skips off: every claim here must show its frame.
  await ok({ type: 'settings/patch', patch: { compareWithSkips: false, collections: { still: off, words: off, breath: off, questions: off } } }, page());
  return c.id;
}

async function realWebp(width: number, height: number): Promise<{ blob: Blob; mime: 'image/webp'; width: number; height: number }> {
  const bytes = await sharp(Buffer.alloc(width * height * 3, 90), { raw: { width, height, channels: 3 } })
    .webp()
    .toBuffer();
  return { blob: new Blob([new Uint8Array(bytes)], { type: 'image/webp' }), mime: 'image/webp', width, height };
}

async function ticket(): Promise<string> {
  const hello = await ok({ type: 'content/hello', siteKey: 'demo', feedRoute: true });
  return hello.ticket.id;
}

const pauses = async () => (await ok({ type: 'stats/today' }, page())).pauses;
const health = () => ok({ type: 'data/health' }, page());

describe('a damaged image never costs a pause', () => {
  it('a record whose bytes are not the image it claims is dropped, reported in Data, and another frame is shown instead', async () => {
    const col = await onlyUserImages();
    const good = await addFrame(col, await realWebp(40, 30), 'fine');
    const bad = await addFrame(col, await realWebp(40, 30), 'will break');
    // Damage it on disk: the bytes are no longer an image (an old version, a bad sector, a hand edit).
    const db = await getDB();
    await db.put('frames', { ...(await db.get('frames', bad.id))!, blob: new Blob([new Uint8Array(64)], { type: 'image/webp' }) } as never);
    // Several claims: the broken one is drawn at some point (two candidates), never shown.
    const shown: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await ticket();
      const res = await ok({ type: 'ticket/claim', ticketId: id, siteKey: 'demo' });
      expect(res, `claim ${i}`).toMatchObject({ ok: true });
      shown.push(res.frame.id);
      expect((await ok({ type: 'frame/placed', ticketId: id, siteKey: 'demo' })).counted).toBe(true);
    }
    expect(new Set(shown)).toEqual(new Set([good.id]));
    expect(await (await getDB()).get('frames', bad.id)).toBeUndefined();
    expect(await pauses()).toBe(4);
    const h = await health();
    expect(h.droppedFrames.count).toBe(1);
    const notes = await (await getDB()).getAllFromIndex('events', 'byType', 'notice');
    expect(notes.map((n) => [n.detail, n.frameId, n.collectionId])).toEqual([['frame-dropped:not-an-image:unknown', bad.id, col]]);
  });

  it('the only frame broken: no frame, no pause spent, the ticket still held for later', async () => {
    const col = await onlyUserImages();
    const f = await addFrame(col, await realWebp(40, 30), 'x');
    const db = await getDB();
    // Wrong recorded size (the bytes are 40 × 30): a canvas sized for it would show nothing right.
    await db.put('frames', { ...(await db.get('frames', f.id))!, width: 4000 } as never);
    const id = await ticket();
    const res = await ok({ type: 'ticket/claim', ticketId: id, siteKey: 'demo' });
    expect(res).toEqual({ ok: false, reason: 'no-frame', ticket: null });
    expect(await pauses()).toBe(0);
    const state: any = await db.get('state', 'scheduler');
    expect(Object.keys(state.granted ?? {})).toEqual([]);
    expect((await health()).droppedFrames.count).toBe(1);
  });

  it('checks the record field by field and the bytes against it', async () => {
    const img = await realWebp(8, 6);
    const rec = { id: 'user:1', collectionId: 'user-collection:1', caption: 'c', mime: 'image/webp', width: 8, height: 6, blob: img.blob, createdAt: 1 };
    expect(checkUserFrameRecord(rec, 'user:1').ok).toBe(true);
    expect(checkUserFrameRecord(rec, 'user:2')).toMatchObject({ ok: false, reason: 'record', detail: 'id' });
    expect(checkUserFrameRecord({ ...rec, blob: 'not a blob', width: -1 }, 'user:1')).toMatchObject({ ok: false, reason: 'record', detail: 'width,blob' });
    expect(checkUserFrameRecord(null, 'user:1')).toMatchObject({ ok: false, reason: 'record' });
    const bytes = new Uint8Array(await img.blob.arrayBuffer());
    expect(checkFrameBytes(rec, bytes)).toBeNull();
    expect(checkFrameBytes({ ...rec, mime: 'image/png' }, bytes)).toEqual({ reason: 'not-an-image', detail: 'webp' });
    expect(checkFrameBytes({ ...rec, width: 9 }, bytes)).toEqual({ reason: 'size-mismatch', detail: '8x6' });
  });
});

describe('a claim whose reply was lost', () => {
  it('is answered again with the same frame after the worker restarted, and the pause counts once, when placed', async () => {
    // A shown frame's claim (the comparison's random skips would withhold some at random).
    await ok({ type: 'settings/patch', patch: { compareWithSkips: false } }, page());
    const id = await ticket();
    const first = await ok({ type: 'ticket/claim', ticketId: id, siteKey: 'demo' });
    // The worker stops before the reply reaches the tab: all memory gone, IndexedDB kept.
    forgetStateMemory();
    await closeDB();
    const retry = await ok({ type: 'ticket/claim', ticketId: id, siteKey: 'demo' });
    expect(retry).toMatchObject({ ok: true, frame: { id: first.frame.id }, postsSince: first.postsSince });
    expect(retry.next?.id).toBe(first.next?.id);
    expect(await pauses()).toBe(0);
    await ok({ type: 'frame/placed', ticketId: id, siteKey: 'demo' });
    expect(await pauses()).toBe(1);
    // A placement the background never granted counts nothing.
    expect((await ok({ type: 'frame/placed', ticketId: 'forged', siteKey: 'demo' })).counted).toBe(false);
    expect(await pauses()).toBe(1);
  });
});

describe('a claim granted just before the worker stopped, in a study', () => {
  it('logs the decision point and its impression on the retry, once, when the worker stopped before the study had', async () => {
    const protocol = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'protocol.example.json'), 'utf8'));
    protocol.arms = [{ id: 'always', weight: 1, pShow: 1, cadence: { everyPosts: 5, jitterPct: 0, minGapMinutes: 0, dailyCap: 0 } }];
    expect((await loadProtocol(JSON.stringify(protocol))).ok).toBe(true);
    await giveConsent({
      agree: true,
      uploadConsent: false,
      locale: 'en',
      extensionVersion: '1',
      participantId: 'SF-7K3M-Q9XP-2WDA-H4TZ',
      eligibilityConfirmed: true,
      enrolmentCode: null,
    });
    const id = await ticket();
    const first = await ok({ type: 'ticket/claim', ticketId: id, siteKey: 'demo' });
    expect(first.frame).not.toBeNull();
    const impressions = async () => (await (await getDB()).getAllFromIndex('studyLog', 'byTable', 'impressions')).map((r: any) => r.data.frame_id);
    expect(await impressions()).toEqual([first.frame.id]);
    // The worker stopped after the grant was saved but before the study wrote its rows.
    const db = await getDB();
    await db.delete('studyLog', first.decision.id);
    await db.delete('studyLog', first.study.impressionId);
    await updateState((s) => ({ state: { ...s, granted: { ...s.granted, [id]: { ...s.granted[id], study: undefined } } }, result: null }));
    forgetStateMemory();
    await closeDB();
    // The tab never had its reply and asks again: the same frame, and now its impression.
    const retry = await ok({ type: 'ticket/claim', ticketId: id, siteKey: 'demo' });
    expect(retry.frame.id).toBe(first.frame.id);
    expect(retry.study?.impressionId).toEqual(expect.any(String));
    expect(await impressions()).toEqual([first.frame.id]);
    expect((await (await getDB()).get('studyLog', first.decision.id))?.data.impression_id).toBe(retry.study.impressionId);
    // Asked once more: nothing doubled.
    const again = await ok({ type: 'ticket/claim', ticketId: id, siteKey: 'demo' });
    expect(again.study.impressionId).toBe(retry.study.impressionId);
    expect(await impressions()).toEqual([first.frame.id]);
  });
});

describe('a site nobody switched on', () => {
  it('is not stored as a tab; a site that is on is, and a status report never adds one', async () => {
    await ok({ type: 'content/hello', siteKey: 'custom:127.0.0.1', feedRoute: true }, tab(3, 'http://127.0.0.1/router.html'));
    await ok({ type: 'adapter/status', siteKey: 'custom:127.0.0.1', status: 'working', adapter: 'generic' }, tab(3));
    expect(await getTabs()).toEqual({});
    await ok({ type: 'content/hello', siteKey: 'demo', feedRoute: true }, tab(4));
    expect(Object.keys(await getTabs())).toEqual(['4']);
    // The same tab moving on to a site that is off is forgotten.
    await ok({ type: 'content/hello', siteKey: 'custom:router.example', feedRoute: true }, tab(4));
    expect(await getTabs()).toEqual({});
  });
});
