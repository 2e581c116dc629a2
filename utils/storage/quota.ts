import { t } from '@/utils/i18n';
import { forgetDB, getDB } from './db';
import { readStateRecord, writeStateRecord, type StoredHealth } from './records';
import { swallowed } from '@/utils/dev-log';

/**
 * A full disk, as Chromium really reports it (measured on a small tmpfs profile, issue #19):
 *  - the write that finds no space fails with `QuotaExceededError` ("Encountered disk full while
 *    committing transaction.") or `UnknownError` ("… IO error … FILE_ERROR_NO_SPACE");
 *  - an image's blob fails with `DataError` ("Failed to write blobs (IOError)");
 *  - the browser then closes the connection, and every new open fails with `UnknownError`
 *    ("Internal error opening backing store") until space is freed — then all is well again.
 * Firefox raises `QuotaExceededError`. All of these mean "could not save: no room".
 */
export function isStorageFullError(err: unknown): boolean {
  if (err instanceof StorageFullError) return true;
  const e = err as { name?: unknown; message?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return name === 'QuotaExceededError' || /quota|no[ _]?space|disk (is )?full|failed to write blobs|opening backing store/i.test(message);
}

/**
 * The browser closed our connection under us, or aborted our transaction before it could say
 * why (both happen after a disk-full error elsewhere): worth once more with a fresh connection,
 * which then says what is wrong.
 */
export function isClosedConnection(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : '';
  return (e?.name === 'InvalidStateError' && /connection is clos/i.test(message)) || e?.name === 'AbortError';
}

/**
 * For reads that can do without the disk (they fall back to what is known in memory): is this
 * failure the storage being unavailable (full, or our connection closed because of it)? A closed
 * connection is forgotten so the next call opens a fresh one.
 */
export function storageUnavailable(err: unknown): boolean {
  if (isClosedConnection(err)) {
    forgetDB();
    return true;
  }
  return isStorageFullError(err);
}

/** A write that could not be made for lack of room, with a message a person can read. */
export class StorageFullError extends Error {
  readonly code = 'storage-full';
  constructor() {
    super(t('storage.full'));
    this.name = 'StorageFullError';
  }
}

/** How many of the oldest general-log events go when the disk is full. */
export const PRUNE_BATCH = 500;

/** Deletes the oldest `n` events of the general log (study data lives in its own stores and is never pruned). */
export async function pruneOldestEvents(n = PRUNE_BATCH): Promise<number> {
  const db = await getDB();
  const tx = db.transaction(['events', 'state'], 'readwrite');
  let removed = 0;
  let cursor = await tx.objectStore('events').index('byTs').openCursor();
  while (cursor && removed < n) {
    await cursor.delete();
    removed++;
    cursor = await cursor.continue();
  }
  const states = tx.objectStore('state');
  const prev = await readStateRecord(states, 'pruned-events', loadCount);
  await writeStateRecord(states, 'pruned-events', prev + removed);
  await tx.done;
  return removed;
}

/** How many events were pruned to make room (shown in the options page's Data section). */
export async function prunedCount(): Promise<number> {
  const db = await getDB();
  return readStateRecord(db, 'pruned-events', loadCount);
}

/** A stored count: anything that is not a number counts as none. */
function loadCount(raw: unknown): number {
  return Number(raw ?? 0) || 0;
}

/** What a full disk cost, as the options page shows it. */
export interface StorageHealth {
  /** The last write that found no room, if none succeeded since (epoch ms); null when storage is fine. */
  fullSince: number | null;
  /** When storage was last full at all (it may be fine again now). */
  lastFullAt: number | null;
  /** Study records that could not be saved. */
  droppedStudyRows: number;
  /** General log events (activity tally) that could not be saved. */
  droppedEvents: number;
}

const EMPTY: StorageHealth = { fullSince: null, lastFullAt: null, droppedStudyRows: 0, droppedEvents: 0 };

/**
 * Kept in this context's memory first — the disk may be exactly what fails — and added to the
 * stored record at the next write that succeeds.
 */
let unsaved: StorageHealth = { ...EMPTY };
/** The stored record as last read or written here: a full disk may refuse the next read. */
let stored: StorageHealth = { ...EMPTY };
let fullNow: number | null = null;
let saving = false;

function parseHealth(raw: unknown): StoredHealth {
  const r: Partial<Record<keyof StoredHealth, unknown>> = raw && typeof raw === 'object' ? raw : {};
  const n = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.floor(x) : 0);
  const ts = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
  return { lastFullAt: ts(r.lastFullAt), droppedStudyRows: n(r.droppedStudyRows), droppedEvents: n(r.droppedEvents) };
}

