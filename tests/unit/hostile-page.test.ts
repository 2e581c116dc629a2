import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { isExtensionApi } from '@/utils/messaging/browser-api';
import { FRAME_UI_CONTRACT, FRAME_UI_KEY, isFrameUI } from '@/utils/content/frame-ui-contract';
import { extensionVersion } from '@/utils/content/lazy-part';
import { FIRST_SCREEN_MAX, InputGate, INPUT_WINDOW_MS } from '@/utils/content/input-gate';
import { isReadingInput } from '@/utils/content/input-recency';
import { TabRateLimiter, TAB_LIMITS, RATE_WINDOW_MS } from '@/utils/background/rate-limit';
import { clickCounts, MIN_VISIBLE_MS, unfaded } from '@/components/frame/click-guard';
import { pinHost } from '@/components/frame/host-pins';

/**
 * The pure parts of the red-team defences (issue #19); the attacks themselves run in real
 * browsers in tests/e2e/hostile.spec.ts.
 */

afterEach(() => {
  document.body.innerHTML = '';
});

describe('DOM clobbering', () => {
  it('a page form named "browser" with an input named "runtime" is never the extension API', () => {
    // What Chromium's isolated world sees as window.browser on such a page (hostile.spec.ts runs it for real).
    document.body.innerHTML = '<form id="browser"><input name="runtime" id="x"><input name="id"></form>';
    const form = document.getElementById('browser') as HTMLFormElement & { runtime: HTMLInputElement };
    expect(form.runtime.id).toBe('x');
    expect(isExtensionApi(form)).toBe(false);
    expect(isExtensionApi({ runtime: form.runtime })).toBe(false);
    expect(isExtensionApi(null)).toBe(false);
    expect(isExtensionApi({ runtime: { id: 'abc' } })).toBe(false);
    expect(isExtensionApi(fakeBrowser)).toBe(true);
  });

  it('the frame UI is found under a Symbol with its shape checked, never under a name a page element can take', () => {
    document.body.innerHTML = '<div id="__stillframeFrameUI"></div>';
    expect(typeof FRAME_UI_KEY).toBe('symbol');
    // A named element can never sit under a Symbol key.
    expect((window as any)[FRAME_UI_KEY]).toBeUndefined();
    expect(isFrameUI(document.getElementById('__stillframeFrameUI'))).toBe(false);
    expect(isFrameUI({ createFrameHost: () => null })).toBe(false);
    const el = document.createElement('div') as any;
    const ui = {
      contract: FRAME_UI_CONTRACT,
      version: extensionVersion(),
      createFrameHost() {},
      createSurveyHost() {},
      destroyFrameHost() {},
      freezeFrameHost() {},
      createCover() {},
      createStopHost() {},
      setLocale() {},
      frameLifecycle() {},
      decisionProbe() {},
      feedBreakCover() {},
      stopPanel() {},
    };
    Object.assign(el, ui);
    expect(isFrameUI(el)).toBe(false);
    expect(isFrameUI(ui)).toBe(true);
    expect(isFrameUI({ ...ui, createCover: 'no' })).toBe(false);
    // A frame UI left in the tab by another version of the extension (another contract) is not used.
    expect(isFrameUI({ ...ui, contract: FRAME_UI_CONTRACT - 1 })).toBe(false);
    expect(isFrameUI({ ...ui, version: `${extensionVersion()}.1` })).toBe(false);
    const { frameLifecycle: _, ...older } = ui;
    expect(isFrameUI(older)).toBe(false);
  });
});

