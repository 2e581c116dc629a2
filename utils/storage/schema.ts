import type { DBSchema } from 'idb';
import type { StudyLogRecord } from '@/utils/study/types';

/** A logged event (not study data: study mode has its own stores). */
export interface EventRecord {
  id?: number;
  /** epoch ms */
  ts: number;
  type: 'frame-shown' | 'frame-action' | 'posts' | 'adapter-health' | 'message-dropped' | 'notice' | 'decision';
  siteKey?: string;
  frameId?: string;
  collectionId?: string;
  /** Posts passed (for 'posts'); posts since the previous pause (for 'frame-shown'); visible ms (for 'frame-action'). */
  value?: number;
  /** continue | break | fewer | none (for 'frame-action'); adapter status; notice text key. */
  detail?: string;
  /** For 'decision': a decision point (utils/storage/decision-log.ts) and, once measured, its windows. */
  decision?: DecisionEventData;
}

/** One decision point in the general log, for Insights' comparison of moments with and without a pause. */
export interface DecisionEventData {
  id: string;
  pShow: number;
  shown: boolean;
  windowMs: number;
  /** Filled when the tab reports (null fields: not measured). */
  before?: { ms: number; posts: number; pxTravelled: number; pxNet: number } | null;
  after?: { ms: number; posts: number; pxTravelled: number; pxNet: number } | null;
  censored?: string | null;
  overlapsPrevious?: boolean;
}

/** One of the person's own pictures (records stored before words existed have no `kind`). */
export interface UserImageRecord {
  id: string;
  collectionId: string;
  kind?: 'image';
  caption: string;
  mime: string;
  width: number;
  height: number;
  blob: Blob;
  createdAt: number;
}

/** The person's own words, or a quote they keep: shown as text, never as markup. */
export interface UserTextRecord {
  id: string;
  collectionId: string;
  kind: 'text';
  text: string;
  /** Who said it, or where it is from; may be empty. */
  source: string;
  createdAt: number;
}

/** A frame of the person's own, in the 'frames' store (no new store or index: same keys, same byCollection). */
export type UserFrameRecord = UserImageRecord | UserTextRecord;

export const isTextRecord = (f: UserFrameRecord): f is UserTextRecord => f.kind === 'text';

export interface UserCollectionRecord {
  id: string;
  name: string;
  createdAt: number;
}

export interface StillframeDB extends DBSchema {
  /**
   * The one settings object, key 'current'. This store, 'state' and 'study' are keyed by name and
   * typed per key in records.ts (SettingsRecords, StateRecords, StudyRecords), read and written
   * through its helpers; here the value is `unknown` because what is on disk is checked on read.
   */
  settings: { key: string; value: unknown };
  /** Scheduler and other small state, keyed by name (StateRecords in records.ts). */
  state: { key: string; value: unknown };
  /** User-added frames (Blobs). */
  frames: { key: string; value: UserFrameRecord; indexes: { byCollection: string } };
  /** User-created collections. */
  collections: { key: string; value: UserCollectionRecord };
  events: { key: number; value: EventRecord; indexes: { byTs: number; byType: string } };
  /** Study mode (utils/study/): enrolment, pending protocol, open sessions — keyed by name (StudyRecords in records.ts). Never pruned. */
  study: { key: string; value: unknown };
  /** Study mode: one row per record of a study table (sessions, impressions, …). Never pruned with 'events'. */
  studyLog: { key: string; value: StudyLogRecord; indexes: { byTable: string; byTs: number } };
}
