import { localDay } from '@/utils/schedule/calendar';

/** Largest settings file we read (a settings object is a few kB). */
export const MAX_IMPORT_BYTES = 1_000_000;

export function exportFileName(now: number): string {
  return `stillframe-settings-${localDay(now)}.json`;
}

export function exportJson(settings: unknown): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}

export type ParsedImport = { ok: true; value: unknown } | { ok: false; error: { key: string; params?: Record<string, string | number> } };

/** Reads an import file's text as JSON; the background then validates every field. */
export function parseImportText(text: string): ParsedImport {
  if (text.length > MAX_IMPORT_BYTES) return { ok: false, error: { key: 'options.data.import.tooBig' } };
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: { key: 'options.data.import.notObject' } };
    return { ok: true, value };
  } catch {
    // The parser's own message (a position, a token) helps no one reading the page; the sentence says what it means.
    return { ok: false, error: { key: 'options.data.import.notJson' } };
  }
}
