// The bench's generator: the simulated scrolling and the synthetic export zips, one bundle.
export { simulateParticipant } from '@/utils/study/analysis/simulate';
export { syntheticExportFiles, zipFiles } from '@/utils/study/analysis/synthetic-export';
