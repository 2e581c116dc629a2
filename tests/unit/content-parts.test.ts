import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FramePlacer, type PlacerDeps } from '@/utils/content/frame-placer';
import { FrameLifecycle, type PreparedFrame, type PrepareRequest } from '@/utils/content/frame-lifecycle';
import { DecisionProbe } from '@/utils/content/decision-probe';
import { FeedBreakCover } from '@/utils/content/feed-break';
import { StopPanel } from '@/utils/content/stop-panel';
import { extensionVersion } from '@/utils/content/lazy-part';
import { SiteRoute } from '@/utils/content/site-route';
import { FRAME_UI_CONTRACT, type FrameUI } from '@/utils/content/frame-ui-contract';
import { lastInputAt, onInputResumed } from '@/utils/content/input-recency';
import type { FeedWatcher } from '@/utils/content/feed-watcher';
import type { FeedAdapter } from '@/utils/feeds/types';
import type { Ticket } from '@/utils/schedule/types';
import { loadFixture } from './feeds-fixture';
import { kitAccess } from './kit-access';

/**
 * The content controller's three parts, each with fakes for what it talks to: the background
 * (a scripted `send`), the frame UI, and IntersectionObserver (controlled by the test).
 */

class FakeIO {
  static all: FakeIO[] = [];
  targets: Element[] = [];
  constructor(public cb: (entries: Array<Partial<IntersectionObserverEntry>>) => void) {
    FakeIO.all.push(this);
  }
  observe(el: Element) {
    this.targets.push(el);
  }
  unobserve() {}
  disconnect() {}
}

beforeEach(() => {
  FakeIO.all = [];
  vi.stubGlobal('IntersectionObserver', FakeIO);
});
afterEach(() => vi.unstubAllGlobals());

const ticket = (id: string, afterPosts: number): Ticket => ({ id, afterPosts, afterActiveMs: null, issuedAt: 0, expiresAt: Date.now() + 3_600_000 }) as Ticket;
const frame = { id: 'words:en:01', collectionId: 'words', attribution: '', kind: 'breath', text: 'Breathe' } as const;

/** Posts in a list, each with a bounding box below or above the fold as the test says. */
function posts(n: number): HTMLElement[] {
  document.body.innerHTML = '';
  const els: HTMLElement[] = [];
  for (let i = 0; i < n; i++) {
    const el = document.createElement('article');
    el.textContent = `Post ${i}`;
    document.body.append(el);
    els.push(el);
  }
  return els;
}
/** Well below the fold: more than a screen (800 px here) past it (FOLD_MARGIN_VIEWPORTS). */
const below = (el: Element) => vi.spyOn(el, 'getBoundingClientRect').mockReturnValue({ top: 1700, bottom: 1900 } as DOMRect);
/** Below the fold, but within a screen of it: one fast wheel step away. */
const nearFold = (el: Element) => vi.spyOn(el, 'getBoundingClientRect').mockReturnValue({ top: 900, bottom: 1100 } as DOMRect);
const above = (el: Element) => vi.spyOn(el, 'getBoundingClientRect').mockReturnValue({ top: 100, bottom: 300 } as DOMRect);

/** A frame as the lifecycle builds it off the page, saying `postsSince`; `recount` rewrites that (as createFrameHost's recountFrameHost). */
function builtFrame(postsSince: number): PreparedFrame & { said: () => number } {
  const req = { postsSince } as PrepareRequest;
  return {
    host: document.createElement('stillframe-pause'),
    req,
    start: () => () => {},
    recount: (n) => void (req.postsSince = n),
    said: () => req.postsSince,
  };
}

/** FeedWatcher.seqBeyond on a feed of equal posts, four to a viewport: ten posts past the reader's last, if not past `max`. */
const tenPastTheReader =
  (passed: () => number) =>
  (minSeq: number, max: number): number | null => {
    const seq = Math.max(minSeq, passed() + 10);
    return seq > max ? null : seq;
  };

/**
 * A placer over a list of posts: `registered` of them are in the page (sequence numbers 0…),
 * `passed` have been seen; the near-the-fold observer, the page's changes, the browser's next
 * rendering and time are driven by the test. Places are checked against the fold (with its
 * margin) through the posts' bounding boxes, as the controller does.
 */
