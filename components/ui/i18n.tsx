import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { t, setLocale, getLocale, type Locale } from '@/utils/i18n';

/**
 * The UI language as Preact context. `t` itself reads a module-level locale; components call
 * `useT()` so that they subscribe to this context and re-render the moment the language changes.
 */
export const LocaleContext = createContext<Locale>(getLocale());

export function useT(): typeof t {
  useContext(LocaleContext);
  return t;
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

/** Applies the user's language preference ('auto' follows the browser) and marks the document. */
export function applyLocale(pref: 'auto' | Locale): Locale {
  const locale = setLocale(pref);
  if (typeof document !== 'undefined') document.documentElement.lang = locale === 'zh_CN' ? 'zh-CN' : 'en';
  return locale;
}

/** BCP 47 tag for Intl formatting. */
export function intlTag(locale: Locale): string {
  return locale === 'zh_CN' ? 'zh-CN' : 'en';
}
