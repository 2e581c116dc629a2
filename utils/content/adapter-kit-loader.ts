import { send } from '@/utils/messaging/send';
import { ADAPTER_KIT_KEY, isAdapterKit, type AdapterKit } from './adapter-kit';
import { lazyPart } from './lazy-part';

const part = lazyPart(ADAPTER_KIT_KEY, isAdapterKit, () => send({ type: 'content/part', part: 'adapter-kit' }));

/** The adapter kit if it is loaded in this tab, else null. */
export const adapterKit: () => AdapterKit | null = part.get;

/** Loads the adapter kit once per tab (the background injects /adapter-kit.js); null if it could not. */
export const loadAdapterKit: () => Promise<AdapterKit | null> = part.load;
