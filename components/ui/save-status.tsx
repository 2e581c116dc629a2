import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useT } from './i18n';
import { humanError } from './human-error';

export type SaveState = { kind: 'idle' } | { kind: 'saving' } | { kind: 'saved' } | { kind: 'error'; message: string };

/** Runs a save and remembers how it went, for a visible "Saved" / error line next to the control. */
export function useSaveStatus(): { state: SaveState; run(fn: () => Promise<unknown>): Promise<boolean> } {
  const t = useT();
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const run = useCallback(
    async (fn: () => Promise<unknown>) => {
      if (timer.current) clearTimeout(timer.current);
      setState({ kind: 'saving' });
      try {
        await fn();
        setState({ kind: 'saved' });
        timer.current = setTimeout(() => setState({ kind: 'idle' }), 4000);
        return true;
      } catch (err) {
        setState({ kind: 'error', message: humanError(err, t) });
        return false;
      }
    },
    [t],
  );
  return { state, run };
}

/** "Saved" (polite live region) or, in words, why it was not. */
export function SaveStatus({ state, testid }: { state: SaveState; testid?: string }) {
  const t = useT();
  return (
    <span
      class={`sf-save-status sf-save-${state.kind}`}
      role={state.kind === 'error' ? 'alert' : 'status'}
      aria-live="polite"
      data-testid={testid}
      data-state={state.kind}
    >
      {state.kind === 'saved' ? t('common.saved') : state.kind === 'saving' ? t('options.saving') : state.kind === 'error' ? state.message : ''}
    </span>
  );
}
