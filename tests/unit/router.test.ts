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

  it('refuses content messages from extension pages and anything from another extension', async () => {
    expect((await route({ type: 'ticket/request', siteKey: 'x' }, page())).ok).toBe(false);
    expect((await route({ type: 'settings/get' }, { id: 'someone-else', url: 'chrome-extension://someone-else/x.html' })).ok).toBe(false);
    expect(await dropped()).toEqual(['wrong-sender:ticket/request', 'foreign-sender']);
  });

  it('issues a ticket to a content script and grants its claim exactly once', async () => {
    const hello: any = await route({ type: 'content/hello', siteKey: 'demo', feedRoute: true }, content());
    expect(hello.ok).toBe(true);
    const ticket = hello.data.ticket;
    expect(ticket.afterPosts).toBeGreaterThan(0);
    const first: any = await route({ type: 'ticket/claim', ticketId: ticket.id, siteKey: 'demo' }, content());
    expect(first.data.ok).toBe(true);
    expect(first.data.frame.id).toBeTruthy();
    const again: any = await route({ type: 'ticket/claim', ticketId: ticket.id, siteKey: 'demo' }, content());
    expect(again.data.ok).toBe(false);
  });
});

describe('"Report a site problem" through the router', () => {
  const validReport = () => ({
    format: 'stillframe-shape-report', version: 1, stillframe: '0.1.0', site: 'reddit', feedRoute: true,
    adapter: { key: 'reddit', status: 'working', itemSelector: 'shreddit-post, #siteTable .thing' },
    counts: { containerFound: true, containerDepth: 2, matched: 3, counted: 3, lookalikes: 0, genericItems: 3, described: 5 },
    viewport: { width: 1280, height: 720 },
    tree: { tag: 'body', children: [{ tag: 'div', known: ['#siteTable'], marks: ['container'], children: [{ tag: 'div', classes: 2, marks: ['item'] }, { repeat: 2, like: 0 }] }] },
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
