import type { CDPSession, Page } from '@playwright/test';
import { test, expect, framesIn, scrollUntilFrames, sendFromPage } from './fixtures';
import { clickFrameButton, frameViews } from './frame-helpers';

/**
 * What keeps a frame cheap once it is in the page (docs/PERFORMANCE.md), as behaviour a reader or
 * the browser can see — never as timings (those live in `npm run bench`): a breathing cue
 * animates only while it is on screen, and a frame far behind the reader lets go of its live UI
 * while its buttons keep doing what they say.
 */

const off = { enabled: false, weight: 1 };
const on = { enabled: true, weight: 1 };

async function patchSettings(ext: any, patch: Record<string, unknown>): Promise<void> {
  const page = await ext.openExtensionPage('/popup.html');
  await sendFromPage(page, { type: 'settings/patch', patch });
  await page.close();
}

async function withCdp<T>(page: Page, fn: (s: CDPSession) => Promise<T>): Promise<T> {
  const s = await page.context().newCDPSession(page);
  try {
    return await fn(s);
  } finally {
    await s.detach().catch(() => {});
  }
}

interface Node {
  nodeId: number;
  backendNodeId: number;
  localName?: string;
  attributes?: string[];
  children?: Node[];
  shadowRoots?: Node[];
  pseudoElements?: Array<Node & { pseudoType?: string }>;
}

function walk(n: Node, fn: (n: Node) => void): void {
  fn(n);
  for (const c of [...(n.shadowRoots ?? []), ...(n.children ?? [])]) walk(c, fn);
}

const cls = (n: Node) => {
  const a = n.attributes ?? [];
  for (let i = 0; i < a.length; i += 2) if (a[i] === 'class') return a[i + 1];
  return '';
};

/** The animation on each breathing circle's ::after (the breath: its name and how many times it runs), read through the closed shadow root. */
async function breathAnimations(page: Page): Promise<string[]> {
  return withCdp(page, async (s) => {
    await s.send('DOM.enable');
    await s.send('CSS.enable');
    const { root } = (await s.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: Node };
    const afters: number[] = [];
    walk(root, (n) => {
      if (cls(n).includes('sf-breath-circle')) for (const p of n.pseudoElements ?? []) if (p.pseudoType === 'after') afters.push(p.nodeId);
    });
    const out: string[] = [];
    for (const nodeId of afters) {
      const { computedStyle } = (await s.send('CSS.getComputedStyleForNode', { nodeId })) as { computedStyle: Array<{ name: string; value: string }> };
      const name = computedStyle.find((c) => c.name === 'animation-name')?.value ?? '?';
      out.push(name === 'none' ? name : `${name} ×${computedStyle.find((c) => c.name === 'animation-iteration-count')?.value}`);
    }
    return out;
  });
}

/**
 * Event listeners on every button of the index-th frame (Preact's click handlers while it is
 * live), seen from the content script's isolated world, where they were added.
 */
async function buttonListeners(page: Page, index: number): Promise<number> {
  const view = (await frameViews(page))[index];
  return withCdp(page, async (s) => {
    const contexts: Array<{ id: number; auxData?: { type?: string } }> = [];
    s.on('Runtime.executionContextCreated', (e: any) => contexts.push(e.context));
    await s.send('Runtime.enable');
    const world = contexts.find((c) => c.auxData?.type === 'isolated');
    if (!world) throw new Error('no isolated world: the content script is not running');
    let n = 0;
    for (const backendNodeId of Object.values(view.buttons)) {
      const { object } = (await s.send('DOM.resolveNode', { backendNodeId, executionContextId: world.id })) as { object: { objectId: string } };
      const { listeners } = (await s.send('DOMDebugger.getEventListeners', { objectId: object.objectId })) as { listeners: unknown[] };
      n += listeners.length;
    }
    return n;
  });
}

test('a breathing cue breathes three times while it is on screen: no animation left running off screen or for ever', async ({ ext, openFeed, pageErrors }) => {
  await patchSettings(ext, { cadence: { everyPosts: 5, jitterPct: 0 }, collections: { still: off, words: off, questions: off, breath: on } });
  const page = await openFeed({ query: 'dark=0' });
  await scrollUntilFrames(page, 1);
  const host = page.locator('stillframe-pause').first();
  await host.scrollIntoViewIfNeeded();
  // Three breaths, then still: an animation restyles the page on every frame while it runs.
  await expect.poll(() => breathAnimations(page)).toContain('sf-breathe ×3');
  // Scrolled well past it: the circle has no animation at all (a running one, even off screen,
  // would make the browser restyle on every frame it draws).
  await page.evaluate(() => window.scrollBy(0, 3 * innerHeight));
  await expect.poll(async () => (await breathAnimations(page))[0]).toBe('none');
  // Back to it: it breathes again.
  await host.scrollIntoViewIfNeeded();
  await expect.poll(async () => (await breathAnimations(page))[0]).toBe('sf-breathe ×3');
  expect(pageErrors).toEqual([]);
});

