import * as v from 'valibot';
import type { Settings, DeepPartial } from '@/utils/storage/settings';
import type { Ticket, NoTicketReason, ClaimDecision } from '@/utils/schedule/types';
import type { FramePayload } from '@/utils/frames/types';
import type { AdapterStatus } from '@/utils/feeds/types';
import type { ActiveSite } from '@/utils/feeds/site-key';
import type { ClaimStudy, StudyContentConfig, StudyExportData, StudyStatus, StudyCounts } from '@/utils/study/types';
import type { ProtocolFieldError } from '@/utils/study/protocol';

/**
 * Every message to the background is one member of this union, validated with valibot in
 * the background before anything acts on it (the content script runs beside a page we do
 * not trust). The response types below are the other half of the contract.
 */
const SiteKey = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));
const Ms = v.pipe(v.number(), v.minValue(0), v.maxValue(86_400_000));

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
    action: v.picklist(['continue', 'break', 'fewer', 'none']),
  }),
  v.object({ type: v.literal('frame/snooze'), siteKey: SiteKey }),
  // The frame UI (Preact, styles, compositions) is injected into the tab at its first frame, not bundled in the content script.
  v.object({ type: v.literal('frame/ui') }),
  v.object({
    type: v.literal('adapter/status'),
    siteKey: SiteKey,
    status: v.picklist(['working', 'fallback', 'not-feed', 'waiting']),
    adapter: v.pipe(v.string(), v.maxLength(64)),
  }),
  // study mode, from content scripts: what a tab measured around one frame; an answer to the frame's question
  v.object({
    type: v.literal('study/pause'),
    impressionId: v.pipe(v.string(), v.maxLength(64)),
    visibleMs: Ms,
    firstVisibleAgoMs: v.nullable(Ms),
    before: v.nullable(v.object({ ms: Ms, posts: Count, px: v.pipe(v.number(), v.integer(), v.minValue(-10_000_000), v.maxValue(10_000_000)) })),
    after: v.nullable(v.object({ ms: Ms, posts: Count, px: v.pipe(v.number(), v.integer(), v.minValue(-10_000_000), v.maxValue(10_000_000)) })),
  }),
  v.object({ type: v.literal('study/answer'), impressionId: v.pipe(v.string(), v.maxLength(64)), answer: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10)) }),
  // from extension pages (popup, options)
  v.object({ type: v.literal('settings/get') }),
  v.object({ type: v.literal('settings/patch'), patch: v.record(v.string(), v.unknown()) }),
  v.object({ type: v.literal('settings/replace'), settings: v.unknown() }),
  v.object({ type: v.literal('snooze/set'), siteKey: v.optional(SiteKey), kind: v.picklist(['15m', '1h', 'today']) }),
  v.object({ type: v.literal('snooze/clear'), siteKey: v.optional(SiteKey) }),
  v.object({ type: v.literal('status/get'), siteKey: v.optional(SiteKey) }),
  v.object({ type: v.literal('stats/today') }),
  // popup: which site is the active tab (tabId: a specific tab, for tests that open the popup as a page)
  v.object({ type: v.literal('popup/active-site'), tabId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))) }),
  // options → Data: delete everything Stillframe stored (settings, state, frames, events)
  v.object({ type: v.literal('data/delete-all') }),
  v.object({ type: v.literal('data/health') }),
  // study mode (options → Study, consent page, popup): see utils/study/ and docs/STUDY.md
  v.object({ type: v.literal('study/status') }),
  v.object({ type: v.literal('study/load'), text: v.pipe(v.string(), v.maxLength(200_000)) }),
  v.object({ type: v.literal('study/consent'), agree: v.boolean(), uploadConsent: v.boolean(), locale: v.picklist(['en', 'zh_CN']) }),
  v.object({ type: v.literal('study/export') }),
  v.object({ type: v.literal('study/withdraw') }),
]);

export type Message = v.InferOutput<typeof MessageSchema>;
export type MessageType = Message['type'];

/** Sent by content scripts only; the background refuses these from extension pages and vice versa. */
export const CONTENT_MESSAGES: ReadonlySet<MessageType> = new Set([
  'content/hello', 'ticket/request', 'ticket/claim', 'posts/progress', 'frame/report', 'frame/snooze', 'frame/ui', 'adapter/status',
  'study/pause', 'study/answer',
]);

export interface ContentConfig {
  active: boolean;
  reason: NoTicketReason | null;
  ticket: Ticket | null;
  gentleHold: boolean;
  locale: 'auto' | 'en' | 'zh_CN';
  wordLanguages: ('en' | 'zh')[];
  /** Set while a study runs and logs impressions: the tab measures frames (utils/content/study-probe.ts). */
  study?: StudyContentConfig | null;
}

export interface SiteStatus {
  siteKey: string | null;
  enabled: boolean;
  snoozedUntil: number | null;
  adapterStatus: AdapterStatus | null;
  reason: NoTicketReason | null;
}

/** What went wrong quietly, so the options page can say so: nothing is hidden from the user. */
export interface DataHealth {
  /** General log events pruned because the disk was full (study data is never pruned). */
  prunedEvents: number;
  /** Messages the background refused (malformed, wrong sender). */
  droppedMessages: number;
  /** Recent repairs of corrupt stored records: which fields went back to defaults, and when. */
  repairs: Array<{ ts: number; fields: string[] }>;
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
  'ticket/claim':
    | { ok: true; frame: FramePayload; postsSince: number; next: Ticket | null; study?: ClaimStudy }
    | { ok: false; reason: ClaimRefusal; ticket: Ticket | null; retryAt?: number | null };
  'posts/progress': { ok: true };
  'frame/report': { ok: true };
  'frame/snooze': { ok: true };
  'frame/ui': { ok: true };
  'adapter/status': { ok: true };
  'settings/get': { settings: Settings; repaired: string[] };
  'settings/patch': { ok: true; settings: Settings } | { ok: false; errors: string[] };
  'settings/replace': { ok: true; settings: Settings } | { ok: false; errors: string[] };
  'snooze/set': SiteStatus;
  'snooze/clear': SiteStatus;
  'status/get': SiteStatus;
  'stats/today': TodayStats;
  'popup/active-site': ActiveSite;
  'data/delete-all': { ok: true };
  'data/health': DataHealth;
  'study/pause': { ok: true };
  'study/answer': { ok: boolean };
  'study/status': StudyStatus;
  'study/load': { ok: true; status: StudyStatus } | { ok: false; errors: ProtocolFieldError[] };
  'study/consent': StudyStatus;
  'study/export': StudyExportData;
  'study/withdraw': { ok: true; before: StudyCounts; after: StudyCounts };
}

/** Pushed from the background to registered tabs when something that affects them changes. */
export type PushMessage = { type: 'push/config'; config: ContentConfig };

/** Typed request/response to the background (in its own module so content scripts skip the schema). */

export type SettingsPatch = DeepPartial<Settings>;
