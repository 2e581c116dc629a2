import type { Browser } from '@wxt-dev/browser';

/**
 * The extension API handle for every context. WXT's own `wxt/browser` (and so every
 * `import { browser } from 'wxt/browser'`, WXT's content-script context included) resolves to
 * this module: modules/browser-handle.ts aliases `@wxt-dev/browser` here at build time.
 *
 * Why not WXT's one-liner (`globalThis.browser?.runtime?.id ? globalThis.browser : chrome`):
 * in Chromium a content script's isolated world has its own JavaScript globals but still sees
 * the page's *named elements* on `window`. There is no `browser` global in Chromium, so a page
 * with `<form id="browser"><input name="runtime" id="x">` hands the content script a DOM form
 * whose `.runtime.id` is "x" — and the script never says hello again (red-teamed, issue #19).
 * A DOM node is never the extension API: the handle must have a real `runtime.sendMessage`.
 */
export function isExtensionApi(x: unknown): boolean {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return false;
  if (isDomNode(x)) return false;
  let runtime: unknown;
  try {
    runtime = (x as { runtime?: unknown }).runtime;
  } catch {
    return false;
  }
  if (runtime === null || typeof runtime !== 'object' || isDomNode(runtime)) return false;
  const r = runtime as { sendMessage?: unknown; getURL?: unknown };
  return typeof r.sendMessage === 'function' && typeof r.getURL === 'function';
}

function isDomNode(x: unknown): boolean {
  return typeof Node === 'function' && x instanceof Node;
}

const g = globalThis as { browser?: unknown; chrome?: unknown };

/** Firefox's `browser` when it is the real one, else Chromium's `chrome`; never a page element. */
export const browser = (isExtensionApi(g.browser) ? g.browser : g.chrome) as typeof Browser;
