import { createAdapterKit } from '@/utils/content/adapter-kit-parts';
import { ADAPTER_KIT_KEY, isAdapterKit } from '@/utils/content/adapter-kit';

/**
 * The adapter kit (/adapter-kit.js): the generic detector, and the coverage probe that asks
 * whether the site adapter sees the whole feed (utils/content/adapter-kit.ts). Injected by the
 * background into the content script's isolated world when it is needed (message
 * 'content/part'), never bundled into the content script itself.
 */
export default defineUnlistedScript(() => {
  const g = globalThis as unknown as Record<symbol, unknown>;
  if (!isAdapterKit(g[ADAPTER_KIT_KEY])) g[ADAPTER_KIT_KEY] = createAdapterKit();
});
