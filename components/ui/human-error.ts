/**
 * An error from the background or the browser, as a sentence in the UI language. The known
 * ones get their own words; anything else keeps its message after a plain lead-in, so nothing
 * is hidden, but the person never reads only a schema path or a stack of codes.
 */
export function humanError(err: unknown, t: (key: string, params?: Record<string, string | number>) => string): string {
  // A full disk, in the page's own language (the background marks it with code 'storage-full').
  if ((err as { code?: unknown } | null)?.code === 'storage-full') return t('storage.full');
  const message = err instanceof Error ? err.message || err.name : String(err);
  if (/^Invalid settings:/.test(message)) return t('common.error.invalid');
  if (/No answer from the background|Could not establish connection|Receiving end does not exist|message port closed/i.test(message))
    return t('common.error.noAnswer');
  return t('common.error.other', { message });
}
