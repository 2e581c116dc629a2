import { detectGenericAdapter } from '@/utils/feeds/generic';
import { AdapterHealth, CoverageHealth } from '@/utils/feeds/health';
import { lookalikeSelector, widenAdapter } from '@/utils/feeds/coverage';
import { ADAPTER_KIT_CONTRACT, type AdapterKit } from './adapter-kit';
import { CoverageProbe } from './coverage-probe';
import { extensionVersion } from './lazy-part';

/** The adapter kit that /adapter-kit.js hands to the content script (entrypoints/adapter-kit.ts). */
export function createAdapterKit(): AdapterKit {
  return {
    contract: ADAPTER_KIT_CONTRACT,
    version: extensionVersion(),
    detectGeneric: detectGenericAdapter,
    probe: (container, adapter, opts) => new CoverageProbe(container, adapter, opts),
    health: () => new CoverageHealth(),
    adapterHealth: () => new AdapterHealth(),
    lookalikeSelector,
    widenAdapter,
  };
}