describe('reading counts only after trusted input', () => {
  const ev = (type: string, isTrusted: boolean, target: unknown = document.body) => ({
    type,
    isTrusted,
    composedPath: () => (target ? [target as EventTarget] : []),
  });

  it('only input the browser made, and not keys typed into a field, shows someone reading', () => {
    for (const type of ['wheel', 'touchstart', 'touchmove', 'keydown', 'pointerdown']) {
      expect(isReadingInput(ev(type, false)), `${type}, forged`).toBe(false);
      expect(isReadingInput(ev(type, true)), `${type}, trusted`).toBe(true);
    }
    const input = document.createElement('input');
    const area = document.createElement('textarea');
    expect(isReadingInput(ev('keydown', true, input))).toBe(false);
    expect(isReadingInput(ev('keydown', true, area))).toBe(false);
    expect(isReadingInput(ev('keydown', true, { localName: 'div', isContentEditable: true }))).toBe(false);
    // Page Down on the page itself, or a pointer press on a field: reading.
    expect(isReadingInput(ev('keydown', true, document.body))).toBe(true);
    expect(isReadingInput(ev('pointerdown', true, input))).toBe(true);
  });

  it('the gate is open for INPUT_WINDOW_MS after the last such input', () => {
    let now = 10_000;
    let last = Number.NEGATIVE_INFINITY;
    const gate = new InputGate(
      window,
      () => now,
      () => last,
    );
    expect(gate.open).toBe(false);
    last = now;
    expect(gate.open).toBe(true);
    now += INPUT_WINDOW_MS;
    expect(gate.open).toBe(true);
    now += 1;
    expect(gate.open).toBe(false);
  });

  it("the first screen is counted at the reader's first input, once, and never more than a screen", () => {
    const gate = new InputGate(
      window,
      () => 0,
      () => Number.NEGATIVE_INFINITY,
    );
    // The feed's first screen, before any input: held, not unread.
    expect(gate.passedUnread(4)).toBe(0);
    // The page scrolls itself before anyone touches it: unread.
    expect(gate.passedUnread(30)).toBe(30);
    // The reader's first scroll: its posts and the first screen.
    expect(gate.passedRead(2)).toBe(6);
    expect(gate.passedRead(2)).toBe(2);
    expect(gate.passedUnread(3)).toBe(3);

    // A page that scrolls itself at once gets one screen at most, and only once someone reads.
    const rushed = new InputGate(
      window,
      () => 0,
      () => Number.NEGATIVE_INFINITY,
    );
    expect(rushed.passedUnread(500)).toBe(500 - FIRST_SCREEN_MAX);
    expect(rushed.passedUnread(500)).toBe(500);
    expect(rushed.passedRead(1)).toBe(1 + FIRST_SCREEN_MAX);

    // Someone reading from the start: nothing to hold.
    const reader = new InputGate(
      window,
      () => 0,
      () => 0,
    );
    expect(reader.passedRead(3)).toBe(3);
    expect(reader.passedUnread(3)).toBe(3);
  });
});

describe('what a tab may report in a minute', () => {
  it('drops posts, active time and messages over the limit, per tab, and says which is the first drop', () => {
    const r = new TabRateLimiter({ messages: 5, posts: 100, activeMs: 60_000 });
    expect(r.check(1, { posts: 60, activeMs: 20_000 }, 0)).toEqual({ ok: true });
    expect(r.check(1, { posts: 40, activeMs: 20_000 }, 1)).toEqual({ ok: true });
    expect(r.check(1, { posts: 1 }, 2)).toEqual({ ok: false, reason: 'posts', first: true });
    expect(r.check(1, { activeMs: 30_000 }, 3)).toEqual({ ok: false, reason: 'active-time', first: false });
    // Another tab has its own minute.
    expect(r.check(2, { posts: 100 }, 3)).toEqual({ ok: true });
    for (let i = 0; i < 3; i++) expect(r.check(1, {}, 4).ok).toBe(true);
    expect(r.check(1, {}, 5)).toMatchObject({ ok: false, reason: 'messages' });
    // The next minute: fresh, and the drops after the first are handed over to be logged together.
    const rolled: number[] = [];
    expect(r.check(1, { posts: 50 }, RATE_WINDOW_MS + 10, (n) => rolled.push(n))).toEqual({ ok: true });
    expect(rolled).toEqual([2]);
  });

  it('is far above reading: a fast flick through short videos for a whole minute fits', () => {
    const r = new TabRateLimiter();
    // 10 posts a second, reported in batches of 10 with their active time.
    for (let s = 0; s < 60; s++) expect(r.check(7, { posts: 10, activeMs: 1000 }, s * 1000).ok).toBe(true);
    expect(TAB_LIMITS.posts).toBeGreaterThanOrEqual(600);
  });
});

