/** Fills `{name}` placeholders from params; an unknown placeholder stays as written (and fails the i18n test). */
export function fillPlaceholders(s: string, params?: Record<string, string | number>): string {
  return params ? s.replace(/\{(\w+)\}/g, (m, p: string) => (p in params ? String(params[p]) : m)) : s;
}
