import { browser } from 'wxt/browser';
import type { Message, Responses } from '@/utils/messaging/messages';
import { exportData, forgetWithdrawal, giveConsent, loadProtocol, studyContentConfig, studyStatus, withdraw } from '@/utils/study/enrolment';
import { checkVersion } from '@/utils/study/writers';
import type { StudyContentConfig } from '@/utils/study/types';
import { studyOnSurvey } from './study-hooks';
import { swallowed } from '@/utils/dev-log';

/**
 * The background's study messages (router → here). Pages: status, load, consent, export,
 * withdraw, forget. Content scripts: survey (a question displayed, answered or dismissed).
 * Writers check consent themselves, so a message without a running study is a no-op.
 */
type StudyType = Extract<Message['type'], `study/${string}`>;
type Handler<T extends Message['type']> = (msg: Extract<Message, { type: T }>, ctx: { tabId: number | null; incognito?: boolean }) => Promise<Responses[T]>;

export interface StudyDeps {
  /** Tell open feed tabs (the arm's settings and the study config changed). */
  changed(): Promise<void>;
  /** A settings snapshot at enrolment (own and applied settings). */
  enrolled(): Promise<void>;
}

export function extensionVersion(): string {
  try {
    return browser.runtime.getManifest().version;
  } catch {
    return 'unknown';
  }
}

/** The study part of a tab's config; also notes an extension update in the versions table. */
export async function studyForTab(): Promise<StudyContentConfig | null> {
  try {
    await checkVersion(extensionVersion());
    return await studyContentConfig();
  } catch (err) {
    swallowed('study config for a tab', err);
    return null; // study bookkeeping must never stop the feed
  }
}

export function makeStudyHandlers(deps: StudyDeps): { [K in StudyType]: Handler<K> } {
  return {
    async 'study/status'() {
      await checkVersion(extensionVersion());
      return studyStatus();
    },

    async 'study/load'(msg) {
      const res = await loadProtocol(msg.text);
      if (!res.ok) return res;
      return { ok: true, status: await studyStatus(), warnings: res.warnings };
    },

    async 'study/consent'(msg) {
      const res = await giveConsent({
        agree: msg.agree,
        uploadConsent: msg.uploadConsent,
        locale: msg.locale,
        extensionVersion: extensionVersion(),
        enrolmentCode: msg.enrolmentCode ?? null,
        eligibilityConfirmed: msg.eligibilityConfirmed === true,
      });
      if (!res.ok) return { ok: false, reason: res.reason, status: await studyStatus() };
      if (msg.agree) {
        await deps.enrolled();
        await deps.changed();
      }
      return { ok: true, status: await studyStatus() };
    },

    async 'study/export'() {
      return exportData(extensionVersion());
    },

    async 'study/withdraw'() {
      const res = await withdraw();
      await deps.changed();
      return { ok: true, ...res };
    },

    async 'study/forget'(msg) {
      await forgetWithdrawal(msg.studyId);
      return studyStatus();
    },

    async 'study/survey'(msg, ctx) {
      if (ctx.incognito) return { ok: false };
      return { ok: await studyOnSurvey({ offerId: msg.offerId, event: msg.event, answer: msg.answer ?? null }) };
    },
  };
}
