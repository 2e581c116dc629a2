import * as v from 'valibot';
import type { Settings, DeepPartial, SettingsIssue } from '@/utils/storage/settings';
import type { Ticket, NoTicketReason, ClaimDecision } from '@/utils/schedule/types';
import type { FramePayload } from '@/utils/frames/types';
import type { AdapterStatus } from '@/utils/feeds/types';
import type { ActiveSite } from '@/utils/feeds/site-key';
import type { ShapeReport } from '@/utils/feeds/shape-report';
import type { ClaimStudy, StudyContentConfig, StudyExportData, StudyStatus, StudyCounts, SurveyOffer } from '@/utils/study/types';
import { MAX_PROTOCOL_BYTES, type ProtocolFieldError } from '@/utils/study/protocol';
import type { StorageHealth } from '@/utils/storage/quota';

/**
 * Every message to the background is one member of this union, validated with valibot in
 * the background before anything acts on it (the content script runs beside a page we do
 * not trust). The response types below are the other half of the contract.
 */
const SiteKey = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
const Ms = v.pipe(v.number(), v.minValue(0), v.maxValue(86_400_000));
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Px = v.pipe(v.number(), v.integer(), v.minValue(-10_000_000), v.maxValue(10_000_000));
/** Scrolling in one window around a decision point (utils/study/types.ts, DecisionWindow). */
const Window = v.nullable(v.object({ ms: Ms, posts: Count, pxTravelled: v.pipe(Px, v.minValue(0)), pxNet: Px }));
/** One exposure measurement of a frame (utils/content/exposure.ts). */
const Exposure = v.object({
  method: v.picklist(['io-v2', 'io-v1']),
  maxRatio: v.pipe(v.number(), v.minValue(0), v.maxValue(1)),
  inViewMs: Ms,
  attendedMs: Ms,
  longestMs: Ms,
  seen: v.boolean(),
  firstVisibleAgoMs: v.nullable(Ms),
});

/** What the reader can do with a frame (its buttons); a report without one says 'none'. */
export const FRAME_ACTIONS = ['continue', 'break', 'fewer'] as const;
export type FrameAction = (typeof FRAME_ACTIONS)[number];

