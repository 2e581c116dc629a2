import { getDB } from '@/utils/storage/db';
import { readSettingsRecordUnchecked, writeSettingsRecord } from '@/utils/storage/records';
import { logEvent } from '@/utils/storage/events';
import { storageUnavailable, withRoom } from '@/utils/storage/quota';
import { parseSettings, type Settings, type ParsedSettings } from '@/utils/storage/settings';
import { devLog } from '@/utils/dev-log';

/** The settings last read or written: a full disk may refuse even a read (see quota.ts), and a feed should not stop for it. */
let lastRead: ParsedSettings | null = null;

/** Reads settings, repairing (and re-saving) any corrupt field; never throws on bad data. */
export async function readUserSettings(): Promise<ParsedSettings> {
  let raw: unknown;
  try {
    raw = await readSettingsRecordUnchecked(await getDB(), 'current');
  } catch (err) {
    if (lastRead && storageUnavailable(err)) return structuredClone(lastRead);
    throw err;
  }
  const parsed = parseSettings(raw);
  if (parsed.repaired.length > 0) {
    // Not saved (no room): the repaired settings are used anyway, and repaired again on the next read.
    await withRoom(async () => writeSettingsRecord(await getDB(), 'current', parsed.settings)).catch(devLog('save repaired settings'));
    await logEvent({ ts: Date.now(), type: 'notice', detail: `settings-repaired:${parsed.repaired.join(',')}` });
  }
  lastRead = structuredClone(parsed);
  return parsed;
}

/** Saves the user's settings; on a full disk throws a StorageFullError that says so in words. */
export async function writeUserSettings(settings: Settings): Promise<void> {
  await withRoom(async () => {
    await writeSettingsRecord(await getDB(), 'current', settings);
  });
  lastRead = { settings: structuredClone(settings), repaired: [] };
}

/** For tests: forget the settings this worker remembers. */
export function forgetSettingsMemory(): void {
  lastRead = null;
}
