/**
 * A full disk for the unit tests. Chromium refuses a write that finds no room with
 * QuotaExceededError ("Encountered disk full while committing transaction.") — measured on a
 * small tmpfs profile (utils/storage/quota.ts). Here the same error comes from IndexedDB's
 * put/add (fake-indexeddb): `prunedFreesRoom` says whether deleting old events makes room, as
 * under a quota, or not, as on a disk that stays full. restoreDisk() puts things back.
 */
export function fullDisk(opts: { prunedFreesRoom: boolean }) {
  const store = (globalThis as any).IDBObjectStore.prototype;
  const cursor = (globalThis as any).IDBCursor.prototype;
  const orig = { put: store.put, add: store.add, del: cursor.delete };
  const disk = { full: true, refused: 0 };
  const guard = (fn: (...a: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]) {
      if (disk.full) {
        disk.refused++;
        throw new DOMException('Encountered disk full while committing transaction.', 'QuotaExceededError');
      }
      return fn.apply(this, args);
    };
  store.put = guard(orig.put);
  store.add = guard(orig.add);
  cursor.delete = function (this: unknown, ...args: unknown[]) {
    const r = orig.del.apply(this, args);
    if (opts.prunedFreesRoom) disk.full = false;
    return r;
  };
  undo = () => {
    store.put = orig.put;
    store.add = orig.add;
    cursor.delete = orig.del;
    undo = () => {};
  };
  return disk;
}

let undo = () => {};
export function restoreDisk(): void {
  undo();
}