export const MessageSchema = v.variant('type', [
  // from content scripts
  v.object({ type: v.literal('content/hello'), siteKey: SiteKey, feedRoute: v.boolean() }),
  v.object({ type: v.literal('ticket/request'), siteKey: SiteKey }),
  v.object({ type: v.literal('ticket/claim'), ticketId: v.pipe(v.string(), v.maxLength(64)), siteKey: SiteKey }),
  v.object({ type: v.literal('posts/progress'), siteKey: SiteKey, posts: Count, activeMs: Ms }),
  v.object({
    type: v.literal('frame/report'),
    siteKey: SiteKey,
    frameId: v.pipe(v.string(), v.maxLength(200)),
    collectionId: v.pipe(v.string(), v.maxLength(200)),
    visibleMs: Ms,
    action: v.picklist([...FRAME_ACTIONS, 'none']),
    /** The decision point that showed the frame, and (study) its impression: two tabs with the same frame never mix reports. */
    decisionId: v.optional(Id),
    impressionId: v.optional(Id),
    exposure: v.optional(v.nullable(Exposure)),
  }),
  // the scrolling measured around one decision point, shown or withheld (utils/content/decision-probe.ts)
  v.object({
    type: v.literal('decision/windows'),
    decisionId: Id,
    reachedAgoMs: v.nullable(Ms),
    insertedAgoMs: v.nullable(Ms),
    before: Window,
    after: Window,
    overlapsPrevious: v.boolean(),
    censored: v.nullable(v.picklist(['not-reached', 'hidden', 'page-left', 'navigated'])),
  }),
  // A break from the feed (the cover over this site's feed in every tab) and the way out of it.
  v.object({ type: v.literal('break/start'), siteKey: SiteKey, minutes: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1440)) }),
  v.object({ type: v.literal('break/end'), siteKey: SiteKey }),
  v.object({ type: v.literal('tab/close') }),
  // The frame's quiet footer: "Why am I seeing this?" (options, this site's row) and "Fewer pauses".
  v.object({ type: v.literal('frame/why'), siteKey: SiteKey }),
  v.object({ type: v.literal('frame/fewer-pauses'), siteKey: SiteKey }),
  // The stopping point is due in this tab (`unsent`: posts counted here, not reported yet).
  v.object({ type: v.literal('stop/claim'), siteKey: SiteKey, unsent: Count }),
  // The tab placed the frame of a granted claim: only now is it counted as a pause.
  v.object({ type: v.literal('frame/placed'), ticketId: v.pipe(v.string(), v.maxLength(64)), siteKey: SiteKey }),
  // The frame UI (Preact, styles, compositions) is injected into the tab at its first frame, not bundled in the content script.
  v.object({ type: v.literal('frame/ui') }),
  // Other parts of the content script loaded the same way when they are needed (the adapter kit: the generic detector and the coverage probe).
  v.object({ type: v.literal('content/part'), part: v.picklist(['adapter-kit']) }),
  v.object({
    type: v.literal('adapter/status'),
    siteKey: SiteKey,
    status: v.picklist(['working', 'widened', 'fallback', 'not-feed', 'waiting']),
    adapter: v.pipe(v.string(), v.maxLength(64)),
  }),
  // study mode, from content scripts: a survey offer was displayed, answered or dismissed
  v.object({
    type: v.literal('study/survey'),
    offerId: Id,
    event: v.picklist(['displayed', 'answered', 'dismissed']),
    answer: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)))),
  }),
  // from extension pages (popup, options)
  v.object({ type: v.literal('settings/get') }),
  v.object({ type: v.literal('settings/patch'), patch: v.record(v.string(), v.unknown()) }),
  v.object({ type: v.literal('settings/replace'), settings: v.unknown() }),
  v.object({
    type: v.literal('snooze/set'),
    siteKey: v.optional(SiteKey),
    kind: v.picklist(['15m', '1h', 'today', 'minutes', 'indefinite']),
    // With kind 'minutes': a length of the person's own, up to a week.
    minutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_080))),
  }),
  v.object({ type: v.literal('snooze/clear'), siteKey: v.optional(SiteKey) }),
  v.object({ type: v.literal('status/get'), siteKey: v.optional(SiteKey) }),
  v.object({ type: v.literal('stats/today') }),
  // popup: which site is the active tab (tabId: a specific tab, for tests that open the popup as a page)
  v.object({ type: v.literal('popup/active-site'), tabId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))) }),
  // popup: "Add this site" is about to ask for this origin (the popup may close during the prompt)
  v.object({ type: v.literal('sites/add-pending'), origin: v.pipe(v.string(), v.maxLength(300)) }),
  // popup → "Report a site problem": the shape of the feed in a tab (built there, shown here, never sent anywhere)
  v.object({ type: v.literal('site/report'), tabId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))) }),
  // options → Data: delete everything Stillframe stored (settings, state, frames, events)
  v.object({ type: v.literal('data/delete-all') }),
  v.object({ type: v.literal('data/health') }),
  // study mode (options → Study, consent page, popup): see utils/study/ and docs/STUDY.md
  v.object({ type: v.literal('study/status') }),
  // The message may carry more than the protocol limit, so that an oversized file gets the
  // validator's own answer ("(file): is larger than 200000 characters"), not "invalid message";
  // the bound here only keeps a message's size sane.
  v.object({ type: v.literal('study/load'), text: v.pipe(v.string(), v.maxLength(MAX_PROTOCOL_BYTES * 10)) }),
  v.object({
    type: v.literal('study/consent'),
    agree: v.boolean(),
    uploadConsent: v.boolean(),
    locale: v.picklist(['en', 'zh_CN']),
    enrolmentCode: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(64)))),
    eligibilityConfirmed: v.optional(v.boolean()),
  }),
  v.object({ type: v.literal('study/export') }),
  v.object({ type: v.literal('study/withdraw') }),
  // forget the note kept after a withdrawal (null: every study)
  v.object({ type: v.literal('study/forget'), studyId: v.nullable(v.pipe(v.string(), v.maxLength(64))) }),
]);

