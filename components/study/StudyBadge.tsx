import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { send } from '@/utils/messaging';
import type { StudyStatus } from '@/utils/study/types';
import { useT } from '@/components/ui/i18n';
import { swallowed } from '@/utils/dev-log';

/**
 * The popup's study line: "Study active · day 3 of 14", or after the end a reminder to export.
 * Renders nothing when no study is set up. Self-contained: mounted with one line in the popup.
 */
export function StudyBadge() {
  const t = useT();
  const [status, setStatus] = useState<StudyStatus | null>(null);

  useEffect(() => {
    send({ type: 'study/status' })
      .then(setStatus)
      .catch((err) => {
        swallowed('study/status', err);
        setStatus(null);
      });
  }, []);

  if (!status || (status.state !== 'active' && status.state !== 'finished')) return null;
  const text = status.state === 'active' ? t('study.status.active', { day: status.day ?? 1, days: status.days ?? 1 }) : t('study.status.finished');
  return (
    <p class="sf-small" data-testid="study-badge" data-state={status.state} style={{ margin: '8px 0' }}>
      <a
        href="/options.html#study"
        class={status.state === 'finished' ? 'sf-error' : undefined}
        onClick={(e) => {
          e.preventDefault();
          void browser.tabs.create({ url: browser.runtime.getURL('/options.html') + '#study' });
        }}
      >
        {text}
      </a>
    </p>
  );
}

/** True while a study runs: its arm, not the participant's own settings, sets the cadence. */
export function useStudyActive(): boolean {
  const [active, setActive] = useState(false);
  useEffect(() => {
    send({ type: 'study/status' })
      .then((st) => setActive(st.state === 'active'))
      .catch((err) => {
        swallowed('study/status', err);
        setActive(false);
      });
  }, []);
  return active;
}
