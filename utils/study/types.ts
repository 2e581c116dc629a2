import type { Measure, Protocol } from './protocol';

/** A value in a study record: aggregate numbers, ids and codes only — never URLs, text or names. */
export type Scalar = string | number | boolean | null;

/** One row of a study table, in the 'studyLog' store. `data` keys are the export's column names. */
export interface StudyLogRecord {
  /** Deterministic per row kind (e.g. "ppm:x:29000000") so aggregates update in place. */
  id: string;
  table: Measure;
  /** epoch ms: when the row was written or the thing began */
  ts: number;
  data: Record<string, Scalar>;
}

/** A protocol loaded but not yet agreed to ('study' store, key 'pending'). Deleted on decline. */
export interface PendingProtocol {
  protocol: Protocol;
  /** The file exactly as loaded: what the participant consents to is what goes into the export. */
  text: string;
  loadedAt: number;
}

/** A participant's enrolment ('study' store, key 'enrolment'). Deleted on withdraw. */
export interface Enrolment {
  version: 1;
  protocol: Protocol;
  protocolText: string;
  participantId: string;
  arm: string;
  consentedAt: number;
  startedAt: number;
  endsAt: number;
  /** The extra consent to send the export to the protocol's endpoint (only if it names one). */
  uploadConsent: boolean;
  consentLocale: 'en' | 'zh_CN';
  /** The extension version last recorded in the 'versions' table. */
  extensionVersion: string;
}

export interface StudyCounts {
  /** Records in the 'study' store (enrolment, pending protocol, open sessions). */
  meta: number;
  /** Rows in the 'studyLog' store, per table. */
  tables: Record<Measure, number>;
  /** Everything together: zero means nothing of the study is left. */
  total: number;
}

export interface StudyStatus {
  state: 'none' | 'pending' | 'active' | 'ended';
  /** The pending protocol (state 'pending') or the enrolled one. */
  protocol: Protocol | null;
  participantId: string | null;
  /** null while no enrolment, or when the protocol hides the arm from the participant. */
  arm: string | null;
  /** 1-based day of the study, capped at `days`. */
  day: number | null;
  days: number | null;
  startedAt: number | null;
  endsAt: number | null;
  uploadConsent: boolean;
  counts: StudyCounts;
}

/** What a feed tab needs to know while a study runs (part of ContentConfig). */
export interface StudyContentConfig {
  /** Scroll-velocity window before and after a frame, ms. */
  windowMs: number;
}

/** The one-item experience-sampling question, in the participant's language. */
export interface SamplePrompt {
  questionId: string;
  question: string;
  min: number;
  max: number;
  minLabel?: string;
  maxLabel?: string;
}

/** Added to a granted claim while a study logs impressions. */
export interface ClaimStudy {
  impressionId: string;
  sample?: SamplePrompt;
}

/** Everything the export builder needs, as handed from the background to the options page. */
export interface StudyExportData {
  enrolment: Enrolment;
  records: StudyLogRecord[];
  exportedAt: number;
  extensionVersion: string;
}