function placer(els: HTMLElement[], over: Partial<PlacerDeps> = {}) {
  const sent: any[] = [];
  const inserted: Array<{ item: Element; seq: number; place: unknown }> = [];
  const ghosts: Array<{ id: string; seq: number }> = [];
  const surveys: Array<{ item: Element; offerId: string }> = [];
  let passed = 0;
  let registered = els.length;
  let claimReply: any = { ok: true, decision: { id: 'dec-1', windowMs: 10_000 }, frame, postsSince: 5, firstToday: false, next: ticket('t2', 5) };
  const near = new Map<Element, (near: boolean) => void>();
  const margin = new Map<Element, (near: boolean) => void>();
  const timers: Array<() => void> = [];
  const frames: Array<() => void> = [];
  const d: PlacerDeps = {
    send: (async (msg: any) => {
      sent.push(msg);
      if (msg.type === 'ticket/claim') return claimReply;
      if (msg.type === 'ticket/request') return { ticket: ticket('t3', 5), reason: null };
      return { ok: true };
    }) as any,
    siteKey: () => 'demo',
    passed: () => passed,
    active: () => true,
    isInvalid: () => false,
    flushProgress: vi.fn(),
    uiReady: () => true,
    loadUI: async () => ({}),
    spot: (minSeq) => {
      const i = els.findIndex((_, k) => k >= minSeq && k < registered);
      return i < 0 ? null : { el: els[i], seq: i };
    },
    seqBeyond: () => null,
    registered: () => registered,
    newest: () => (registered ? { el: els[registered - 1], seq: registered - 1 } : null),
    watchNear: (el, cb) => {
      near.set(el, cb);
      return () => near.delete(el);
    },
    watchMargin: (el, cb) => {
      margin.set(el, cb);
      return () => margin.delete(el);
    },
    // The fold is at 800 px; a frame's place must be a screen past it (FOLD_MARGIN_VIEWPORTS).
    belowFold: (el) => el.getBoundingClientRect().bottom > 1600,
    wholeBelowFold: (el) => el.getBoundingClientRect().top > 800,
    needsPlan: () => false,
    plan: () => null,
    prepare: (_f, postsSince) => builtFrame(postsSince),
    mount: (_p, item, seq, place) => {
      inserted.push({ item, seq, place });
      return seq;
    },
    discard: vi.fn(),
    nextFrame: (fn) => void frames.push(fn),
    whenIdle: () => {},
    after: (fn) => void timers.push(fn),
    ghost: (decision, seq) => ghosts.push({ id: decision.id, seq }),
    insertSurvey: (item, offer) => (surveys.push({ item, offerId: offer.offerId }), true),
    placed: vi.fn(),
    reading: () => true,
    ...over,
  };
  const p = new FramePlacer(d);
  return {
    p,
    sent,
    inserted,
    ghosts,
    surveys,
    d,
    setPassed: (n: number) => (passed = n),
    setRegistered: (n: number) => (registered = n),
    replyToClaim: (r: any) => (claimReply = r),
    /** The observer reports how close to the fold a watched post is. */
    near: (el: Element, isNear: boolean) => near.get(el)?.(isNear),
    watched: (el: Element) => near.has(el),
    /** The fold's-margin observer reports on a watched post (the feed's end). */
    margin: (el: Element, isNear: boolean) => margin.get(el)?.(isNear),
    /** The browser's next rendering update runs (the page's change is laid out). */
    render: () => frames.splice(0).forEach((fn) => fn()),
    /** Time passes with nobody scrolling. */
    still: () => timers.splice(0).forEach((fn) => fn()),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

/**
 * A page that has appended ten posts at a time (posts 0–19 are in it), a ticket due after post 24,
 * and the reader at their first post: the frame's place is not in the page yet.
 */
function readOnAppendingPage(t: ReturnType<typeof placer>): void {
  t.setRegistered(10);
  t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 25) });
  t.p.onFeedMutated();
  t.setRegistered(20);
  t.p.onFeedMutated();
  t.render();
  t.setPassed(1);
  t.p.afterPassed(Date.now());
}

