import { browser } from 'wxt/browser';
import type { Message, Responses } from '@/utils/messaging/messages';
import { checkVersion, exportData, giveConsent, loadProtocol, logAnswer, logPause, studyContentConfig, studyStatus, withdraw } from '@/utils/study/store';
import type { StudyContentConfig } from '@/utils/study/types';

/**
 * The background's study messages (router → here). Pages: status, load, consent, export,
 * withdraw. Content scripts: pause (measurements around a frame) and answer (the frame's
 * question). Writers check consent themselves, so a message without a running study is a no-op.
 */
type StudyType = Extract<Message['type'], `study/${string}`>;
type Handler<T extends Message['type']> = (msg: Extract<Message, { type: T }>, ctx: { tabId: number | null }) => Promise<Responses[T]>;

export interface StudyDeps {
  /** Tell open feed tabs (the arm's settings and the study config changed). */
  changed(): Promise<void>;
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
  } catch {
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
      return { ok: true, status: await studyStatus() };
    },

    async 'study/consent'(msg) {
      await giveConsent({ agree: msg.agree, uploadConsent: msg.uploadConsent, locale: msg.locale, extensionVersion: extensionVersion() });
      if (msg.agree) await deps.changed();
      return studyStatus();
    },

    async 'study/export'() {
      return exportData(extensionVersion());
    },

    async 'study/withdraw'() {
      const res = await withdraw();
      await deps.changed();
      return { ok: true, ...res };
    },

    async 'study/pause'(msg) {
      await logPause(msg);
      return { ok: true };
    },

    async 'study/answer'(msg) {
      return { ok: await logAnswer(msg.impressionId, msg.answer) };
    },
  };
}
