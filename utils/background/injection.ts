import { browser } from 'wxt/browser';
import { CONTENT_MATCHES } from '@/utils/feeds/registry';
import type { Settings } from '@/utils/storage/settings';
import { devLog, swallowed } from '@/utils/dev-log';

const CONTENT_FILE = '/content-scripts/content.js' as const;
const CUSTOM_ID = 'stillframe-custom-sites';

/** "https://example.org" → "https://example.org/*"; anything odd → null. */
export function originPattern(origin: string): string | null {
  try {
    const u = new URL(origin);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return `${u.protocol}//${u.host}/*`;
  } catch {
    return null;
  }
}

/** Does a manifest match pattern (e.g. `https://*.reddit.com/*`) cover this origin? Ports are ignored, as Chrome does. */
export function patternCoversOrigin(pattern: string, origin: string): boolean {
  const m = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/:]+)(?::\d+)?\//.exec(pattern);
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (!m) return false;
  const [, scheme, host] = m;
  if (scheme !== '*' && `${scheme}:` !== u.protocol) return false;
  if (host === '*') return true;
  if (host.startsWith('*.')) return u.hostname === host.slice(2) || u.hostname.endsWith(host.slice(1));
  return u.hostname === host;
}

/**
 * Custom sites (and Mastodon servers) the user switched on get the content script through
 * `scripting.registerContentScripts`, but only where the host permission was really granted.
 */
export async function syncCustomSites(settings: Settings): Promise<string[]> {
  if (!browser.scripting?.registerContentScripts) return [];
  const wanted: string[] = [];
  for (const origin of settings.customSites) {
    const pattern = originPattern(origin);
    // Already covered by the manifest's content script: registering it again would run two.
    if (!pattern || CONTENT_MATCHES.some((p) => patternCoversOrigin(p, origin))) continue;
    try {
      if (await browser.permissions.contains({ origins: [pattern] })) wanted.push(pattern);
    } catch (err) {
      // A malformed pattern is simply skipped.
      swallowed('permission check', err);
    }
  }
  try {
    const existing = await browser.scripting.getRegisteredContentScripts({ ids: [CUSTOM_ID] });
    if (existing.length) await browser.scripting.unregisterContentScripts({ ids: [CUSTOM_ID] });
    if (wanted.length) {
      await browser.scripting.registerContentScripts([
        { id: CUSTOM_ID, matches: wanted, js: [CONTENT_FILE], runAt: 'document_idle', persistAcrossSessions: true },
      ]);
    }
  } catch (err) {
    // The browser refused the registration: no custom site gets the script until the next sync.
    swallowed('register custom sites', err);
    return [];
  }
  return wanted;
}

/**
 * After an install or update, tabs that were already open get the new content script: the
 * old one (orphaned by the update) notices it is invalid and cleans up, the new one takes over.
 */
export async function injectIntoOpenTabs(settings: Settings): Promise<number> {
  if (!browser.scripting?.executeScript) return 0;
  const patterns = [...CONTENT_MATCHES, ...settings.customSites.map(originPattern).filter((p): p is string => !!p)];
  let tabs: Array<{ id?: number }> = [];
  try {
    tabs = await browser.tabs.query({ url: patterns });
  } catch (err) {
    swallowed('query open tabs', err);
    return 0;
  }
  let injected = 0;
  await Promise.all(
    tabs.map(async (tab) => {
      if (tab.id === undefined) return;
      try {
        await browser.scripting.executeScript({ target: { tabId: tab.id }, files: [CONTENT_FILE] });
        injected++;
      } catch (err) {
        // A tab we may not script (e.g. permission withdrawn): leave it alone.
        swallowed('inject into open tab', err);
      }
    }),
  );
  return injected;
}

/** A site just added: its tabs that are already open get the content script now, without a reload. */
export async function injectIntoOrigins(origins: readonly string[]): Promise<void> {
  const patterns = origins.map(originPattern).filter((p): p is string => !!p);
  if (!patterns.length || !browser.scripting?.executeScript) return;
  let tabs: Array<{ id?: number }> = [];
  try {
    tabs = await browser.tabs.query({ url: patterns });
  } catch (err) {
    swallowed('query tabs of added sites', err);
    return;
  }
  await Promise.all(
    tabs.map((tab) =>
      tab.id === undefined
        ? undefined
        : browser.scripting.executeScript({ target: { tabId: tab.id }, files: [CONTENT_FILE] }).catch(devLog('inject into added site')),
    ),
  );
}
