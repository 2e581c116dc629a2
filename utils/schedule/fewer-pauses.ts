import { effectiveEveryPosts } from '@/utils/schedule/gates';
import type { Settings } from '@/utils/storage/settings';

/**
 * "Fewer pauses" from a frame: one step less often, where the value that governs this site
 * lives (the site's own every-N, else the general one). The frame then says exactly what
 * changed ("now about every 40 posts, was 25"), so nothing changes without the person knowing.
 */

/** Posts between pauses, step by step. Past the last step: half again. */
const POST_STEPS = [5, 10, 15, 25, 40, 60, 100, 150, 250, 400, 600, 1000];

export type FewerPauses =
  | { changed: true; scope: 'site' | 'global'; unit: 'posts' | 'minutes'; from: number; to: number; patch: Record<string, unknown> }
  /** Already as rare as can be, or pauses come from neither posts nor time. */
  | { changed: false; reason: 'at-most' | 'off' };

export function nextPostStep(n: number): number {
  for (const s of POST_STEPS) if (s > n) return s;
  return Math.min(1000, Math.round(n * 1.5));
}

export function fewerPauses(settings: Settings, siteKey: string): FewerPauses {
  const own = settings.sites[siteKey]?.everyPosts;
  const posts = effectiveEveryPosts(settings, siteKey);
  if (posts > 0) {
    const to = nextPostStep(posts);
    if (to <= posts) return { changed: false, reason: 'at-most' };
    if (own !== undefined) {
      const entry = { ...settings.sites[siteKey], enabled: settings.sites[siteKey]?.enabled ?? true, everyPosts: to };
      return { changed: true, scope: 'site', unit: 'posts', from: posts, to, patch: { sites: { [siteKey]: entry } } };
    }
    return { changed: true, scope: 'global', unit: 'posts', from: posts, to, patch: { cadence: { everyPosts: to } } };
  }
  const minutes = settings.cadence.everyMinutes;
  if (minutes > 0) {
    const to = Math.min(240, Math.max(minutes + 1, Math.round(minutes * 1.5)));
    if (to <= minutes) return { changed: false, reason: 'at-most' };
    return { changed: true, scope: 'global', unit: 'minutes', from: minutes, to, patch: { cadence: { everyMinutes: to } } };
  }
  return { changed: false, reason: 'off' };
}