describe('FramePlacer', () => {
  it("claims once its place is in the page and goes in with the page's next change while that place is far below the fold", async () => {
    const els = posts(30);
    const t = placer(els);
    t.setRegistered(3);
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) }); // place: post 4
    t.p.afterPassed(Date.now());
    expect(t.sent.filter((m) => m.type === 'ticket/claim')).toHaveLength(0); // post 4 is not in the page yet
    t.setRegistered(10); // the page appends: post 4 is there now
    t.p.onFeedMutated();
    expect(t.sent.at(-1)).toMatchObject({ type: 'ticket/claim', ticketId: 't1', siteKey: 'demo' });
    expect(t.d.flushProgress).toHaveBeenCalled();
    expect(t.watched(els[4])).toBe(true);
    await flush();
    // Granted after the page's change was laid out, with no word yet on how far post 4 is: it waits.
    t.render();
    expect(t.inserted).toHaveLength(0);
    t.near(els[4], false); // further down than the fold's margin and a screen more
    t.setRegistered(20);
    t.p.onFeedMutated(); // the page changes the feed again: the frame goes in with it
    expect(t.inserted.map((x) => x.seq)).toEqual([4]);
    // Only now, placed, does the background count the pause.
    expect(t.d.placed).toHaveBeenCalledExactlyOnceWith('t1', 'demo');
    // The next ticket came with the claim and counts from the frame's post.
    expect(t.p.lastAnchorSeq).toBe(4);
    expect(t.p.tracker.ticket?.id).toBe('t2');
    expect(t.p.tracker.target).toBe(9);
  });

  it("on a page that appends posts, claims before the frame's place exists and goes in with the very append that brings it, reading no layout", async () => {
    const els = posts(40);
    const layoutReads = vi.fn(() => true);
    const built: number[] = [];
    const t = placer(els, {
      belowFold: layoutReads,
      wholeBelowFold: layoutReads,
      prepare: (_f, postsSince) => (built.push(postsSince), builtFrame(postsSince)),
    });
    readOnAppendingPage(t);
    // Post 24 is not in the page, but the page's next append will bring it: claimed now.
    expect(t.sent.filter((m) => m.type === 'ticket/claim')).toHaveLength(1);
    await flush();
    t.margin(els[19], false); // the feed's end was last seen beyond the fold's margin
    t.setRegistered(30);
    t.p.onFeedMutated(); // the append that brings post 24
    expect(t.inserted.map((x) => x.seq)).toEqual([24]);
    expect(layoutReads).not.toHaveBeenCalled();
    // Claimed at the append, before the reader had passed a post: the frame also counts the 25
    // posts (0–24) the reader passes to reach it.
    expect(built).toEqual([5 + 25]);
    expect(t.d.placed).toHaveBeenCalledExactlyOnceWith('t1', 'demo');
  });

  it('learns how many posts the page appends at a time from its very first append, and claims the next frame ahead of the append that brings its place', async () => {
    // performance.spec (Reddit): the batch was learnt only from the second append, so the frame due
    // in it was claimed after it, and went in by itself.
    const els = posts(60);
    const t = placer(els);
    const claims = () => t.sent.filter((m) => m.type === 'ticket/claim');
    t.setRegistered(20); // the page's first render
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 35) }); // place: post 34
    t.setPassed(2);
    t.p.afterPassed(Date.now());
    expect(claims()).toHaveLength(0); // not in the page, and nothing says this page appends
    t.setRegistered(30); // its first append: ten posts
    t.p.onFeedMutated();
    t.render();
    expect(claims()).toHaveLength(0); // post 34 is still not in the page…
    t.setPassed(5);
    t.p.afterPassed(Date.now());
    expect(claims()).toHaveLength(1); // …but the next append of ten brings it
  });

  it('claims the next frame the moment one goes in, not at the next post seen (the append that brings its place may come first)', async () => {
    const els = posts(60);
    const t = placer(els);
    const claims = () => t.sent.filter((m) => m.type === 'ticket/claim').map((m) => m.ticketId);
    readOnAppendingPage(t);
    await flush();
    t.margin(els[19], false);
    t.setRegistered(30);
    t.p.onFeedMutated(); // the append that brings post 24: the frame goes in with it
    expect(t.inserted.map((x) => x.seq)).toEqual([24]);
    // The next ticket (t2, five posts on: post 29) came with the claim; its place is in the page.
    expect(claims()).toEqual(['t1', 't2']);
  });

  it("does not go in with an append whose posts may be within the fold's margin (the end was last seen inside it)", async () => {
    const els = posts(40);
    const t = placer(els);
    readOnAppendingPage(t);
    await flush();
    t.margin(els[19], true);
    t.setRegistered(30);
    t.p.onFeedMutated();
    expect(t.inserted).toHaveLength(0);
  });

  it('on a stacked feed, goes in with an append whose posts were never seen far, at the first post far enough by count, reading no layout, and says the posts since the last pause as of there', async () => {
    const els = posts(60);
    const layoutReads = vi.fn(() => true);
    const frames: Array<ReturnType<typeof builtFrame>> = [];
    const t = placer(els, {
      belowFold: layoutReads,
      wholeBelowFold: layoutReads,
      seqBeyond: tenPastTheReader(() => t.d.passed()),
      prepare: (_f, postsSince) => {
        const f = builtFrame(postsSince);
        frames.push(f);
        return f;
      },
    });
    readOnAppendingPage(t);
    await flush();
    t.margin(els[19], true); // the feed's end was last seen inside the fold's margin: nothing an append brings was seen far
    t.setPassed(20); // the reader reads on, to four posts before the frame's place (post 24)
    t.p.afterPassed(Date.now());
    t.setRegistered(30);
    t.p.onFeedMutated(); // an append: post 24 is too near, and by count post 30 would do, but it is not in the page yet
    expect(t.inserted).toHaveLength(0);
    t.setRegistered(40);
    t.p.onFeedMutated(); // the next append brings it
    expect(t.inserted.map((x) => x.seq)).toEqual([30]);
    expect(layoutReads).not.toHaveBeenCalled();
    // Built for post 24 (5 since the last pause + 25 to reach it), it goes in six posts later and says so.
    expect(frames).toHaveLength(1);
    expect(frames[0].said()).toBe(5 + 25 + 6);
    expect(t.d.placed).toHaveBeenCalledExactlyOnceWith('t1', 'demo');
  });

  it('on a stacked feed whose page appends as the reader goes, a frame whose place came near waits for the append that brings a place far enough, not going in by itself; a reader who stops gets it', async () => {
    /**
     * Post 24 due; the reader at post 20 when the page appends up to post 25: by count (ten posts
     * past the reader, as FeedWatcher.spotBeyond would say), nothing in the page is far enough,
     * and the frame's place (24) comes near.
     */
    async function waitingNearTheEnd() {
      const els = posts(60);
      const t = placer(els, {
        seqBeyond: tenPastTheReader(() => t.d.passed()),
        belowFold: () => true,
      });
      readOnAppendingPage(t);
      await flush();
      t.setPassed(20);
      t.p.afterPassed(Date.now());
      t.setRegistered(26);
      t.p.onFeedMutated(); // brings post 24, but nothing far enough yet
      t.render();
      t.p.afterPassed(Date.now());
      t.near(els[24], true); // on a feed that is not stacked it would go in now, by itself
      expect(t.inserted).toHaveLength(0);
      return t;
    }

    const t = await waitingNearTheEnd();
    t.setRegistered(36);
    t.p.onFeedMutated(); // the append: in with it, at the place by count
    expect(t.inserted.map((x) => x.seq)).toEqual([30]);

    // The reader stops before the append: it goes in by itself.
    const u = await waitingNearTheEnd();
    u.still();
    expect(u.inserted).toHaveLength(1);

    // Not for long: an append that brings no place far enough (a fast reader at the page's end),
    // and the reader reads on: a place by count would be more than six posts past the due place
    // (24), further than going in by itself moves a frame on. It goes in by itself.
    const v = await waitingNearTheEnd();
    v.setRegistered(29);
    v.p.onFeedMutated();
    v.render();
    expect(v.inserted).toHaveLength(0);
    v.setPassed(21);
    v.p.afterPassed(Date.now());
    expect(v.inserted.map((x) => x.seq)).toEqual([24]);
  });

  it('follows the feed\u2019s end every few posts, not at each post, even where every new end is near (a virtualised timeline mounting cells a screen ahead)', async () => {
    const els = posts(80);
    const moves: number[] = [];
    const margin = new Map<Element, (near: boolean) => void>();
    const t = placer(els, {
      watchMargin: (el, cb) => {
        moves.push(els.indexOf(el as HTMLElement));
        margin.set(el, cb);
        return () => margin.delete(el);
      },
    });
    readOnAppendingPage(t);
    await flush();
    // One post mounted and one passed at a time, the new end always within the margin.
    for (let n = 21; n <= 60; n++) {
      t.setRegistered(n);
      t.p.onFeedMutated();
      t.render();
      margin.get(els[moves.at(-1)!])?.(true);
      t.setPassed(n - 19);
      t.p.afterPassed(Date.now());
    }
    expect(moves.length).toBeLessThanOrEqual(1 + 40 / 8 + 1);
  });

  it('claims nothing ahead of its place on a page that has never appended posts (a static feed)', () => {
    const els = posts(40);
    const t = placer(els);
    t.setRegistered(20);
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 25) });
    t.p.onFeedMutated(); // a change that added nothing
    t.setPassed(1);
    t.p.afterPassed(Date.now());
    expect(t.sent.filter((m) => m.type === 'ticket/claim')).toHaveLength(0);
  });

  it('goes in by itself when its place comes near and the page changed nothing, at the next post still well below the fold', async () => {
    const els = posts(12);
    const t = placer(els);
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) });
    t.p.afterPassed(Date.now());
    await flush();
    nearFold(els[4]); // below the fold, but within a screen of it: one fast wheel step away
    below(els[5]);
    t.near(els[4], true);
    expect(t.inserted.map((x) => x.seq)).toEqual([5]);
    expect(t.inserted[0].place).toBeUndefined(); // a fresh moment: the adapter's own insertion
  });

  it('a post just below the fold, within a screen of it, is no place for a frame: a fast wheel step could bring it into view', async () => {
    const els = posts(8);
    const t = placer(els);
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) });
    t.p.afterPassed(Date.now());
    await flush();
    nearFold(els[4]);
    nearFold(els[5]);
    below(els[6]);
    t.still(); // nobody scrolls: the frame goes in by itself, but not within a screen of the fold
    expect(t.inserted.map((x) => x.seq)).toEqual([6]);
  });

  it('a reader who jumps past where the frame was due (End key, a fling) gets it at the next fresh moment, not only when they stop', async () => {
    const els = posts(40);
    const t = placer(els);
    for (const el of els) below(el);
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) }); // due after post 4
    t.p.afterPassed(Date.now());
    await flush();
    // A jump: posts 0–11 went by before the observer ever said how far post 4 was, and the page
    // appended in the same turn (its change is not laid out yet: reading layout now would force it).
    for (const el of els.slice(0, 12)) above(el);
    t.p.onFeedMutated();
    t.setPassed(12);
    t.p.afterPassed(Date.now());
    expect(t.inserted).toHaveLength(0);
    t.render(); // the page's change is laid out
    t.still(); // the task queued after that rendering (not the reader stopping: no post count is checked)
    expect(t.inserted.map((x) => x.seq)).toEqual([13]);
    // Another jump with nothing pending in the page: in at once.
    for (const el of els.slice(12, 30)) above(el);
    t.setPassed(30);
    t.p.afterPassed(Date.now());
    await flush();
    t.setPassed(31);
    t.p.afterPassed(Date.now());
    expect(t.inserted.map((x) => x.seq)).toEqual([13, 32]);
    // A page that changes its feed in every frame (a virtualised timeline) never stands still: the
    // late frame goes in after one rendering all the same.
    for (const el of els.slice(32, 38)) above(el);
    t.setPassed(36);
    t.p.afterPassed(Date.now()); // claims the next one (due after post 37)
    await flush();
    t.p.onFeedMutated();
    t.setPassed(38);
    t.p.afterPassed(Date.now());
    t.render();
    t.p.onFeedMutated(); // the page changed the feed again before our task ran
    t.still();
    expect(t.inserted.map((x) => x.seq)).toEqual([13, 32, 39]);
  });

  it('when the reader stops, a waiting frame goes in by itself (nobody is scrolling)', async () => {
    const els = posts(12);
    const t = placer(els);
    for (const el of els) below(el);
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) });
    t.p.afterPassed(Date.now());
    await flush();
    t.near(els[4], false);
    expect(t.inserted).toHaveLength(0);
    t.still();
    expect(t.inserted.map((x) => x.seq)).toEqual([4]);
    // The next one (t2, post 9, in the page) is not claimed while nobody scrolls: claimed at once,
    // it would go in by itself too at the next still moment, and the next after it, each counted a pause.
    await flush();
    t.still();
    expect(t.sent.filter((m) => m.type === 'ticket/claim').map((m) => m.ticketId)).toEqual(['t1']);
    expect(t.inserted).toHaveLength(1);
  });

  it('a withheld decision point puts nothing in the page but is measured at the same kind of place, and the next one counts from it', async () => {
    const els = posts(12);
    const t = placer(els);
    t.replyToClaim({ ok: true, decision: { id: 'dec-w', windowMs: 10_000 }, frame: null, postsSince: 5, next: ticket('t2', 5) });
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) });
    t.p.afterPassed(Date.now());
    await flush();
    above(els[4]);
    below(els[5]);
    t.near(els[4], true);
    expect(t.inserted).toHaveLength(0);
    expect(t.ghosts).toEqual([{ id: 'dec-w', seq: 5 }]);
    expect(t.p.lastAnchorSeq).toBe(5);
    expect(t.p.tracker.target).toBe(10);
  });

  it('a study decision point that could not be delivered (snoozed) is not asked again at every post: the next counts from it', async () => {
    const els = posts(14);
    const t = placer(els);
    t.setRegistered(10); // posts 0–9 are in the page
    t.replyToClaim({ ok: false, reason: 'snoozed', ticket: ticket('t2', 5), unavailable: true });
    t.p.attached({ resumedFrom: null, adoptedAnchor: 0, configTicket: ticket('t1', 5) });
    for (const el of els) below(el);
    t.p.afterPassed(Date.now());
    await flush();
    const claims = () => t.sent.filter((m) => m.type === 'ticket/claim').length;
    expect(claims()).toBe(1);
    expect(t.p.lastAnchorSeq).toBe(5);
    expect(t.p.tracker.target).toBe(10);
    for (let i = 1; i < 4; i++) {
      t.setPassed(i);
      t.p.afterPassed(Date.now());
    }
    await flush();
    expect(claims()).toBe(1);
    // The next decision point's place (post 10) comes into the page: that one is claimed, once;
    // and so, once, is the one after it (post 15), which the page's next append of four will bring.
    t.replyToClaim({ ok: false, reason: 'snoozed', ticket: ticket('t3', 5), unavailable: true });
    t.setRegistered(14);
    t.p.onFeedMutated();
    await flush();
    for (let i = 4; i < 8; i++) {
      t.setPassed(i);
      t.p.afterPassed(Date.now());
      await flush();
    }
    expect(t.sent.filter((m) => m.type === 'ticket/claim').map((m) => m.ticketId)).toEqual(['t1', 't2', 't3']);
  });

  it('a survey due by its own schedule goes in at the next place below the fold, without touching the cadence', async () => {
    const els = posts(6);
    const t = placer(els);
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 50) });
    t.p.offerSurvey({ offerId: 'srv-1', prompt: { questionId: 'mood', question: 'How?', min: 1, max: 5 } });
    nearFold(els[1]);
    below(els[2]);
    t.p.afterPassed(Date.now());
    expect(t.surveys.map((x) => [x.item, x.offerId])).toEqual([[els[2], 'srv-1']]);
    expect(t.p.lastAnchorSeq).toBe(-1);
    t.setPassed(1);
    t.p.afterPassed(Date.now());
    expect(t.surveys).toHaveLength(1);
  });

  it('a granted frame that cannot be put in the page is never confirmed placed (no pause counted)', async () => {
    const els = posts(30);
    const t = placer(els, { mount: () => null });
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) });
    t.p.afterPassed(Date.now());
    expect(t.sent.filter((m) => m.type === 'ticket/claim')).toHaveLength(1);
    await flush();
    t.near(els[4], false);
    t.p.onFeedMutated();
    t.still();
    expect(t.d.placed).not.toHaveBeenCalled();
  });

  it('posts that passed with nobody reading keep the frame as many posts away as it was', () => {
    const els = posts(30);
    const t = placer(els);
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) });
    // A page scrolled 20 posts by itself (input-gate.ts): the target moves with them.
    t.p.passedUnread(20);
    expect(t.p.tracker.target).toBe(24);
  });

  it('claims nothing while nobody is reading (a page scrolling itself), then goes on', async () => {
    const els = posts(30);
    let reading = false;
    const t = placer(els, { reading: () => reading });
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) });
    t.p.afterPassed(Date.now());
    t.p.onFeedMutated();
    expect(t.sent.filter((m) => m.type === 'ticket/claim')).toHaveLength(0);
    reading = true;
    t.p.afterPassed(Date.now());
    expect(t.sent.filter((m) => m.type === 'ticket/claim')).toHaveLength(1);
  });

  it('a refused claim for the same ticket keeps its place in the count and waits out the gap', async () => {
    const els = posts(8);
    const t = placer(els);
    t.replyToClaim({ ok: false, reason: 'min-gap', ticket: ticket('t1', 5), retryAt: Date.now() + 60_000 });
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 5) });
    for (const el of els) below(el);
    t.p.afterPassed(Date.now());
    await flush();
    expect(t.p.tracker.target).toBe(4);
    expect(t.p.tracker.notBefore).toBeGreaterThan(Date.now());
    t.setPassed(5);
    t.p.afterPassed(Date.now());
    expect(t.sent.filter((m) => m.type === 'ticket/claim')).toHaveLength(1);
    expect(t.inserted).toHaveLength(0);
  });

  it('stands down: no ticket, no granted frame', async () => {
    const els = posts(8);
    const t = placer(els);
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 2) });
    t.p.standDown();
    for (const el of els) below(el);
    for (let i = 0; i < 8; i++) {
      t.setPassed(i);
      t.p.afterPassed(Date.now());
      t.p.onFeedMutated();
    }
    await flush();
    expect(t.sent.filter((m) => m.type === 'ticket/claim')).toHaveLength(0);
    expect(t.inserted).toHaveLength(0);
  });

  it('without a ticket (daily cap) asks again only every ten posts', async () => {
    const sent: any[] = [];
    const t = placer(posts(30), {
      send: (async (msg: any) => {
        sent.push(msg);
        return { ticket: null, reason: 'daily-cap' };
      }) as any,
    });
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: null });
    for (let n = 1; n <= 25; n++) {
      t.setPassed(n);
      t.p.afterPassed(Date.now());
      await flush();
    }
    expect(sent.filter((m) => m.type === 'ticket/request').map(() => 1)).toHaveLength(3); // at posts 1, 11, 21
  });

  it('resuming a feed keeps the remaining distance and counts from our frames already there', () => {
    const t = placer(posts(2));
    t.p.attached({ resumedFrom: null, adoptedAnchor: -1, configTicket: ticket('t1', 10) });
    expect(t.p.tracker.target).toBe(9);
    t.setPassed(3);
    // Navigated away at post 6, came back to a re-rendered list where 2 posts are already passed.
    t.p.attached({ resumedFrom: 6, adoptedAnchor: -1, configTicket: ticket('t1', 10) });
    expect(t.p.tracker.target).toBe(2 + 3);
  });
});

