import { render } from 'preact';
import { PauseFrame } from './PauseFrame';
import { pauseFrameCss } from './pause-frame-styles';
import type { FrameHostOptions } from '@/utils/content/frame-ui-contract';
import { FRAME_HOST_TAG } from '@/utils/content/frame-ui-contract';

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
 * Creates the element that carries a frame into the page: an inert custom tag with a closed
 * shadow root, so the page's CSS cannot restyle it and its scripts cannot read it.
 */
export function createFrameHost(win: Window, opts: FrameHostOptions): HTMLElement {
  const doc = win.document;
  const host = doc.createElement(FRAME_HOST_TAG);
  host.setAttribute('data-frame-id', opts.frame.id);
  host.style.setProperty('display', 'block', 'important');
  host.style.setProperty('box-sizing', 'border-box', 'important');
  host.style.setProperty('width', opts.width ? `${Math.round(opts.width)}px` : '100%', 'important');
  host.style.setProperty('max-width', '100%', 'important');
  host.style.setProperty('margin', '12px 0', 'important');
  const shadow = host.attachShadow({ mode: 'closed' });
  applyStyles(shadow, pauseFrameCss);
  const mount = doc.createElement('div');
  shadow.append(mount);
  render(
    <PauseFrame
      frame={opts.frame}
      postsSince={opts.postsSince}
      scheme={pageScheme(win)}
      reducedMotion={win.matchMedia('(prefers-reduced-motion: reduce)').matches}
      onAction={opts.onAction}
      onSnooze15={opts.onSnooze15}
      sample={opts.sample}
    />,
    mount,
  );
  unmounts.set(host, () => render(null, mount));
  return host;
}

/** How to unmount each live frame: kept here, not as a property on the element the page can see. */
const unmounts = new WeakMap<Element, () => void>();

/** Unmounts the frame's Preact tree (releasing its listeners and state) and removes the host. */
export function destroyFrameHost(host: Element): void {
  unmounts.get(host)?.();
  unmounts.delete(host);
  host.remove();
}