function noteFull(): void {
  const now = Date.now();
  fullNow ??= now;
  unsaved.lastFullAt = now;
}

/** A study record or a log event that a full disk made us drop: counted, and shown. */
export function noteDropped(kind: 'study' | 'event', n = 1): void {
  if (kind === 'study') unsaved.droppedStudyRows += n;
  else unsaved.droppedEvents += n;
}

async function saveHealth(): Promise<void> {
  if (saving || (unsaved.lastFullAt === null && unsaved.droppedStudyRows === 0 && unsaved.droppedEvents === 0)) return;
  saving = true;
  const pending = unsaved;
  unsaved = { ...EMPTY };
  try {
    const db = await getDB();
    const tx = db.transaction('state', 'readwrite');
    const cur = await readStateRecord(tx.store, 'storage-health', parseHealth);
    const next: StoredHealth = {
      lastFullAt: pending.lastFullAt ?? cur.lastFullAt,
      droppedStudyRows: cur.droppedStudyRows + pending.droppedStudyRows,
      droppedEvents: cur.droppedEvents + pending.droppedEvents,
    };
    await writeStateRecord(tx.store, 'storage-health', next);
    await tx.done;
    stored = { ...next, fullSince: null };
  } catch (err) {
    // Still no room: keep the counts in memory for the next try.
    swallowed('save storage health', err);
    unsaved = {
      ...pending,
      lastFullAt: unsaved.lastFullAt ?? pending.lastFullAt,
      droppedStudyRows: pending.droppedStudyRows + unsaved.droppedStudyRows,
      droppedEvents: pending.droppedEvents + unsaved.droppedEvents,
    };
  } finally {
    saving = false;
  }
}

function noteOk(): void {
  fullNow = null;
  void saveHealth();
}

/** Storage health: what is stored, plus what this context could not store yet. Never throws. */
export async function readStorageHealth(): Promise<StorageHealth> {
  try {
    stored = { ...(await readStateRecord(await getDB(), 'storage-health', parseHealth)), fullSince: null };
  } catch (err) {
    // The disk is full right now: what this context last knew of the record will do.
    swallowed('read storage health', err);
  }
  return {
    fullSince: fullNow,
    lastFullAt: unsaved.lastFullAt ?? stored.lastFullAt,
    droppedStudyRows: stored.droppedStudyRows + unsaved.droppedStudyRows,
    droppedEvents: stored.droppedEvents + unsaved.droppedEvents,
  };
}

/**
 * Every write to IndexedDB goes through here. When there is no room: forget the connection
 * (Chromium has closed it), make room by pruning the oldest general-log events (study data is
 * never pruned) and try once more; if there is still no room, note it and throw a
 * StorageFullError whose message a person can read. `write` must be safe to run twice (one
 * transaction, or a pure read-modify-write).
 */
export async function withRoom<T>(write: () => Promise<T>): Promise<T> {
  let full = false;
  try {
    const out = await write();
    noteOk();
    return out;
  } catch (err) {
    full = isStorageFullError(err);
    // A connection the browser closed under us (after a disk-full error elsewhere): once more, afresh.
    if (!full && !isClosedConnection(err)) throw err;
  }
  forgetDB();
  if (full) {
    try {
      await pruneOldestEvents();
    } catch (err) {
      // Pruning needs room too; on a truly full disk it fails like the write did.
      swallowed('prune for room', err);
    }
  }
  try {
    const out = await write();
    noteOk();
    return out;
  } catch (err) {
    // Closed under us a second time, with a fresh connection: the browser is still out of room
    // (it aborts or closes before it says so); anything else is not a full disk.
    if (!isStorageFullError(err) && !isClosedConnection(err)) throw err;
    forgetDB();
    noteFull();
    throw new StorageFullError();
  }
}

/** For tests: forget what this context noted. */
export function resetStorageHealth(): void {
  unsaved = { ...EMPTY };
  stored = { ...EMPTY };
  fullNow = null;
  saving = false;
}