function fakeUI() {
  const created: HTMLElement[] = [];
  const destroyed: Element[] = [];
  let onAction: ((a: 'continue' | 'break' | 'fewer') => void) | null = null;
  const ui: FrameUI = {
    contract: FRAME_UI_CONTRACT,
    version: extensionVersion(),
    createFrameHost: (win, opts) => {
      const host = win.document.createElement('stillframe-pause');
      onAction = opts.onAction;
      created.push(host);
      return host;
    },
    createSurveyHost: (win) => {
      const host = win.document.createElement('stillframe-survey');
      created.push(host);
      return host;
    },
    destroyFrameHost: (host) => {
      destroyed.push(host);
      host.remove();
    },
    recountFrameHost: () => {},
    createCover: () => ({ update: () => {}, remove: () => {} }),
    createStopHost: (win) => win.document.createElement('stillframe-stop'),
    setLocale: () => {},
    freezeFrameHost: () => false,
    frameLifecycle: (deps) => new FrameLifecycle(deps),
    decisionProbe: (deps) => new DecisionProbe(deps),
    feedBreakCover: (win, siteKey, onLifted) => new FeedBreakCover(win, () => ({ update: () => {}, remove: () => {} }), siteKey, onLifted),
    stopPanel: (win, deps) =>
      new StopPanel(win, { createStopHost: (w) => w.document.createElement('stillframe-stop'), destroyFrameHost: (host) => host.remove() }, deps),
  };
  return { ui, created, destroyed, act: (a: 'continue' | 'break' | 'fewer') => onAction!(a) };
}

