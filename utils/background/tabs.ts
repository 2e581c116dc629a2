import { browser } from 'wxt/browser';
import { getDB } from '@/utils/storage/db';

const KEY = 'tabs';
type TabMap = Record<string, { siteKey: string; feedRoute: boolean; status?: string; adapter?: string }>;

/**
 * Tabs with a live content script, kept in IndexedDB because the worker that heard their
 * hello may be long gone when a setting changes.
 */
export async function getTabs(): Promise<TabMap> {
  const db = await getDB();
  const raw = await db.get('state', KEY);
  return raw && typeof raw === 'object' ? (raw as TabMap) : {};
}

export async function updateTab(tabId: number, patch: Partial<TabMap[string]> | null): Promise<void> {
  const db = await getDB();
  const tx = db.transaction('state', 'readwrite');
  const raw = (await tx.store.get(KEY)) as TabMap | undefined;
  const tabs: TabMap = raw && typeof raw === 'object' ? { ...raw } : {};
  if (patch === null) delete tabs[tabId];
  else tabs[tabId] = { ...{ siteKey: '', feedRoute: false }, ...tabs[tabId], ...patch };
  await tx.store.put(tabs, KEY);
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
      } catch {
        await updateTab(tabId, null);
      }
    }),
  );
}
