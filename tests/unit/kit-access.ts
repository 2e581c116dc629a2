import { createAdapterKit } from '@/utils/content/adapter-kit-parts';
import { isAdapterKit, type AdapterKit } from '@/utils/content/adapter-kit';
import type { KitAccess } from '@/utils/content/site-route';

/**
 * SiteRoute's access to the adapter kit, as the content script gives it: the real kit that
 * /adapter-kit.js hands over (checked the way the content script checks it), loaded from the
 * start or only once `arrive()` is called; `asked` counts the requests for it.
 */
export function kitAccess(loaded = true): KitAccess & { arrive(): void; asked: number } {
  let kit: AdapterKit | null = null;
  const arrive = () => {
    const made = createAdapterKit();
    if (!isAdapterKit(made)) throw new Error('the adapter kit does not pass its own check');
    kit = made;
  };
  if (loaded) arrive();
  const access = {
    asked: 0,
    get: () => kit,
    need: () => {
      access.asked++;
    },
    arrive,
  };
  return access;
}
