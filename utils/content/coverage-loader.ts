import { send } from '@/utils/messaging/send';
import { COVERAGE_KEY, isCoverageKit, type CoverageKit } from './coverage-kit';
import { lazyPart } from './lazy-part';

const part = lazyPart(COVERAGE_KEY, isCoverageKit, () => send({ type: 'content/part', part: 'coverage' }));

/** The coverage kit if it is loaded in this tab, else null. */
export const coverageKit: () => CoverageKit | null = part.get;

/** Loads the coverage kit once per tab (the background injects /coverage.js); null if it could not. */
export const loadCoverageKit: () => Promise<CoverageKit | null> = part.load;
