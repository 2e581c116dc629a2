import { DEV_HOSTS } from '@/utils/feeds/dev-hosts';

/**
 * TEST-ONLY: "site adapters off". The end-to-end suite proves that the generic detector is a
 * real safety net by running every site fixture as if each site adapter had gone blind: it sets
 * this attribute on the page's root element (an init script, before the page runs) and the
 * generic detector stands in for the site adapter from the first look.
 *
 * Honoured only in development/test builds — the one build flag that tells them from a store
 * build, STILLFRAME_DEV_HOSTS=1 (utils/feeds/dev-hosts.ts). In a store build DEV_HOSTS is the
 * constant `false`, the bundler drops this check, and no page can switch anything off.
 */
export const ADAPTERS_OFF_ATTR = 'data-stillframe-test-adapters';

export function siteAdaptersOff(doc: Document): boolean {
  if (!DEV_HOSTS) return false;
  return doc.documentElement?.getAttribute(ADAPTERS_OFF_ATTR) === 'off';
}
