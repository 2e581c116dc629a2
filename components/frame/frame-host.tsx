import { render } from 'preact';
import { PauseFrame, type PauseFrameProps } from './PauseFrame';
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
import { ClickGuard, allowReplay } from './click-guard';
import { pinHost } from './host-pins';
import { postsSinceText, staticFrame } from './static-frame';
import { swallowed } from '@/utils/dev-log';
import { watchBreath } from './breath-watch';

export type { FrameAction, FrameHostOptions } from '@/utils/content/frame-ui-contract';

/** The page's media query lists, made once and read at each frame: a new matchMedia() was ~0.15 ms of every frame's build (npm run bench). */
let queries: { win: Window; lists: Map<string, MediaQueryList> } | null = null;

function mediaMatches(win: Window, query: string): boolean {
  if (queries?.win !== win) queries = { win, lists: new Map() };
  let list = queries.lists.get(query);
  if (!list) {
    list = win.matchMedia(query);
    queries.lists.set(query, list);
  }
  return list.matches;
}

function pageScheme(win: Window): 'light' | 'dark' {
  // The page's own background decides, not only the OS: a dark site on a light OS gets a dark frame.
  const bg = win.getComputedStyle(win.document.body).backgroundColor;
  const m = bg.match(/\d+(\.\d+)?/g);
  if (m && m.length >= 3 && (m.length < 4 || Number(m[3]) > 0.1)) {
    const [r, g, b] = m.map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? 'dark' : 'light';
  }
  return mediaMatches(win, '(prefers-color-scheme: dark)') ? 'dark' : 'light';
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
  } catch (err) {
    // Older engines, or Firefox Xray quirks: fall back to a <style> element.
    swallowed('adopted style sheets', err);
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

/** A live frame's parts, kept here, not as properties on the element the page can see. */
interface HostState {
  mount: HTMLElement;
  props: PauseFrameProps;
  /** The reader used one of its controls: its look is its own now, it stays live. */
  acted: boolean;
  /** Frozen: plain DOM that looks the same, no Preact tree; this brings it back on a click. */
  thaw: ((e: Event) => void) | null;
  /** Born still with a breathing circle: stops watching it (the live frame watches its own). */
  stopBreath: (() => void) | null;
}

const hosts = new WeakMap<Element, HostState>();

/** Shows the still copy; a breathing circle in it breathes while it is in view, as PauseFrame's does. */
function showStill(st: HostState, still: Element): void {
  st.stopBreath?.();
  st.mount.replaceChildren(still);
  const circle = still.querySelector('.sf-breath-circle.sf-animate');
  st.stopBreath = circle ? watchBreath(circle) : null;
}

/**
 * Creates the element that carries a frame into the page: an inert custom tag with a closed
 * shadow root, so the page's CSS cannot restyle it and its scripts cannot read it. The host
 * carries no attribute the page could read an identifier from (a user frame's id is the same
 * on every site: it lives inside the shadow root).
 */
export function createFrameHost(win: Window, opts: FrameHostOptions): HTMLElement {
  const host = win.document.createElement(FRAME_HOST_TAG);
  const mount = mountInShadow(host, win, inFeed(opts.width), true);
  const state: HostState = { mount, acted: false, thaw: null, stopBreath: null, props: null as unknown as PauseFrameProps };
  // The reader's first use of a control marks the frame as theirs (see freezeFrameHost).
  const used =
    <A extends unknown[], R>(fn: (...a: A) => R) =>
    (...a: A): R => {
      state.acted = true;
      return fn(...a);
    };
  state.props = {
    frame: opts.frame,
    postsSince: opts.postsSince,
    firstToday: opts.firstToday,
    breakMinutes: opts.breakMinutes,
    scheme: pageScheme(win),
    reducedMotion: mediaMatches(win, '(prefers-reduced-motion: reduce)'),
    onAction: used(opts.onAction),
    onWhy: used(opts.onWhy),
    onFewerPauses: used(opts.onFewerPauses),
    sample: opts.sample,
  };
  // Born still: the same markup as plain DOM (static-frame.ts), the live frame at its first click.
  const still = staticFrame(win.document, state.props);
  if (still) {
    showStill(state, still);
    state.thaw = (e: Event) => thaw(state, e);
    mount.addEventListener('click', state.thaw);
  } else render(<PauseFrame {...state.props} />, mount);
  hosts.set(host, state);
  return host;
}

/**
 * A frame far behind the reader keeps its look but lets go of its live UI: its content becomes a
 * plain copy of itself and its Preact tree (hooks, listeners, the composition's virtual nodes —
 * several KB of the page's JS heap per frame, over a long session) is released. Nothing moves: the
 * copy is the same markup. One listener stays: a click on a copied button brings the live frame
 * back and presses that button in it, so every button still does what it says. Not for a drawn
 * image (a copied canvas is blank), a breathing cue (it breathes when the reader comes back), a
 * study question, or a frame the reader has already used. Returns whether it froze. Changing the
 * content makes the browser lay out the feed again, so the content script does it only when the
 * page has just changed the feed itself (one layout pass for both).
 */
export function freezeFrameHost(host: Element): boolean {
  const st = hosts.get(host);
  const kind = st?.props.frame.kind;
  if (!st || st.thaw || st.acted || kind === 'image' || kind === 'breath' || st.props.sample) return false;
  const copy = Array.from(st.mount.childNodes, (n) => n.cloneNode(true));
  render(null, st.mount);
  st.mount.replaceChildren(...copy);
  st.thaw = (e: Event) => thaw(st, e);
  st.mount.addEventListener('click', st.thaw);
  return true;
}

/**
 * A frame goes in further on than the place it was built for (its place came too near the fold,
 * so it moved a few posts on): "N posts since your last pause" is rewritten for where it is. Called
 * before it is in the page, so nothing is laid out twice.
 */
export function recountFrameHost(host: Element, postsSince: number): void {
  const st = hosts.get(host);
  if (!st || st.props.postsSince === postsSince) return;
  const had = st.props.postsSince;
  st.props = { ...st.props, postsSince };
  // Born still: its one line of text changes (rebuilding the frame was ~1 ms of the page's main
  // thread for each frame that went in further on, npm run bench); live: PauseFrame renders it.
  const line = st.thaw && had > 0 && postsSince > 0 ? st.mount.querySelector('.sf-meta .sf-t') : null;
  if (line) line.setAttribute('data-sf-text', postsSinceText(postsSince));
  else if (st.thaw) {
    const still = staticFrame(st.mount.ownerDocument, st.props);
    if (still) showStill(st, still);
  } else render(<PauseFrame {...st.props} />, st.mount);
}

function thaw(st: HostState, e: Event): void {
  if (!st.thaw) return;
  const buttons = Array.from(st.mount.querySelectorAll('button'));
  const pressed = e.target instanceof Element ? e.target.closest('button') : null;
  const index = pressed ? buttons.indexOf(pressed as HTMLButtonElement) : -1;
  const hadFocus = index >= 0 && (st.mount.getRootNode() as ShadowRoot).activeElement === pressed;
  e.stopPropagation();
  st.mount.removeEventListener('click', st.thaw);
  st.thaw = null;
  st.stopBreath?.();
  st.stopBreath = null;
  st.mount.replaceChildren();
  render(<PauseFrame {...st.props} />, st.mount);
  if (index < 0) return;
  const live = st.mount.querySelectorAll('button')[index];
  if (hadFocus) live?.focus({ preventScroll: true });
  // The reader's click on the copy already passed the click guard: its replay counts once.
  if (live) allowReplay(live);
  live?.click();
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
  const mount = mountInShadow(
    host,
    win,
    { display: 'block', position: 'fixed', inset: '0', 'z-index': '2147483647', margin: '0', padding: '0', border: '0' },
    false,
  );
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
  render(
    <SurveyCard prompt={opts.prompt} onAnswer={opts.onAnswer} onDismiss={opts.onDismiss} scheme={pageScheme(win)} />,
    mountInShadow(host, win, inFeed(opts.width), true),
  );
  return host;
}

/** How to unmount each live host: kept here, not as a property on the element the page can see. */
const unmounts = new WeakMap<Element, () => void>();

/** Unmounts the host's Preact tree (releasing its listeners and state) and removes the host. */
export function destroyFrameHost(host: Element): void {
  const st = hosts.get(host);
  if (st?.thaw) st.mount.removeEventListener('click', st.thaw);
  st?.stopBreath?.();
  hosts.delete(host);
  unmounts.get(host)?.();
  unmounts.delete(host);
  host.remove();
}
