import type { Settings } from '@/utils/storage/settings';
import type { Arm } from '@/utils/study/protocol';
import { activeArm, logFrameReport, logImpression, logProgress, logSettingsChange, logSnooze } from '@/utils/study/store';
import type { ClaimStudy } from '@/utils/study/types';

/**
 * One-line hooks for the background's existing handlers (utils/background/message-handlers.ts).
 * Each is a no-op without a running study, and none ever throws: study bookkeeping must not
 * stop a feed, a frame or a settings change.
 */
async function quietly<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch {
    return fallback;
  }
}

/** The running study's arm (its overrides go on top of the settings), or null. */
export const studyArm = (): Promise<Arm | null> => quietly(() => activeArm(), null);

export const studyOnProgress = (siteKey: string, posts: number, activeMs: number): Promise<void> =>
  quietly(() => logProgress(siteKey, posts, activeMs), undefined);

export const studyOnImpression = (
  f: { siteKey: string; frameId: string; collectionId: string; postsSince: number },
  locale: 'en' | 'zh_CN',
): Promise<ClaimStudy | undefined> => quietly(() => logImpression(f, locale), undefined);

export const studyOnFrameReport = (r: { siteKey: string; frameId: string; visibleMs: number; action: string }): Promise<void> =>
  quietly(() => logFrameReport(r), undefined);

export const studyOnSettingsSaved = (before: Settings, after: Settings): Promise<void> =>
  quietly(() => logSettingsChange(before, after), undefined);

export const studyOnSnooze = (kind: string, siteKey?: string): Promise<void> => quietly(() => logSnooze(kind, siteKey), undefined);