export type Message = v.InferOutput<typeof MessageSchema>;
export type MessageType = Message['type'];

/** Sent by content scripts only; the background refuses these from extension pages and vice versa. */
export const CONTENT_MESSAGES: ReadonlySet<MessageType> = new Set([
  'content/hello',
  'ticket/request',
  'ticket/claim',
  'posts/progress',
  'frame/report',
  'frame/placed',
  'frame/ui',
  'content/part',
  'adapter/status',
  'break/start',
  'break/end',
  'tab/close',
  'frame/why',
  'frame/fewer-pauses',
  'stop/claim',
  'decision/windows',
  'study/survey',
]);

export interface ContentConfig {
  active: boolean;
  reason: NoTicketReason | null;
  ticket: Ticket | null;
  gentleHold: boolean;
  locale: 'auto' | 'en' | 'zh_CN';
  wordLanguages: ('en' | 'zh')[];
  /** Set while a study runs: its window length around decision points. */
  study?: StudyContentConfig | null;
  /** How long "Take a break" puts the feed away, in minutes. */
  breakMinutes: number;
  /** This site's feed is on a break until then (the tab covers it); null when it is not. */
  feedBreak: { until: number } | null;
  /** Posts left before today's stopping point; null when there is none to come. */
  stopLeft: number | null;
  /**
   * Keep counting posts even when `active` is false (a study measures whatever the frame
   * state: snoozed, on a break, switched off, quiet hours). Absent = false.
   */
  measure?: boolean;
}

/** A claim decided at a decision point: its id (for the measurements) and the window length. */
export interface ClaimDecisionInfo {
  id: string;
  windowMs: number;
}

/** What "Fewer pauses" did, so the frame can say it in words. */
export type FewerPausesResult =
  | { changed: true; scope: 'site' | 'global'; unit: 'posts' | 'minutes'; from: number; to: number }
  /** at-most: already as rare as it goes; off: pauses come from neither posts nor time; study: a study sets the pace. */
  | { changed: false; reason: 'at-most' | 'off' | 'study' };

export interface SiteStatus {
  siteKey: string | null;
  enabled: boolean;
  snoozedUntil: number | null;
  adapterStatus: AdapterStatus | null;
  reason: NoTicketReason | null;
  /** The site's feed is on a break until then (the popup says so rather than "watching"). */
  breakUntil?: number | null;
}

/** What went wrong quietly, so the options page can say so: nothing is hidden from the user. */
export interface DataHealth {
  /** General log events pruned because the disk was full (study data is never pruned). */
  prunedEvents: number;
  /** Messages the background refused (malformed, wrong sender). */
  droppedMessages: number;
  /** Recent repairs of corrupt stored records: which fields went back to defaults, and when. */
  repairs: Array<{ ts: number; fields: string[] }>;
  /** A full disk: whether it is full now, when it last was, and what could not be saved. */
  storage: StorageHealth;
  /** The user's own images found damaged when they were due, and taken out of the library. */
  droppedFrames: { count: number; lastAt: number | null };
}

export interface TodayStats {
  posts: number;
  pauses: number;
  day: string;
}

/** Why a claim was refused: the scheduler's reasons, or nothing left to show ('no-frame'). */
export type ClaimRefusal = Extract<ClaimDecision, { kind: 'denied' }>['reason'] | 'no-frame';