test('a frame is mounted still (no live handlers on its buttons), reads the same near and far, and its buttons still do what they say', async ({
  ext,
  openFeed,
  pageErrors,
}) => {
  await patchSettings(ext, { cadence: { everyPosts: 5, jitterPct: 0 }, collections: { still: off, words: on, questions: off, breath: off } });
  const page = await openFeed({ query: 'dark=0' });
  await scrollUntilFrames(page, 1);
  const first = page.locator('stillframe-pause').first();
  await first.evaluate((h) => h.setAttribute('data-test-frame', 'far'));
  await first.scrollIntoViewIfNeeded();
  await page.waitForTimeout(200);
  const still = await frameViews(page);
  const before = still[0].ax;
  expect(Object.keys(still[0].buttons)).toContain('Continue');
  // Born still (components/frame/static-frame.ts): plain DOM until the reader clicks, no Preact tree.
  expect(await buttonListeners(page, 0), 'a new frame: plain markup, no live handlers on its buttons').toBe(0);

  // Read on well past it (the feed appends as the reader goes) and come back: it reads exactly as before.
  const [{ afterPost }] = await framesIn(page);
  const reached = () =>
    page.evaluate(() =>
      Math.max(
        ...Array.from(document.querySelectorAll('article.post'), (a) =>
          a.getBoundingClientRect().top < innerHeight ? Number(/Post (\d+)/.exec(a.textContent ?? '')?.[1] ?? 0) : 0,
        ),
      ),
    );
  for (let i = 0; i < 60 && (await reached()) - afterPost! <= 14; i++) {
    await page.mouse.wheel(0, 500);
    await page.waitForTimeout(60);
  }
  expect((await reached()) - afterPost!, 'the reader is far past the frame').toBeGreaterThan(12);
  expect(await buttonListeners(page, 0), 'far behind: still no live handlers').toBe(0);
  await first.scrollIntoViewIfNeeded();
  await page.waitForTimeout(200);
  expect((await frameViews(page))[0].ax).toEqual(before);

  // The first click brings the live frame and is not lost: "Fewer pauses" keeps the frame and says what it did.
  await clickFrameButton(page, 0, 'Fewer pauses');
  await expect.poll(async () => (await frameViews(page))[0].axText).toMatch(/Done: pauses now come about every \d+ posts/);
  expect(await buttonListeners(page, 0), 'live now: its buttons have their handlers').toBeGreaterThan(0);
  // Its Continue does what it says: the frame goes away.
  await clickFrameButton(page, 0, 'Continue');
  await expect(page.locator('stillframe-pause[data-test-frame="far"]')).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

/**
 * The page's own observer (it runs before ours) notes, for each frame added to the feed, whether
 * the page had changed the feed itself since its last rendering — then the frame is laid out in the
 * same pass as the page's change; otherwise it went in by itself, a layout of its own — and how
 * many posts the page had rendered by then.
 */
const WATCH_FRAME_TURNS = () => {
  const turns: Array<{ shared: boolean; posts: number }> = [];
  (window as any).__frameTurns = turns;
  let pageChanged = false;
  new MutationObserver((records) => {
    for (const r of records) {
      for (const n of Array.from(r.addedNodes)) {
        if ((n as Element).localName === 'stillframe-pause') turns.push({ shared: pageChanged, posts: document.querySelectorAll('shreddit-post').length });
        else if (n.nodeType === 1 && !pageChanged) {
          pageChanged = true;
          requestAnimationFrame(() => (pageChanged = false));
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
};

test('on a feed that appends only when its end is near (Reddit), frames go in with the page’s own append, not in a layout of their own', async ({
  ext,
  openFeed,
  pageErrors,
}) => {
  await patchSettings(ext, { cadence: { everyPosts: 8, jitterPct: 0 } });
  await ext.context!.addInitScript(WATCH_FRAME_TURNS);
  const page = await openFeed({ url: 'https://www.reddit.com/', fixture: 'reddit.html' });
  await page.waitForTimeout(300);
  const initial = await page.locator('shreddit-post').count();
  // A reader scrolling on steadily (150 px a step, a few thousand px a second), never stopping long
  // enough for a frame to go in while still. (The faster the reader against the page's appends — a
  // loaded machine slows the page more than the wheel — the nearer they are to the end of what the
  // page has at each append, and the fewer places far enough it brings: frame-placer.ts,
  // waitsForAppend.)
  const after = async () =>
    ((await page.evaluate(() => (window as any).__frameTurns)) as Array<{ shared: boolean; posts: number }>).filter((t) => t.posts > initial);
  for (let i = 0; i < 400 && (await after()).length < 4; i++) {
    await page.mouse.wheel(0, 150);
    await page.waitForTimeout(60);
  }
  // Frames due among the posts of the first render may go in by themselves (the page has not
  // appended yet); once it has, each goes in with one of its appends.
  const turns = (await after()).slice(0, 4);
  expect(turns.length, 'frames after the page began to append').toBe(4);
  // Before, every one went in by itself here. Some still do: a place by count may be at most six
  // posts past where the frame was due (the cadence), and at some appends the nearest is further.
  expect(turns.filter((t) => t.shared).length, `frames that went in with an append, of ${JSON.stringify(turns)}`).toBeGreaterThanOrEqual(2);
  expect(pageErrors).toEqual([]);
});
