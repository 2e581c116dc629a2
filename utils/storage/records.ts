import type { IDBPDatabase } from 'idb';
import type { StillframeDB } from './schema';
import type { Settings } from './settings';
import type { SchedulerState } from '@/utils/schedule/types';
import type { FeedBreaks } from '@/utils/schedule/feed-break';
import type { StopRecord } from '@/utils/schedule/stopping-point';
import type { Enrolment, PendingProtocol } from '@/utils/study/types';
import type { OpenIntervals, OpenSessions, SurveyState, WithdrawalNotes } from '@/utils/study/bookkeeping';

/**
 * What each key of the keyed stores ('settings', 'state', 'study') holds — one map per store, so
 * a reader and a writer of the same key cannot disagree on its shape — and the typed helpers
 * every caller reads and writes them through.
 *
 * The stores themselves stay `{ key: string; value: unknown }` in schema.ts: what is on disk may
 * have been written by another version, damaged by a disk error or edited by hand. So a read
 * takes the key's repair (`load`, which turns anything into a valid value: the corrupt parts
 * repaired or dropped) and only its result carries the type; a write takes exactly the key's type.
 */

/** The 'settings' store: the one settings object (validated by parseSettings). */
export interface SettingsRecords {
  current: Settings;
}

/** A tab with a live content script on a site that is on (utils/background/tabs.ts writes them; the options page reads their status). */
export interface TabRecord {
  siteKey: string;
  feedRoute: boolean;
  /** The adapter's last health report (an AdapterStatus). */
  status?: string;
  adapter?: string;
}

/** By tab id. */
export type TabMap = Record<string, TabRecord>;

/** The welcome page's record (utils/background/onboarding.ts). */
export interface OnboardingRecord {
  /** When the welcome page was opened, or null if it never was. */
  welcomeShownAt: number | null;
}

/** What a full disk cost, as stored (utils/storage/quota.ts adds what this context has not stored yet). */
export interface StoredHealth {
  lastFullAt: number | null;
  droppedStudyRows: number;
  droppedEvents: number;
}

/** The 'state' store: the scheduler and other small state, by name. */
export interface StateRecords {
  /** utils/background/state-store.ts (repaired by loadState in utils/schedule/scheduler-state.ts) */
  scheduler: SchedulerState;
  /** utils/background/tabs.ts */
  tabs: TabMap;
  /** utils/background/feed-break.ts, by site key */
  breaks: FeedBreaks;
  /** utils/background/stopping-point.ts */
  'stopping-point': StopRecord;
  /** utils/background/onboarding.ts */
  onboarding: OnboardingRecord;
  /** utils/background/pending-sites.ts: origin → when the popup asked for it (epoch ms) */
  'pending-sites': Record<string, number>;
  /** utils/storage/decision-log.ts: decision id → its event's key in 'events' */
  'open-decisions': Record<string, number>;
  /** utils/storage/quota.ts: how many general-log events were pruned to make room */
  'pruned-events': number;
  /** utils/storage/quota.ts */
  'storage-health': StoredHealth;
}

/** The 'study' store: enrolment, pending protocol and bookkeeping (keys: KEYS in utils/study/bookkeeping.ts). */
export interface StudyRecords {
  enrolment: Enrolment;
  pending: PendingProtocol;
  /** An enrolment that could not be repaired, kept aside as it was found (never read back as an enrolment). */
  'enrolment-unreadable': unknown;
  openSessions: OpenSessions;
  surveyState: SurveyState;
  censoring: OpenIntervals;
  withdrawals: WithdrawalNotes;
}

export type SettingsKey = keyof SettingsRecords;
export type StateKey = keyof StateRecords;
export type StudyKey = keyof StudyRecords;

type Db = IDBPDatabase<StillframeDB>;
/** An object store of a transaction (idb's IDBPObjectStore), read-only or read-write. */
interface StoreReader {
  get(key: string): Promise<unknown>;
}
interface StoreWriter {
  put(value: unknown, key: string): Promise<unknown>;
}
type KeyedStore = 'settings' | 'state' | 'study';

function isDb(src: object): src is Db {
  return 'objectStoreNames' in src;
}

function getRaw(store: KeyedStore, src: Db | StoreReader, key: string): Promise<unknown> {
  return isDb(src) ? src.get(store, key) : src.get(key);
}

async function putRaw(store: KeyedStore, src: Db | StoreWriter, key: string, value: unknown): Promise<void> {
  if (isDb(src)) await src.put(store, value, key);
  else await src.put(value, key);
}

/**
 * Reads a 'state' record through its repair: `load` gets what is on disk (undefined when there is
 * none) and returns a valid value. `src` is the database or the 'state' store of a transaction.
 */
export async function readStateRecord<K extends StateKey, R extends StateRecords[K] | undefined>(
  src: Db | StoreReader,
  key: K,
  load: (raw: unknown) => R,
): Promise<R> {
  return load(await getRaw('state', src, key));
}

export function writeStateRecord<K extends StateKey>(src: Db | StoreWriter, key: K, value: StateRecords[K]): Promise<void> {
  return putRaw('state', src, key, value);
}

/** Reads a 'study' record through its repair (see readStateRecord). */
export async function readStudyRecord<K extends StudyKey, R extends StudyRecords[K] | undefined>(
  src: Db | StoreReader,
  key: K,
  load: (raw: unknown) => R,
): Promise<R> {
  return load(await getRaw('study', src, key));
}

/**
 * What is on disk under a 'study' key, unchecked: only for a reader whose repair needs more than
 * a function of the value (the enrolment's repair is asynchronous and keeps an unreadable one aside).
 */
export function readStudyRecordUnchecked(src: Db | StoreReader, key: StudyKey): Promise<unknown> {
  return getRaw('study', src, key);
}

export function writeStudyRecord<K extends StudyKey>(src: Db | StoreWriter, key: K, value: StudyRecords[K]): Promise<void> {
  return putRaw('study', src, key, value);
}

/** What is on disk under a 'settings' key, unchecked: parseSettings repairs it and lists what it repaired. */
export function readSettingsRecordUnchecked(src: Db | StoreReader, key: SettingsKey): Promise<unknown> {
  return getRaw('settings', src, key);
}

export function writeSettingsRecord<K extends SettingsKey>(src: Db | StoreWriter, key: K, value: SettingsRecords[K]): Promise<void> {
  return putRaw('settings', src, key, value);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The registry of tabs made safe: entries that are not a tab record are dropped; never throws. */
export function loadTabs(raw: unknown): TabMap {
  const out: TabMap = {};
  if (!isObject(raw)) return out;
  for (const [id, t] of Object.entries(raw)) {
    if (!isObject(t) || typeof t.siteKey !== 'string') continue;
    out[id] = {
      siteKey: t.siteKey,
      feedRoute: t.feedRoute === true,
      ...(typeof t.status === 'string' ? { status: t.status } : {}),
      ...(typeof t.adapter === 'string' ? { adapter: t.adapter } : {}),
    };
  }
  return out;
}

/** A string → number map made safe (the number checked by `keep`): other entries are dropped. */
export function loadNumberMap(raw: unknown, keep: (n: number) => boolean = Number.isFinite): Record<string, number> {
  const out: Record<string, number> = {};
  if (!isObject(raw)) return out;
  for (const [k, n] of Object.entries(raw)) if (typeof n === 'number' && keep(n)) out[k] = n;
  return out;
}