function lifecycle() {
  const posted: any[] = [];
  const u = fakeUI();
  const timers: Array<() => void> = [];
  const placed: Array<{ id: string; host: Element }> = [];
  const f = new FrameLifecycle({
    win: window,
    post: (m) => posted.push(m),
    ui: () => u.ui,
    setTimeout: (fn) => timers.push(fn),
    placed: (d, host) => placed.push({ id: d.id, host }),
    input: { lastInputAt, onInputResumed },
  });
  const watcher = { anchorOf: () => null, trackFrame: vi.fn() } as unknown as FeedWatcher;
  const adapter = { key: 'demo', name: 'Demo', itemSelector: 'article' } as FeedAdapter;
  const onBreak = vi.fn();
  // What every insert carries besides the post and the frame.
  const extra = { firstToday: false, breakMinutes: 15, onBreak, fewerPauses: async () => null, decision };
  return { f, posted, u, timers, watcher, adapter, extra, onBreak, placed };
}

/** An IntersectionObserver that sees its target fully in view as soon as it observes it. */
class InViewObserver {
  constructor(private cb: IntersectionObserverCallback) {}
  observe(target: Element) {
    this.cb([{ target, isIntersecting: true, intersectionRatio: 1, intersectionRect: { height: 300 } } as never], this as never);
  }
  disconnect() {}
  unobserve() {}
}

