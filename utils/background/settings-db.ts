import { getDB } from '@/utils/storage/db';
import { logEvent } from '@/utils/storage/events';
import { parseSettings, type Settings, type ParsedSettings } from '@/utils/storage/settings';

/** Reads settings, repairing (and re-saving) any corrupt field; never throws on bad data. */
export async function readUserSettings(): Promise<ParsedSettings> {
  const db = await getDB();
  const raw = await db.get('settings', 'current');
  const parsed = parseSettings(raw);
  if (parsed.repaired.length > 0) {
    await db.put('settings', parsed.settings, 'current');
    await logEvent({ ts: Date.now(), type: 'notice', detail: `settings-repaired:${parsed.repaired.join(',')}` });
  }
  return parsed;
}

export async function writeUserSettings(settings: Settings): Promise<void> {
  const db = await getDB();
  await db.put('settings', settings, 'current');
}
