import { useEffect, useState } from 'preact/hooks';
import { send, type DataHealth } from '@/utils/messaging';
import { useT } from '@/components/ui/i18n';
import { fieldName } from './settings-errors';

/** Repairs older than this no longer raise the banner (the Data section still lists the last one). */
export const RECENT_REPAIR_MS = 7 * 86_400_000;
/** The newest repair the user dismissed (epoch ms), kept in the page's own localStorage, never in IndexedDB. */
export const DISMISSED_KEY = 'stillframe-health-dismissed';

/**
 * The fields named by repairs that are recent and newer than the last dismissed one, each
 * once, in the order they were first repaired; `latest` is the newest such repair's time.
 */
export function bannerRepairs(repairs: DataHealth['repairs'], dismissedTs: number, now: number): { fields: string[]; latest: number } | null {
  const shown = repairs.filter((r) => r.ts > dismissedTs && now - r.ts <= RECENT_REPAIR_MS && r.fields.length > 0);
  if (shown.length === 0) return null;
  const fields = [...new Set(shown.flatMap((r) => r.fields.filter((f) => f.length > 0)))];
  return fields.length ? { fields, latest: Math.max(...shown.map((r) => r.ts)) } : null;
}

function readDismissed(): number {
  try {
    return Number(localStorage.getItem(DISMISSED_KEY)) || 0;
  } catch {
    return 0;
  }
}

function writeDismissed(ts: number): void {
  try {
    localStorage.setItem(DISMISSED_KEY, String(ts));
  } catch {
    /* storage unavailable: the banner then only goes away for this visit */
  }
}

/** Asks the background what went wrong quietly; `when` changes ask again (null: not yet). */
export function useHealth(when: unknown): { health: DataHealth | null; error: string | null } {
  const [health, setHealth] = useState<DataHealth | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (when === null || when === false) return;
    let live = true;
    send({ type: 'data/health' })
      .then((h) => {
        if (!live) return;
        setHealth(h);
        setError(null);
      })
      .catch((err) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [when]);
  return { health, error };
}

/**
 * "Some settings were damaged and were reset to their defaults: cadence.everyPosts" — at the
 * top of the options page while a repair is recent and not dismissed. Asked for once the
 * settings have loaded: reading them is what repairs them (and notes it).
 */
export function HealthBanner({ loaded }: { loaded: boolean }) {
  const t = useT();
  const { health } = useHealth(loaded);
  const [dismissed, setDismissed] = useState(readDismissed);
  const shown = health ? bannerRepairs(health.repairs, dismissed, Date.now()) : null;
  if (!shown) return null;
  return (
    <div
      class="op-card op-row"
      role="alert"
      data-testid="health-banner"
      style={{ flexDirection: 'row', borderColor: 'var(--sf-danger)', marginBottom: '16px' }}
    >
      <div class="op-grow">
        <p>{t('options.health.repaired', { fields: shown.fields.map((f) => fieldName(f, t)).join(t('schedule.list.sep')) })}</p>
        <p class="sf-muted sf-small">{t('options.health.repaired.kept')}</p>
      </div>
      <button
        type="button"
        class="sf-btn"
        data-testid="health-dismiss"
        onClick={() => {
          writeDismissed(shown.latest);
          setDismissed(shown.latest);
        }}
      >
        {t('options.health.dismiss')}
      </button>
    </div>
  );
}

/** The counters for the Data section: pruned log entries, refused messages, the last repair. */
export function HealthCounters({ refresh, lang }: { refresh: number | null; lang: string }) {
  const t = useT();
  const { health, error } = useHealth(refresh);
  const nf = new Intl.NumberFormat(lang);
  const count = (n: number, key: string) => (n === 0 ? t(`${key}.none`) : n === 1 ? t(`${key}.one`) : t(key, { n: nf.format(n) }));
  const last = health?.repairs.length ? health.repairs.reduce((a, b) => (b.ts > a.ts ? b : a)) : null;
  return (
    <div class="op-card" aria-labelledby="op-health-title" data-testid="data-health">
      <h3 id="op-health-title">{t('options.data.health.title')}</h3>
      <p class="sf-muted sf-small">{t('options.data.health.intro')}</p>
      {error && <p class="sf-error sf-small">{t('options.data.health.error', { message: error })}</p>}
      {health && (
        <ul class="op-bullets">
          <li data-testid="health-pruned" data-count={String(health.prunedEvents)}>
            {count(health.prunedEvents, 'options.data.health.pruned')}
          </li>
          <li data-testid="health-dropped" data-count={String(health.droppedMessages)}>
            {count(health.droppedMessages, 'options.data.health.dropped')}
          </li>
          {last && (
            <li data-testid="health-repairs">
              {t('options.data.health.repairs', {
                when: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(last.ts)),
                fields: last.fields.map((f) => fieldName(f, t)).join(t('schedule.list.sep')),
              })}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
