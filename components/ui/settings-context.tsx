import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { send, type SettingsPatch } from '@/utils/messaging';
import { mergeSettings, type Settings, type SettingsIssue } from '@/utils/storage/settings';

export type ReplaceResult = { ok: true; settings: Settings } | { ok: false; errors: string[]; issues: SettingsIssue[] };

export interface SettingsStore {
  settings: Settings | null;
  /** Why settings could not be read (the background did not answer). */
  loadError: string | null;
  /**
   * Deep-merges `patch` through the background (which validates it and pushes it to open tabs).
   * The page shows the change at once and takes it back if the background refuses it; the
   * promise rejects with the background's message, which names the bad field.
   */
  patch(patch: SettingsPatch): Promise<Settings>;
  /** Replaces all settings (import, reset, removing optional fields); field-level errors, nothing changed on failure. */
  replace(settings: unknown): Promise<ReplaceResult>;
  reload(): Promise<void>;
}

export const SettingsContext = createContext<SettingsStore | null>(null);

/** Extension pages tell each other that settings changed (a page never hears its own posts). */
const CHANNEL = 'stillframe-settings';

/** Tells the other open extension pages to read settings again. */
export function announce(): void {
  if (typeof BroadcastChannel !== 'function') return;
  const ch = new BroadcastChannel(CHANNEL);
  ch.postMessage('settings-changed');
  ch.close();
}

export function useSettings(): SettingsStore {
  const store = useContext(SettingsContext);
  if (!store) throw new Error('useSettings outside SettingsContext');
  return store;
}

/** The one settings store of a page (popup or options). */
export function useSettingsStore(): SettingsStore {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const latest = useRef<Settings | null>(null);
  latest.current = settings;

  const reload = useCallback(async () => {
    try {
      const res = await send({ type: 'settings/get' });
      setSettings(res.settings);
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    }
  }, []);

  useEffect(() => {
    void reload();
    // Another page (the popup, a second options tab) may change settings meanwhile: it tells
    // the others on a channel; a page coming back into view also asks again.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void reload();
    };
    document.addEventListener('visibilitychange', onVisible);
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
    if (channel) channel.onmessage = () => void reload();
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      channel?.close();
    };
  }, [reload]);

  // Every control saves at once, so two quick changes can be in flight together: they go to the
  // background one after the other, in the order they were made, and the later one wins.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const inOrder = <T,>(job: () => Promise<T>): Promise<T> => {
    const run = queue.current.then(job, job);
    // The caller hears of a failed save (it awaits `run`); the queue only must not stop at one.
    queue.current = run.catch(() => {});
    return run;
  };

  const patch = useCallback((p: SettingsPatch) => {
    const shown = latest.current;
    if (shown) {
      latest.current = mergeSettings(shown, p);
      setSettings(latest.current);
    }
    return inOrder(async () => {
      try {
        const res = await send({ type: 'settings/patch', patch: p as Record<string, unknown> });
        if (!res.ok) throw new Error(`Invalid settings: ${res.errors.join('; ')}`);
        latest.current = res.settings;
        setSettings(res.settings);
        announce();
        return res.settings;
      } catch (err) {
        // Refused: show what the background holds (this change undone, earlier ones kept).
        await reload();
        throw err instanceof Error ? err : new Error(String(err));
      }
    });
  }, []);

  const replace = useCallback(
    (next: unknown): Promise<ReplaceResult> =>
      inOrder(async () => {
        const res = await send({ type: 'settings/replace', settings: next });
        if (res.ok) {
          latest.current = res.settings;
          setSettings(res.settings);
          announce();
        }
        return res;
      }),
    [],
  );

  return { settings, loadError, patch, replace, reload };
}
