import type { Measure, Protocol } from './protocol';
import type { Allocation } from './allocation';

/** A value in a study record: aggregate numbers, ids and codes only — never URLs, text or names. */
export type Scalar = string | number | boolean | null;

/** One row of a study table, in the 'studyLog' store. `data` keys are the export's column names. */
export interface StudyLogRecord {
  /** Deterministic per row kind (e.g. "ppm-x-29000000") so aggregates update in place. */
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
  version: 2;
  protocol: Protocol;
  protocolText: string;
  /** SHA-256 of the protocol's canonical JSON (allocation.ts, protocolHash). */
  protocolHash: string;
  participantId: string;
  arm: string;
  allocation: Allocation;
  /** The researcher-issued enrolment code (normalised), or null. */
  enrolmentCode: string | null;
  consentedAt: number;
  startedAt: number;
  endsAt: number;
  /** The extra consent to send the export to the protocol's endpoint (only if it names one). */
  uploadConsent: boolean;
  consentLocale: 'en' | 'zh_CN';
  /** The participant ticked the protocol's eligibility (and minimum age) box. */
  eligibilityConfirmed: boolean;
  /** The extension version last recorded in the 'versions' table. */
  extensionVersion: string;
  /** When this device withdrew from the same study before (the arm was kept), or null. */
  previousWithdrawalAt: number | null;
}

/**
 * What is kept after a withdrawal ('study' store, key 'withdrawals', by study id): no data,
 * only enough that enrolling in the same study again keeps the same participant id and arm
 * (no "arm shopping"). The participant can forget it (options → Study) or delete all data.
 */
export interface WithdrawalNote {
  participantId: string;
  arm: string;
  withdrawnAt: number;
}

export interface StudyCounts {
  /** Records in the 'study' store (enrolment, pending protocol, bookkeeping), without withdrawal notes. */
  meta: number;
  /** Rows in the 'studyLog' store, per table. */
  tables: Record<Measure, number>;
  /** Everything together: zero means nothing of the study is left. */
  total: number;
}

export type StudyState = 'none' | 'pending' | 'active' | 'finished';

export interface StudyStatus {
  state: StudyState;
  /** The pending protocol (state 'pending') or the enrolled one. */
  protocol: Protocol | null;
  /** The exact text agreed to (or waiting for agreement): re-read and saved from options. */
  protocolText: string | null;
  participantId: string | null;
  /** null while no enrolment, or when the protocol hides the arm from the participant. */
  arm: string | null;
  /** 1-based day of the study, capped at `days`. */
  day: number | null;
  days: number | null;
  startedAt: number | null;
  endsAt: number | null;
  consentedAt: number | null;
  uploadConsent: boolean;
  enrolmentCode: string | null;
  counts: StudyCounts;
  /** Study ids this device withdrew from, with the participant id kept for them. */
  withdrawals: Array<{ studyId: string; participantId: string; withdrawnAt: number }>;
  /** Validator warnings of the pending protocol (for the researcher piloting it). */
  warnings: Array<{ path: string; message: string }>;
}

/** What a feed tab needs to know while a study runs (part of ContentConfig). */
export interface StudyContentConfig {
  /** Scroll windows before and after a decision point, ms. */
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

/** A survey offered to a tab: inside a frame, or as a card of its own in the feed. */
export interface SurveyOffer {
  offerId: string;
  prompt: SamplePrompt;
}

/** Added to a granted claim while a study logs impressions: the frame's report goes to this impression. */
export interface ClaimStudy {
  impressionId: string;
}

/** Everything the export builder needs, as handed from the background to the options page. */
export interface StudyExportData {
  enrolment: Enrolment;
  records: StudyLogRecord[];
  exportedAt: number;
  extensionVersion: string;
}

/** Scrolling in one window around a decision point, as the tab measured it. */
export interface DecisionWindow {
  /** Length of the window actually measured, ms (shorter than the protocol's when the feed was opened less than that before). */
  ms: number;
  /** Posts that came into view in the window. */
  posts: number;
  /** Path length scrolled (sum of |Δy| between sampled positions), px. */
  pxTravelled: number;
  /** Net displacement (position at the end − at the start), px; negative = scrolled up. */
  pxNet: number;
}

/** Why a decision point's windows are incomplete (as the tab saw it). */
export type WindowCensor = 'not-reached' | 'hidden' | 'page-left' | 'navigated';

/** What a tab reports about one decision point once its windows are over (message 'decision/windows'). */
export interface DecisionWindows {
  decisionId: string;
  /** How long ago the decision point's place in the feed first came into view; null if it never did. */
  reachedAgoMs: number | null;
  /** Shown frames: how long ago the frame was put into the page. */
  insertedAgoMs: number | null;
  before: DecisionWindow | null;
  /** null when the after-window could not be completed (see censored). */
  after: DecisionWindow | null;
  /** The window before overlaps the window after the previous decision point in this tab. */
  overlapsPrevious: boolean;
  /** Why the windows are incomplete; null when complete. */
  censored: WindowCensor | null;
}

/** One measurement of a frame's exposure (utils/content/exposure.ts), documented against WebScience. */
export interface ExposureSummary {
  method: 'io-v2' | 'io-v1';
  /** Largest share of the frame seen in the viewport, 0–1. */
  maxRatio: number;
  /** ms at ≥ 70 % visible (and, with io-v2, not covered) in a visible tab. */
  inViewMs: number;
  /** The part of inViewMs with a focused window and the reader's own input in the last 30 s. */
  attendedMs: number;
  /** Longest continuous attended stretch, ms. */
  longestMs: number;
  /** longestMs ≥ 1 s. */
  seen: boolean;
  /** How long ago the frame was first ≥ 70 % visible in a visible tab; null if never. */
  firstVisibleAgoMs: number | null;
}