const decision = { id: 'dec-1', windowMs: 10_000 };

describe('FrameLifecycle', () => {
  it('mounts the frame after the post, reports the action once, and unmounts it', () => {
    const els = posts(3);
    const t = lifecycle();
    const seq = t.f.insert({
      adapter: t.adapter,
      watcher: t.watcher,
      item: els[1],
      seq: 1,
      frame: frame as any,
      postsSince: 5,
      siteKey: 'demo',
      gentleHold: false,
      ...t.extra,
    });
    expect(seq).toBe(1);
    expect(els[1].nextElementSibling?.localName).toBe('stillframe-pause');
    expect(t.watcher.trackFrame).toHaveBeenCalledWith(els[1], t.u.created[0]);
    t.u.act('continue');
    t.u.act('continue');
    const reports = t.posted.filter((m) => m.type === 'frame/report');
    // One report, with the decision point it belongs to and the one exposure measurement.
    expect(reports).toEqual([expect.objectContaining({ action: 'continue', frameId: frame.id, siteKey: 'demo', decisionId: 'dec-1' })]);
    expect(reports[0].exposure).toMatchObject({ method: 'io-v1', seen: false, inViewMs: 0 });
    expect(t.placed).toEqual([{ id: 'dec-1', host: t.u.created[0] }]);
    expect(t.u.destroyed).toEqual([t.u.created[0]]);
    expect(t.f.count).toBe(0);
  });

  it('a frame the site removed is reported as not acted on and unmounted (no leak)', () => {
    const els = posts(3);
    const t = lifecycle();
    t.f.insert({
      adapter: t.adapter,
      watcher: t.watcher,
      item: els[0],
      seq: 0,
      frame: frame as any,
      postsSince: 5,
      siteKey: 'demo',
      gentleHold: false,
      ...t.extra,
    });
    const host = t.u.created[0];
    host.remove(); // the watcher took it out with its neighbour
    t.f.orphaned(host);
    expect(t.posted.filter((m) => m.type === 'frame/report')).toEqual([expect.objectContaining({ action: 'none' })]);
    expect(t.u.destroyed).toEqual([host]);
    expect(t.f.count).toBe(0);
    t.f.orphaned(host); // twice is harmless
    expect(t.posted.filter((m) => m.type === 'frame/report')).toHaveLength(1);
  });

  it('"Fewer like this one" keeps the frame (it folds itself into a note); "Take a break" puts the feed away', () => {
    const els = posts(3);
    const t = lifecycle();
    t.f.insert({
      adapter: t.adapter,
      watcher: t.watcher,
      item: els[1],
      seq: 1,
      frame: frame as any,
      postsSince: 5,
      siteKey: 'demo',
      gentleHold: false,
      ...t.extra,
    });
    t.u.act('fewer');
    expect(t.u.destroyed).toEqual([]);
    expect(t.posted.filter((m) => m.type === 'frame/report')).toEqual([expect.objectContaining({ action: 'fewer' })]);
    t.f.insert({
      adapter: t.adapter,
      watcher: t.watcher,
      item: els[2],
      seq: 2,
      frame: frame as any,
      postsSince: 5,
      siteKey: 'demo',
      gentleHold: false,
      ...t.extra,
    });
    t.u.act('break');
    expect(t.onBreak).toHaveBeenCalledTimes(1);
    expect(t.u.destroyed).toEqual([]);
  });

  it('leaving the page reports and removes every frame; gentle hold (once the frame is in view) restores the inline style exactly', () => {
    const els = posts(6);
    els[2].style.filter = 'sepia(1)';
    vi.stubGlobal('IntersectionObserver', InViewObserver);
    const t = lifecycle();
    t.f.insert({
      adapter: t.adapter,
      watcher: t.watcher,
      item: els[1],
      seq: 1,
      frame: frame as any,
      postsSince: 5,
      siteKey: 'demo',
      gentleHold: true,
      ...t.extra,
    });
    expect(els[2].style.filter).toBe('blur(3px)');
    t.timers.forEach((fn) => fn());
    expect(els[2].style.filter).toBe('sepia(1)');
    t.f.removeAll();
    vi.unstubAllGlobals();
    expect(document.querySelector('stillframe-pause')).toBeNull();
    expect(t.posted.filter((m) => m.type === 'frame/report')).toHaveLength(1);
  });

  it('an insert the site makes impossible leaves nothing behind', () => {
    const t = lifecycle();
    const adapter = {
      ...t.adapter,
      insertFrame: () => {
        throw new Error('moved');
      },
    } as FeedAdapter;
    const item = posts(1)[0];
    expect(
      t.f.insert({ adapter, watcher: t.watcher, item, seq: 0, frame: frame as any, postsSince: 1, siteKey: 'demo', gentleHold: false, ...t.extra }),
    ).toBeNull();
    expect(t.u.destroyed).toHaveLength(1);
    expect(t.f.count).toBe(0);
  });
});

