import { browser } from 'wxt/browser';
import { getDB } from '@/utils/storage/db';
import { loadTabs, readStateRecord, writeStateRecord, type TabMap, type TabRecord } from '@/utils/storage/records';
import { CONTENT_MATCHES } from '@/utils/feeds/registry';
import { originPattern } from './injection';
import { storageUnavailable, StorageFullError, withRoom } from '@/utils/storage/quota';
import { swallowed } from '@/utils/dev-log';

/**
 * Tabs with a live content script on a site that is on, kept in IndexedDB because the worker
 * that heard their hello may be long gone when a setting changes. A tab on a site the user
 * never switched on is not stored at all (issue #19): see askUnregisteredTabs for how it still
 * hears about a site being switched on.
 */
export async function getTabs(): Promise<TabMap> {
  try {
    return await readStateRecord(await getDB(), 'tabs', loadTabs);
  } catch (err) {
    // A full disk can refuse even a read: no stored tabs then (the popup still finds its tab by URL).
    if (storageUnavailable(err)) return {};
    throw err;
  }
}

/**
 * Adds, updates (patch) or forgets (null) a tab. With `create: false` a tab that is not stored
 * yet stays unstored (a status report never registers a tab by itself). On a full disk the
 * registry is left as it was: a tab that could not be stored still has its answer, it may just
 * miss a pushed change (it says hello again on its next navigation).
 */
export async function updateTab(tabId: number, patch: Partial<TabRecord> | null, opts: { create?: boolean } = {}): Promise<void> {
  try {
    await withRoom(() => writeTab(tabId, patch, opts));
  } catch (err) {
    if (!(err instanceof StorageFullError)) throw err;
  }
}

async function writeTab(tabId: number, patch: Partial<TabRecord> | null, opts: { create?: boolean }): Promise<void> {
  const db = await getDB();
  const tx = db.transaction('state', 'readwrite');
  const tabs: TabMap = await readStateRecord(tx.store, 'tabs', loadTabs);
  if (patch === null) {
    if (!(tabId in tabs)) return void (await tx.done);
    delete tabs[tabId];
  } else {
    if (!(tabId in tabs) && opts.create === false) return void (await tx.done);
    tabs[tabId] = { ...{ siteKey: '', feedRoute: false }, ...tabs[tabId], ...patch };
  }
  await writeStateRecord(tx.store, 'tabs', tabs);
  await tx.done;
}

/** Sends a message to each registered tab; tabs that no longer answer are forgotten. */
export async function pushToTabs(make: (siteKey: string, tabId: number) => Promise<unknown>): Promise<void> {
  const tabs = await getTabs();
  await Promise.all(
    Object.entries(tabs).map(async ([id, t]) => {
      const tabId = Number(id);
      try {
        const msg = await make(t.siteKey, tabId);
        await browser.tabs.sendMessage(tabId, msg);
      } catch (err) {
        // Closed, navigated away, or its content script is gone: forget the tab (it says hello again if it comes back).
        swallowed('push to tab', err);
        await updateTab(tabId, null);
      }
    }),
  );
}

/**
 * Tabs where our content script may run (the manifest's sites and the custom sites the user
 * added) but that are not stored because their site was off: asked to say hello again after a
 * settings change, so a site switched on reaches an open tab without a reload. Tabs without our
 * script simply do not answer.
 */
export async function askUnregisteredTabs(customSites: string[]): Promise<void> {
  const patterns = [...CONTENT_MATCHES, ...customSites.map(originPattern).filter((p): p is string => p !== null)];
  let open: Array<{ id?: number }> = [];
  try {
    open = await browser.tabs.query({ url: patterns });
  } catch (err) {
    swallowed('query tabs to ask for hello', err);
    return; // a pattern the browser refuses: the next reload says hello anyway
  }
  const known = await getTabs();
  await Promise.all(
    open
      .filter((t) => t.id !== undefined && !(String(t.id) in known))
      .map((t) => Promise.resolve(browser.tabs.sendMessage(t.id!, { type: 'push/hello' })).catch(() => undefined)),
  );
}
