import { browser } from 'wxt/browser';
import { getDB } from '@/utils/storage/db';
import { readStateRecord, writeStateRecord, type OnboardingRecord } from '@/utils/storage/records';

/**
 * The welcome page: opened on install, never on an update, and never a second time once it was
 * shown (state store, key 'onboarding'; a browser that reports a second "install" for the same
 * data, as a reloaded temporary add-on may, does not bring it back).
 */
export const WELCOME_PAGE = '/welcome.html';

export function loadOnboarding(raw: unknown): OnboardingRecord {
  const at = (raw as { welcomeShownAt?: unknown } | null)?.welcomeShownAt;
  return { welcomeShownAt: typeof at === 'number' && Number.isFinite(at) ? at : null };
}

/** Pure: what an onInstalled event should open. Only a first install that has not seen it gets the welcome page. */
export function onboardingAction(reason: string, record: OnboardingRecord): 'welcome' | null {
  return reason === 'install' && record.welcomeShownAt === null ? 'welcome' : null;
}

/** Opens the welcome page if this install should see it, and remembers that it did. */
export async function maybeWelcome(reason: string): Promise<boolean> {
  const db = await getDB();
  const record = await readStateRecord(db, 'onboarding', loadOnboarding);
  if (onboardingAction(reason, record) !== 'welcome') return false;
  await writeStateRecord(db, 'onboarding', { welcomeShownAt: Date.now() });
  await browser.tabs.create({ url: browser.runtime.getURL(WELCOME_PAGE) });
  return true;
}