describe('FrameLifecycle: survey cards', () => {
  it('puts the card after the post; "Not now" reports and removes it; removeAll leaves nothing', () => {
    const els = posts(3);
    const t = lifecycle();
    let dismiss: (() => void) | null = null;
    t.u.ui.createSurveyHost = (win, opts) => {
      dismiss = opts.onDismiss;
      const host = win.document.createElement('stillframe-survey');
      t.u.created.push(host);
      return host;
    };
    expect(
      t.f.insertSurvey({ adapter: t.adapter, item: els[0], offer: { offerId: 'srv-1', prompt: { questionId: 'q', question: 'How?', min: 1, max: 5 } } }),
    ).toBe(true);
    expect(els[0].nextElementSibling?.localName).toBe('stillframe-survey');
    dismiss!();
    expect(t.posted).toEqual([{ type: 'study/survey', offerId: 'srv-1', event: 'dismissed' }]);
    expect(document.querySelector('stillframe-survey')).toBeNull();
    t.f.insertSurvey({ adapter: t.adapter, item: els[1], offer: { offerId: 'srv-2', prompt: { questionId: 'q', question: 'How?', min: 1, max: 5 } } });
    t.f.removeAll();
    expect(document.querySelector('stillframe-survey')).toBeNull();
  });
});