describe('clickjacking', () => {
  const base = { trusted: true, keyboard: false, visibleSince: 0, now: MIN_VISIBLE_MS, unfaded: true };

  it('a pointer click counts only on a button that was really visible for a while', () => {
    expect(clickCounts(base)).toBe(true);
    expect(clickCounts({ ...base, now: MIN_VISIBLE_MS - 1 })).toBe(false);
    expect(clickCounts({ ...base, visibleSince: null })).toBe(false);
    expect(clickCounts({ ...base, unfaded: false })).toBe(false);
    expect(clickCounts({ ...base, trusted: false })).toBe(false);
    // Keyboard and screen-reader activation: the reader's own act on a focused control.
    expect(clickCounts({ ...base, keyboard: true, visibleSince: null })).toBe(true);
    expect(clickCounts({ ...base, keyboard: true, trusted: false })).toBe(false);
  });

  it('sees a frame faded by anything around it (the Firefox fallback)', () => {
    const outer = document.createElement('div');
    const host = document.createElement('stillframe-pause');
    outer.append(host);
    document.body.append(outer);
    expect(unfaded(host, window)).toBe(true);
    outer.style.opacity = '0.5';
    expect(unfaded(host, window)).toBe(false);
    outer.style.opacity = '1';
    outer.style.visibility = 'hidden';
    expect(unfaded(host, window)).toBe(false);
  });

  it('pins the host box with !important and pins it again when the page rewrites it', async () => {
    const host = document.createElement('stillframe-pause');
    document.body.append(host);
    const unpin = pinHost(host, { display: 'block', width: '100%' });
    for (const p of ['opacity', 'position', 'transform', 'filter', 'visibility', 'pointer-events'])
      expect(host.style.getPropertyPriority(p), p).toBe('important');
    host.style.opacity = '0';
    host.setAttribute('style', 'opacity: 0.01; position: fixed; pointer-events: none');
    await new Promise((r) => setTimeout(r, 0));
    expect(host.style.getPropertyValue('opacity')).toBe('1');
    expect(host.style.getPropertyValue('position')).toBe('static');
    expect(host.style.getPropertyValue('pointer-events')).toBe('auto');
    expect(host.style.getPropertyPriority('opacity')).toBe('important');
    unpin();
  });

  it('pins every host of a page, the later ones from the serialisation read for the first, without waking itself', async () => {
    const rules = { display: 'block', width: '100%', margin: '12px 0' };
    const hosts = [0, 1, 2].map(() => document.body.appendChild(document.createElement('stillframe-pause')));
    const unpins = hosts.map((h) => pinHost(h, rules));
    for (const h of hosts) expect(h.style.getPropertyPriority('margin')).toBe('important');
    let writes = 0;
    const count = new MutationObserver((r) => (writes += r.length));
    count.observe(hosts[2], { attributes: true, attributeFilter: ['style'] });
    hosts[2].setAttribute('style', 'opacity: 0; margin: 0');
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(hosts[2].style.getPropertyValue('opacity')).toBe('1');
    expect(hosts[2].style.getPropertyValue('margin')).toBe(hosts[0].style.getPropertyValue('margin'));
    expect(hosts[2].style.getPropertyPriority('margin')).toBe('important');
    // The page's write and one repair a declaration it dropped, then quiet: an unchanged value is never written again.
    expect(writes).toBeLessThanOrEqual(1 + 11);
    const settled = writes;
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(writes).toBe(settled);
    count.disconnect();
    for (const u of unpins) u();
  });
});
