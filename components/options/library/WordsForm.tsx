import { useEffect, useRef, useState } from 'preact/hooks';
import { SOURCE_MAX, TEXT_LINES_MAX, TEXT_MAX } from '@/utils/frames/collection-file';
import { useT } from '@/components/ui/i18n';

/**
 * Your own words (a line you want to meet again, a quote you keep) and where they are from.
 * What was typed is only ever checked, never cut: too long is named and not saved.
 */
export function WordsForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  children,
}: {
  initial?: { text: string; source: string };
  submitLabel: string;
  onSubmit(text: string, source: string): Promise<void>;
  onCancel?(): void;
  /** Extra fields before the buttons (the collection to add to). */
  children?: preact.ComponentChildren;
}) {
  const t = useT();
  const [text, setText] = useState(initial?.text ?? '');
  const [source, setSource] = useState(initial?.source ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (initial) area.current?.focus();
  }, []);
  const lines = text.split('\n').length;
  const over = text.length > TEXT_MAX || lines > TEXT_LINES_MAX;
  return (
    <form
      class="lib-words-form"
      data-testid="words-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await onSubmit(area.current?.value ?? text, source);
          setError(null);
          if (!initial) {
            setText('');
            setSource('');
          }
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label class="lib-field">
        <span>{t('library.words.text')}</span>
        <textarea
          ref={area}
          rows={4}
          value={text}
          placeholder={t('library.words.placeholder')}
          aria-invalid={over ? 'true' : undefined}
          data-testid="words-text"
          onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
        />
        <span class={over ? 'sf-error sf-small' : 'sf-muted sf-small'} data-testid="words-count">
          {t('library.words.count', { n: text.length, max: TEXT_MAX, lines, maxLines: TEXT_LINES_MAX })}
        </span>
      </label>
      <label class="lib-field">
        <span>{t('library.words.source')}</span>
        <input
          type="text"
          value={source}
          placeholder={t('library.words.sourcePlaceholder')}
          data-testid="words-source"
          onInput={(e) => setSource((e.currentTarget as HTMLInputElement).value)}
        />
        {source.length > SOURCE_MAX && <span class="sf-error sf-small">{t('library.err.sourceTooLong', { max: SOURCE_MAX })}</span>}
      </label>
      {children}
      <span class="op-row op-wrap">
        <button type="submit" class="sf-btn sf-btn-primary" data-testid="words-save" disabled={busy || !text.trim() || over || source.length > SOURCE_MAX}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="sf-btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </span>
      {error && (
        <span class="sf-error sf-small" role="alert" data-testid="words-error">
          {error}
        </span>
      )}
    </form>
  );
}