describe('SiteRoute', () => {
  it('names the site and its feed route, and reports each status change once', async () => {
    const f = await loadFixture('reddit.html', 'https://www.reddit.com/');
    const reports: string[] = [];
    const kit = kitAccess(false);
    const r = new SiteRoute((siteKey, status, adapter) => reports.push(`${siteKey}:${status}:${adapter}`), kit);
    const look = r.look(f.doc, r.identify(f.loc, f.doc, true));
    expect(look).toMatchObject({ siteKey: 'reddit', feedRoute: true, custom: false, fallback: false });
    expect(look.adapter?.key).toBe('reddit');
    r.reportStatus('reddit', 'working', look.adapter!);
    r.reportStatus('reddit', 'working', look.adapter!);
    expect(reports).toEqual(['reddit:working:reddit']);
    // A supported site that works never needs the adapter kit (the generic detector) to count.
    expect(kit.asked).toBe(0);
  });

  it('falls back to the generic detector when the site adapter is blind while the page grows', async () => {
    const f = await loadFixture('changed-x.html', 'https://x.com/home');
    const reports: string[] = [];
    const r = new SiteRoute((siteKey, status) => reports.push(`${siteKey}:${status}`), kitAccess());
    const look = r.look(f.doc, r.identify(f.loc, f.doc, true));
    expect(look.adapter?.key).toBe('x');
    const t0 = Date.now();
    const clock = vi.spyOn(Date, 'now');
    let switched = false;
    for (let i = 0; i < 6 && !switched; i++) {
      clock.mockReturnValue(t0 + i * 1000);
      switched = r.checkHealth('x', look.adapter!.findContainer(f.doc), f.doc, look.siteAdapter!, true);
    }
    expect(switched).toBe(true);
    expect(reports.at(-1)).toBe('x:fallback');
    const again = r.look(f.doc, r.identify(f.loc, f.doc, false));
    expect(again.fallback).toBe(true);
    expect(again.adapter?.key).not.toBe('x');
    // A new URL forgets the fallback.
    expect(r.look(f.doc, r.identify(f.loc, f.doc, true)).fallback).toBe(false);
  });

  it('a site adapter that finds nothing asks for the kit, whose verdict counts the growth seen while it was on its way', async () => {
    const f = await loadFixture('changed-x.html', 'https://x.com/home');
    const reports: string[] = [];
    const kit = kitAccess(false);
    const r = new SiteRoute((siteKey, status) => reports.push(`${siteKey}:${status}`), kit);
    const look = r.look(f.doc, r.identify(f.loc, f.doc, true));
    const t0 = Date.now();
    const clock = vi.spyOn(Date, 'now');
    clock.mockReturnValue(t0);
    // No kit yet: 'waiting', and the kit is asked for (the verdict comes with it).
    expect(r.checkHealth('x', look.adapter!.findContainer(f.doc), f.doc, look.siteAdapter!, true)).toBe(false);
    expect(reports).toEqual(['x:waiting']);
    expect(kit.asked).toBe(1);
    kit.arrive();
    // The page grew before the kit came (one look) and once after, 3 s later: two growths over the
    // grace period — the fallback, as if the kit had been there from the start.
    clock.mockReturnValue(t0 + 100);
    expect(r.checkHealth('x', look.adapter!.findContainer(f.doc), f.doc, look.siteAdapter!, false)).toBe(false);
    clock.mockReturnValue(t0 + 3200);
    expect(r.checkHealth('x', look.adapter!.findContainer(f.doc), f.doc, look.siteAdapter!, true)).toBe(true);
    expect(reports.at(-1)).toBe('x:fallback');
    clock.mockRestore();
  });

  it('identifies a site the user may never have switched on without detecting or writing anything', async () => {
    // A custom site (no site adapter): only once the background says it is on does the generic
    // detector run — and tag the feed it found.
    const f = await loadFixture('demo.html', 'https://router.example/admin');
    expect(f.doc.querySelectorAll('article.post').length).toBeGreaterThan(6);
    const kit = kitAccess(false);
    const r = new SiteRoute(() => {}, kit);
    const before = f.doc.documentElement.outerHTML;
    const id = r.identify(f.loc, f.doc, true);
    expect(id).toMatchObject({ siteAdapter: null, siteKey: 'custom:router.example', feedRoute: true });
    expect(f.doc.documentElement.outerHTML).toBe(before);
    expect(f.doc.querySelector('[data-stillframe-feed]')).toBeNull();
    // The generic detector's kit is asked for alongside the hello, and writes nothing either.
    expect(kit.asked).toBe(1);
    // Still on its way when the site is known to be on: no adapter yet, nothing written, asked again.
    expect(r.look(f.doc, id).adapter).toBeNull();
    expect(f.doc.documentElement.outerHTML).toBe(before);
    expect(kit.asked).toBe(2);
    kit.arrive();
    expect(r.look(f.doc, id).adapter?.key).toBe('generic');
    expect(f.doc.querySelector('[data-stillframe-feed]')).not.toBeNull();
  });
});
