import { render } from 'preact';
import { PauseFrame } from './PauseFrame';
import { pauseFrameCss } from './pause-frame-styles';
import { BreakCover } from './BreakCover';
import { StopPanel } from './StopPanel';
import { SurveyCard } from './SurveyCard';
import {
  COVER_HOST_TAG,
  FRAME_HOST_TAG,
  STOP_HOST_TAG,
  SURVEY_HOST_TAG,
  type CoverHandle,
  type CoverOptions,
  type FrameHostOptions,
  type StopOptions,
  type SurveyHostOptions,
} from '@/utils/content/frame-ui-contract';
import { ClickGuard } from './click-guard';
import { pinHost } from './host-pins';

export type { FrameAction, FrameHostOptions } from '@/utils/content/frame-ui-contract';

function pageScheme(win: Window): 'light' | 'dark' {
  // The page's own background decides, not only the OS: a dark site on a light OS gets a dark frame.
  const bg = win.getComputedStyle(win.document.body).backgroundColor;
  const m = bg.match(/\d+(\.\d+)?/g);
  if (m && m.length >= 3 && (m.length < 4 || Number(m[3]) > 0.1)) {
    const [r, g, b] = m.map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? 'dark' : 'light';
  }
  return win.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** One parsed sheet for every frame of the page: parsing the CSS again for each frame is wasted main-thread time. */
let shared: { doc: Document; css: string; sheet: CSSStyleSheet } | null = null;

function applyStyles(shadow: ShadowRoot, css: string): void {
  // Constructed sheets are not inline <style>, so a strict style-src CSP cannot block them.
  try {
    if (!shared || shared.doc !== shadow.ownerDocument || shared.css !== css) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shared = { doc: shadow.ownerDocument, css, sheet };
    }
    shadow.adoptedStyleSheets = [shared.sheet];
    return;
  } catch {
    /* older engines, or Firefox Xray quirks: fall back to a <style> element */
  }
  const style = document.createElement('style');
  style.textContent = css;
  shadow.append(style);
}

/**
 * The page may not restyle our hosts: every rule they need is inline and !important, pinned
 * again if the page rewrites them (host-pins.ts), and — for the hosts in the feed — a pointer
 * click counts only on a button that was really visible (click-guard.ts). Returns the shadow
 * mount point; destroyFrameHost undoes all of it.
 */
function mountInShadow(host: HTMLElement, win: Window, rules: Record<string, string>, guard: boolean): HTMLElement {
  const unpin = pinHost(host, rules);
  const shadow = host.attachShadow({ mode: 'closed' });
  applyStyles(shadow, pauseFrameCss);
  const mount = win.document.createElement('div');
  shadow.append(mount);
  // It watches the shadow root, so it sees the buttons the first render puts there.
  const clicks = guard ? new ClickGuard(shadow, host, win) : null;
  unmounts.set(host, () => {
    clicks?.disconnect();
    unpin();
    render(null, mount);
  });
  return mount;
}

const inFeed = (width: number | null) => ({
  display: 'block',
  'box-sizing': 'border-box',
  width: width ? `${Math.round(width)}px` : '100%',
  'max-width': '100%',
  margin: '12px 0',
});

/**
 * Creates the element that carries a frame into the page: an inert custom tag with a closed
 * shadow root, so the page's CSS cannot restyle it and its scripts cannot read it. The host
 * carries no attribute the page could read an identifier from (a user frame's id is the same
 * on every site: it lives inside the shadow root).
 */
export function createFrameHost(win: Window, opts: FrameHostOptions): HTMLElement {
  const host = win.document.createElement(FRAME_HOST_TAG);
  render(
    <PauseFrame
      frame={opts.frame}
      postsSince={opts.postsSince}
      firstToday={opts.firstToday}
      breakMinutes={opts.breakMinutes}
      scheme={pageScheme(win)}
      reducedMotion={win.matchMedia('(prefers-reduced-motion: reduce)').matches}
      onAction={opts.onAction}
      onWhy={opts.onWhy}
      onFewerPauses={opts.onFewerPauses}
      sample={opts.sample}
    />,
    mountInShadow(host, win, inFeed(opts.width), true),
  );
  return host;
}

/** The stopping point, carried into the feed like a frame (its own tag: it is not a frame). */
export function createStopHost(win: Window, opts: StopOptions): HTMLElement {
  const host = win.document.createElement(STOP_HOST_TAG);
  render(<StopPanel {...opts} scheme={pageScheme(win)} />, mountInShadow(host, win, inFeed(opts.width), true));
  return host;
}

const SCROLL_KEYS = new Set([' ', 'PageDown', 'PageUp', 'ArrowDown', 'ArrowUp', 'Home', 'End']);

/**
 * The panel over a feed on a break: fixed over the whole window, last child of <html>, nothing
 * of the page touched. Wheel and touch over it do not scroll the feed underneath.
 */
export function createCover(win: Window, opts: CoverOptions): CoverHandle {
  const host = win.document.createElement(COVER_HOST_TAG);
  const mount = mountInShadow(host, win, { display: 'block', position: 'fixed', inset: '0', 'z-index': '2147483647', margin: '0', padding: '0', border: '0' }, false);
  const scheme = pageScheme(win);
  const draw = (until: number, focus: boolean) => render(<BreakCover {...opts} until={until} scheme={scheme} focus={focus} />, mount);
  draw(opts.until, opts.focus);
  const panel = () => mount.firstElementChild as HTMLElement | null;
  const stop = (e: Event) => {
    const p = panel();
    // A panel taller than the window scrolls itself (and only itself: overscroll-behavior); otherwise nothing scrolls.
    if (!p || p.scrollHeight <= p.clientHeight) e.preventDefault();
  };
  host.addEventListener('wheel', stop, { passive: false });
  host.addEventListener('touchmove', stop, { passive: false });
  mount.addEventListener('keydown', (e) => {
    const target = e.target as HTMLElement;
    if (SCROLL_KEYS.has(e.key) && target.localName !== 'button') e.preventDefault();
  });
  win.document.documentElement.append(host);
  return {
    update: (until) => draw(until, false),
    remove: () => destroyFrameHost(host),
  };
}

/** The study's question as a card of its own (same closed shadow root and styles as a frame). */
export function createSurveyHost(win: Window, opts: SurveyHostOptions): HTMLElement {
  const host = win.document.createElement(SURVEY_HOST_TAG);
  render(<SurveyCard prompt={opts.prompt} onAnswer={opts.onAnswer} onDismiss={opts.onDismiss} scheme={pageScheme(win)} />, mountInShadow(host, win, inFeed(opts.width), true));
  return host;
}

/** How to unmount each live host: kept here, not as a property on the element the page can see. */
const unmounts = new WeakMap<Element, () => void>();

/** Unmounts the host's Preact tree (releasing its listeners and state) and removes the host. */
export function destroyFrameHost(host: Element): void {
  unmounts.get(host)?.();
  unmounts.delete(host);
  host.remove();
}