/**
 * The answers, per message. The contract: a transport or validation failure (malformed message,
 * wrong sender, the worker gone) REJECTS the promise `send` returns; a domain "no" (a claim
 * refused, settings that do not validate, a protocol with errors) RESOLVES to a typed result
 * with `ok: false` and a union of reasons or field errors — never a thrown string.
 */
export interface Responses {
  'content/hello': ContentConfig;
  'ticket/request': { ticket: Ticket | null; reason: NoTicketReason | null };
  'ticket/claim': /**
   * A decision point: the frame to show, or null when the draw withheld it (the place is measured all the same).
   * firstToday: no pause was shown earlier today, so "N posts since your last pause" would not be true.
   */
    | {
        ok: true;
        decision: ClaimDecisionInfo;
        frame: FramePayload | null;
        postsSince: number;
        firstToday: boolean;
        next: Ticket | null;
        study?: ClaimStudy;
        survey?: SurveyOffer;
      }
    /** No frame. `unavailable`: a study's decision point that could not be delivered; the next ticket counts from here. */
    | { ok: false; reason: ClaimRefusal; ticket: Ticket | null; retryAt?: number | null; unavailable?: boolean };
  /**
   * stopLeft: posts left before today's stopping point, counted over every tab (absent: no change known).
   * survey: the study's question is due by its own schedule: the tab shows it as a card in the feed.
   */
  'posts/progress': { ok: true; stopLeft?: number | null; survey?: SurveyOffer };
  'frame/report': { ok: true };
  'break/start': { until: number };
  'break/end': { ok: true };
  'tab/close': { ok: true };
  'frame/why': { ok: true };
  'frame/fewer-pauses': FewerPausesResult;
  'stop/claim': { show: true; posts: number } | { show: false; left: number | null };
  'sites/add-pending': { ok: true };
  'frame/placed': { ok: true; counted: boolean };
  'frame/ui': { ok: true };
  'content/part': { ok: true };
  'adapter/status': { ok: true };
  'settings/get': { settings: Settings; repaired: string[] };
  'settings/patch': { ok: true; settings: Settings } | { ok: false; errors: string[]; issues: SettingsIssue[] };
  'settings/replace': { ok: true; settings: Settings } | { ok: false; errors: string[]; issues: SettingsIssue[] };
  'snooze/set': SiteStatus;
  'snooze/clear': SiteStatus;
  'status/get': SiteStatus;
  'stats/today': TodayStats;
  'popup/active-site': ActiveSite;
  /** 'not-here': no Stillframe in that tab (or it did not answer); 'invalid': what it sent is not a shape report. */
  'site/report': { ok: true; report: ShapeReport } | { ok: false; reason: 'not-here' | 'invalid' };
  'data/delete-all': { ok: true };
  'data/health': DataHealth;
  'decision/windows': { ok: true };
  'study/survey': { ok: boolean };
  'study/status': StudyStatus;
  'study/load': { ok: true; status: StudyStatus; warnings: ProtocolFieldError[] } | { ok: false; errors: ProtocolFieldError[] };
  'study/consent':
    | { ok: true; status: StudyStatus }
    | { ok: false; reason: 'no-protocol' | 'already-enrolled' | 'code-required' | 'code-unknown' | 'eligibility'; status: StudyStatus };
  'study/export': StudyExportData;
  'study/withdraw': { ok: true; before: StudyCounts; after: StudyCounts; participantId: string | null; studyId: string | null; endpoint: string | null };
  'study/forget': StudyStatus;
}

/**
 * Sent from the background to tabs: a new config when something that affects them changes; a
 * request for the page's shape report (answered with `{ report }`, see utils/content/site-report.ts);
 * for a tab that is not stored (its site was off), a request to say hello again: settings changed.
 */
export type PushMessage = { type: 'push/config'; config: ContentConfig } | { type: 'push/shape-report' } | { type: 'push/hello' };

/** Typed request/response to the background (in its own module so content scripts skip the schema). */

export type SettingsPatch = DeepPartial<Settings>;
