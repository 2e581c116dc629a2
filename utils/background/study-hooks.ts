import type { Settings } from '@/utils/storage/settings';
import { armPShow } from '@/utils/study/protocol';
import { activeStudy } from '@/utils/study/enrolment';
import {
  logDecisionPoint,
  logDecisionWindows,
  logFrameReport,
  logProgress,
  logSettingsChange,
  logSettingsSnapshot,
  logSnooze,
  logSurveyEvent,
  syncCensoring,
  type DecisionLogged,
  type DecisionPointInput,
} from '@/utils/study/writers';
import type { Arm } from '@/utils/study/protocol';
import type { DecisionWindows, Enrolment, ExposureSummary, SurveyOffer } from '@/utils/study/types';
import { swallowed } from '@/utils/dev-log';

/**
 * One-line hooks for the background's existing handlers (utils/background/message-handlers.ts).
 * Each is a no-op without a running study, and none ever throws: study bookkeeping must not
 * stop a feed, a frame or a settings change.
 */
async function quietly<T>(fn: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    swallowed('study hook', err);
    return fallback;
  }
}

export type RunningStudy = { enrolment: Enrolment; arm: Arm };

/** The running study and its arm (the arm fixes the dose), or null. */
export const studyNow = (): Promise<RunningStudy | null> => quietly(() => activeStudy(), null);

/** The probability a due frame is shown in the running study's arm. */
export const studyPShow = (s: RunningStudy): number => armPShow(s.arm);

export const studyOnProgress = (siteKey: string, posts: number, activeMs: number, locale: 'en' | 'zh_CN'): Promise<SurveyOffer | undefined> =>
  quietly(() => logProgress(siteKey, posts, activeMs, Date.now(), { locale }), undefined);

export const studyOnDecision = (d: DecisionPointInput): Promise<DecisionLogged | undefined> => quietly(() => logDecisionPoint(d), undefined);

export const studyOnWindows = (w: DecisionWindows): Promise<boolean> => quietly(() => logDecisionWindows(w), false);

export const studyOnFrameReport = (r: { impressionId: string; action: string; exposure: ExposureSummary | null }): Promise<boolean> =>
  quietly(() => logFrameReport(r), false);

export const studyOnSurvey = (s: { offerId: string; event: 'displayed' | 'answered' | 'dismissed'; answer?: number | null }): Promise<boolean> =>
  quietly(() => logSurveyEvent(s), false);

/** A saved change: the fields that changed, and a snapshot of all settings (own and applied). */
export const studyOnSettingsSaved = (before: Settings, after: Settings, effective: Settings): Promise<void> =>
  quietly(async () => {
    await logSettingsChange(before, after);
    await logSettingsSnapshot({ event: 'settings', own: after, effective });
  }, undefined);

export const studyOnSnooze = (kind: string, siteKey: string | undefined): Promise<void> => quietly(() => logSnooze(kind, siteKey), undefined);

export const studyOnSnapshot = (event: string, own: Settings, effective: Settings): Promise<void> =>
  quietly(() => logSettingsSnapshot({ event, own, effective }), undefined);

/** What holds frames back on a site now (null: nothing): opens or closes a censoring interval. */
export const studyOnFrameState = (siteKey: string, cause: string | null): Promise<void> => quietly(() => syncCensoring(siteKey, cause), undefined);
