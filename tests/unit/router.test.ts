import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { route } from '@/utils/background/router';
import { getDB } from '@/utils/storage/db';

const page = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') });
const content = () => ({ id: fakeBrowser.runtime.id, url: 'https://x.com/home', tab: { id: 7 } as any });

async function dropped(): Promise<string[]> {
  const db = await getDB();
  return (await db.getAllFromIndex('events', 'byType', 'message-dropped')).map((e) => e.detail ?? '');
}

describe('message router', () => {
  it('answers a valid page message', async () => {
    const res = await route({ type: 'settings/get' }, page());
    expect(res.ok).toBe(true);
    expect((res as any).data.settings.cadence.everyPosts).toBe(25);
  });

  it('drops and counts malformed and unknown messages with a reason', async () => {
    const bad = await route({ type: 'posts/progress', siteKey: 'x', posts: -5, activeMs: 0 }, content());
    expect(bad).toMatchObject({ ok: false });
    expect((bad as any).error).toMatch(/posts/);
    expect((await route({ type: 'give-me-everything' }, content())).ok).toBe(false);
    expect((await route('just a string', content())).ok).toBe(false);
    expect((await route(null, content())).ok).toBe(false);
    expect(await dropped()).toHaveLength(4);
  });

  it('refuses settings changes from a content script (a page can never reach them)', async () => {
    const res = await route({ type: 'settings/replace', settings: {} }, content());
    expect(res).toMatchObject({ ok: false });
    expect(await dropped()).toEqual(['wrong-sender:settings/replace']);
  });

  it('injects a lazily loaded part of the content script into the asking tab only, and only a part it knows', async () => {
    const inject = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue([] as any);
    expect((await route({ type: 'content/part', part: 'adapter-kit' }, content())).ok).toBe(true);
    expect(inject).toHaveBeenCalledWith({ target: { tabId: 7 }, files: ['/adapter-kit.js'] });
    // Never a file the message names itself, and never for an extension page.
    expect((await route({ type: 'content/part', part: '../background' }, content())).ok).toBe(false);
    expect((await route({ type: 'content/part', part: 'adapter-kit' }, page())).ok).toBe(false);
    expect(inject).toHaveBeenCalledTimes(1);
    inject.mockRestore();
  });

  it('refuses content messages from extension pages and anything from another extension', async () => {
    expect((await route({ type: 'ticket/request', siteKey: 'x' }, page())).ok).toBe(false);
    expect((await route({ type: 'settings/get' }, { id: 'someone-else', url: 'chrome-extension://someone-else/x.html' })).ok).toBe(false);
    expect(await dropped()).toEqual(['wrong-sender:ticket/request', 'foreign-sender']);
  });

  it('issues a ticket and grants its claim once: a retry gets the same frame, and the pause counts when the tab placed it', async () => {
    // The comparison's random skips off: this claim must show its frame.
    expect((await route({ type: 'settings/patch', patch: { compareWithSkips: false } }, page())).ok).toBe(true);
    const hello: any = await route({ type: 'content/hello', siteKey: 'demo', feedRoute: true }, content());
    expect(hello.ok).toBe(true);
    const ticket = hello.data.ticket;
    expect(ticket.afterPosts).toBeGreaterThan(0);
    const first: any = await route({ type: 'ticket/claim', ticketId: ticket.id, siteKey: 'demo' }, content());
    expect(first.data.ok).toBe(true);
    expect(first.data.frame.id).toBeTruthy();
    const today = async () => ((await route({ type: 'stats/today' }, page())) as any).data.pauses;
    expect(await today()).toBe(0);
    // The reply was lost and the tab claims again: the same frame and next ticket, nothing counted twice.
    const again: any = await route({ type: 'ticket/claim', ticketId: ticket.id, siteKey: 'demo' }, content());
    expect(again.data).toMatchObject({ ok: true, frame: { id: first.data.frame.id }, next: { id: first.data.next.id } });
    expect(((await route({ type: 'frame/placed', ticketId: ticket.id, siteKey: 'demo' }, content())) as any).data.counted).toBe(true);
    expect(((await route({ type: 'frame/placed', ticketId: ticket.id, siteKey: 'demo' }, content())) as any).data.counted).toBe(false);
    expect(await today()).toBe(1);
    const db = await getDB();
    expect((await db.getAllFromIndex('events', 'byType', 'frame-shown')).map((e) => e.frameId)).toEqual([first.data.frame.id]);
  });

  it('a protocol over 200,000 characters gets the validator’s answer, not "invalid message"', async () => {
    const text = `{"studyId": "${'x'.repeat(200_010)}"}`;
    const res: any = await route({ type: 'study/load', text }, page());
    expect(res).toEqual({ ok: true, data: { ok: false, errors: [{ path: '(file)', message: 'is larger than 200000 characters' }] } });
    expect(await dropped()).toEqual([]);
  });

  it('limits what one tab may report in a minute and counts what it drops', async () => {
    await route({ type: 'content/hello', siteKey: 'demo', feedRoute: true }, content());
    const sends = [];
    for (let i = 0; i < 4; i++) sends.push(await route({ type: 'posts/progress', siteKey: 'demo', posts: 600, activeMs: 1000 }, content()));
    expect(sends.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect((sends[3] as any).error).toBe('too many reports from this tab (posts)');
    expect(await dropped()).toEqual(['rate:posts:posts/progress']);
    const stats: any = await route({ type: 'stats/today' }, page());
    expect(stats.data.posts).toBe(1800);
  });

  it('a due pause the draw withholds: no frame, a decision id to measure with, and a decision point in the general log', async () => {
    const hello: any = await route({ type: 'content/hello', siteKey: 'demo', feedRoute: true }, content());
    vi.spyOn(Math, 'random').mockReturnValue(0.95); // above p_show = 0.9: skipped
    const claim: any = await route({ type: 'ticket/claim', ticketId: hello.data.ticket.id, siteKey: 'demo' }, content());
    expect(claim.data).toMatchObject({ ok: true, frame: null, decision: { windowMs: 20_000 } });
    expect(claim.data.next).toBeTruthy();
    const db = await getDB();
    // Logged after the answer (the tab is not kept waiting for the log).
    await vi.waitFor(async () => {
      const logged = await db.getAllFromIndex('events', 'byType', 'decision');
      expect(logged).toEqual([
        expect.objectContaining({
          siteKey: 'demo',
          detail: 'withheld',
          decision: expect.objectContaining({ id: claim.data.decision.id, shown: false, pShow: 0.9 }),
        }),
      ]);
    });
    // Withholding spends nothing: no pause counted today.
    expect((await db.getAllFromIndex('events', 'byType', 'frame-shown')).length).toBe(0);
    const windows = {
      decisionId: claim.data.decision.id,
      reachedAgoMs: 20_000,
      insertedAgoMs: null,
      before: { ms: 20_000, posts: 8, pxTravelled: 4000, pxNet: 4000 },
      after: { ms: 20_000, posts: 6, pxTravelled: 3000, pxNet: 2800 },
      overlapsPrevious: false,
      censored: null,
    };
    expect((await route({ type: 'decision/windows', ...windows }, content())).ok).toBe(true);
    const [measured] = await db.getAllFromIndex('events', 'byType', 'decision');
    expect(measured.decision).toMatchObject({ before: windows.before, after: windows.after, censored: null });
  });

  it('a private window is never logged', async () => {
    const hello: any = await route({ type: 'content/hello', siteKey: 'demo', feedRoute: true }, { ...content(), tab: { id: 8, incognito: true } as any });
    await route({ type: 'posts/progress', siteKey: 'demo', posts: 10, activeMs: 1000 }, { ...content(), tab: { id: 8, incognito: true } as any });
    await route({ type: 'ticket/claim', ticketId: hello.data.ticket.id, siteKey: 'demo' }, { ...content(), tab: { id: 8, incognito: true } as any });
    const db = await getDB();
    const types = (await db.getAll('events')).map((e) => e.type);
    expect(types.filter((t) => t === 'posts' || t === 'decision' || t === 'frame-shown')).toEqual([]);
  });
});

describe('"Report a site problem" through the router', () => {
  const validReport = () => ({
    format: 'stillframe-shape-report',
    version: 1,
    stillframe: '0.1.0',
    site: 'reddit',
    feedRoute: true,
    adapter: { key: 'reddit', status: 'working', itemSelector: 'shreddit-post, #siteTable .thing' },
    counts: { containerFound: true, containerDepth: 2, matched: 3, counted: 3, lookalikes: 0, genericItems: 3, described: 5 },
    viewport: { width: 1280, height: 720 },
    tree: {
      tag: 'body',
      children: [
        {
          tag: 'div',
          known: ['#siteTable'],
          marks: ['container'],
          children: [
            { tag: 'div', classes: 2, marks: ['item'] },
            { repeat: 2, like: 0 },
          ],
        },
      ],
    },
  });

  it('is a popup message: a content script (a page beside it) cannot ask for another tab’s report', async () => {
    const res = await route({ type: 'site/report', tabId: 3 }, content());
    expect(res.ok).toBe(false);
    expect(await dropped()).toEqual(['wrong-sender:site/report']);
  });

  it('loads the builder into the tab, asks it, checks what comes back, and hands the report to the popup', async () => {
    const asked: unknown[] = [];
    const inject = vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue([] as any);
    vi.spyOn(fakeBrowser.tabs, 'get').mockImplementation((async (id: number) => ({ id })) as any);
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async (id: number, msg: unknown) => {
      asked.push([id, msg]);
      return { report: validReport() };
    }) as any);
    const res: any = await route({ type: 'site/report', tabId: 3 }, page());
    expect(inject).toHaveBeenCalledWith({ target: { tabId: 3 }, files: ['/site-report.js'] });
    expect(asked).toEqual([[3, { type: 'push/shape-report' }]]);
    expect(res.data).toEqual({ ok: true, report: validReport() });
  });

  it('refuses a report that carries more than shapes, and a tab that does not answer', async () => {
    vi.spyOn(fakeBrowser.scripting, 'executeScript').mockResolvedValue([] as any);
    vi.spyOn(fakeBrowser.tabs, 'get').mockImplementation((async (id: number) => ({ id })) as any);
    const send = vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockImplementation((async () => {
      const r: any = validReport();
      r.tree.children[0].text = 'someone’s private post';
      return { report: r };
    }) as any);
    expect(((await route({ type: 'site/report', tabId: 3 }, page())) as any).data).toEqual({ ok: false, reason: 'invalid' });
    send.mockImplementation((async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    }) as any);
    expect(((await route({ type: 'site/report', tabId: 3 }, page())) as any).data).toEqual({ ok: false, reason: 'not-here' });
  });
});
