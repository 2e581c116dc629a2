import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { StillframeDB } from './schema';

export const DB_NAME = 'stillframe';

type UpgradeTx = IDBPTransaction<StillframeDB, StoreNames<StillframeDB>[], 'versionchange'>;

/**
 * Versioned upgrades, one function per version step, run in order from the stored version.
 * Each step only adds (stores, indexes, backfilled fields) so no user data is ever dropped.
 * A new version appends one function here and one fixture to tests/unit/db-upgrade.test.ts.
 */
export const UPGRADES: Array<(db: IDBPDatabase<StillframeDB>, tx: UpgradeTx) => void> = [
  // v1: the foundation
  (db) => {
    db.createObjectStore('settings');
    db.createObjectStore('state');
    const frames = db.createObjectStore('frames', { keyPath: 'id' });
    frames.createIndex('byCollection', 'collectionId');
    db.createObjectStore('collections', { keyPath: 'id' });
    const events = db.createObjectStore('events', { keyPath: 'id', autoIncrement: true });
    events.createIndex('byTs', 'ts');
    events.createIndex('byType', 'type');
  },
  // v2: study mode (utils/study/) — its own stores, so pruning 'events' never touches study data
  (db) => {
    db.createObjectStore('study');
    const log = db.createObjectStore('studyLog', { keyPath: 'id' });
    log.createIndex('byTable', 'table');
    log.createIndex('byTs', 'ts');
  },
];

export const DB_VERSION = UPGRADES.length;

let dbPromise: Promise<IDBPDatabase<StillframeDB>> | null = null;

/** Opens (and upgrades) the extension's database. Only the background and extension pages call this. */
export function getDB(): Promise<IDBPDatabase<StillframeDB>> {
  if (!dbPromise) {
    dbPromise = openDB<StillframeDB>(DB_NAME, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        for (let v = oldVersion; v < DB_VERSION; v++) UPGRADES[v](db, tx as UpgradeTx);
      },
      blocking() {
        // A newer version (an update in another context) wants to upgrade: step aside so it is not blocked.
        dbPromise?.then((db) => db.close());
        dbPromise = null;
      },
      terminated() {
        dbPromise = null;
      },
    }).catch((err) => {
      dbPromise = null;
      throw err;
    });
  }
  return dbPromise;
}

/**
 * Drops the cached connection (closing it). After a disk-full error Chromium has closed it
 * already; the next getDB() opens a fresh one (which fails until there is room again).
 */
export function forgetDB(): void {
  const p = dbPromise;
  dbPromise = null;
  p?.then((db) => db.close()).catch(() => {});
}

/** For tests: forget the cached connection. */
export async function closeDB(): Promise<void> {
  if (dbPromise) (await dbPromise).close();
  dbPromise = null;
}
