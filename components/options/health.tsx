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

/**
 * Asks the background what went wrong quietly; `when` changes ask again (null: not yet). With
 * `everyMs`, it asks again that often while the page is open (a disk fills up, or gets room).
 */
export function useHealth(when: unknown, everyMs?: number): { health: DataHealth | null; error: string | null } {
  const [health, setHealth] = useState<DataHealth | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (when === null || when === false) return;
    let live = true;
    const ask = () =>
      send({ type: 'data/health' })
        .then((h) => {
          if (!live) return;
          setHealth(h);
          setError(null);
        })
        .catch((err) => live && setError(err instanceof Error ? err.message : String(err)));
    void ask();
    const timer = everyMs ? setInterval(ask, everyMs) : null;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [when, everyMs]);
  return { health, error };
}

/** How often the top of the options page asks again whether the storage is full. */
export const HEALTH_REFRESH_MS = 15_000;

/**
 * "Some settings were damaged and were reset to their defaults: cadence.everyPosts" — at the
 * top of the options page while a repair is recent and not dismissed. Asked for once the
 * settings have loaded: reading them is what repairs them (and notes it).
 */
export function HealthBanner({ loaded }: { loaded: boolean }) {
  const { health } = useHealth(loaded, HEALTH_REFRESH_MS);
  const [dismissed, setDismissed] = useState(readDismissed);
  const shown = health ? bannerRepairs(health.repairs, dismissed, Date.now()) : null;
  return (
    <>
      {health && storageNotice(health.storage, Date.now()) && <StorageFullNotice health={health} />}
      {shown && <RepairBanner shown={shown} onDismiss={setDismissed} />}
    </>
  );
}

/** A disk that was full only minutes ago is still worth a word: it is nearly full, and it comes and goes. */
export const RECENT_FULL_MS = 10 * 60_000;

/** 'full' while the last write found no room; 'was-full' for a while after; null otherwise. */
export function storageNotice(storage: DataHealth['storage'], now: number): 'full' | 'was-full' | null {
  if (storage.fullSince !== null) return 'full';
  if (storage.lastFullAt !== null && now - storage.lastFullAt < RECENT_FULL_MS) return 'was-full';
  return null;
}

/**
 * "Your device's storage is full" — while the last write found no room, and for a few minutes
 * after (a nearly full disk lets one write through and refuses the next). Calm and concrete:
 * what still works, what could not be saved, what to do.
 */
export function StorageFullNotice({ health }: { health: DataHealth }) {
  const t = useT();
  const rows = health.storage.droppedStudyRows;
  const state = storageNotice(health.storage, Date.now()) ?? 'full';
  return (
    <div class="op-card" role="alert" data-testid="storage-full-notice" data-state={state} style={{ borderColor: 'var(--sf-danger)', marginBottom: '16px' }}>
      <p>
        <strong>{t(state === 'full' ? 'options.storage.full.title' : 'options.storage.wasFull.title')}</strong>
      </p>
      <p>{t(state === 'full' ? 'options.storage.full.body' : 'options.storage.wasFull.body')}</p>
      {rows > 0 && (
        <p data-testid="storage-full-study">{rows === 1 ? t('options.storage.studyDropped.one') : t('options.storage.studyDropped', { n: rows })}</p>
      )}
    </div>
  );
}

function RepairBanner({ shown, onDismiss }: { shown: { fields: string[]; latest: number }; onDismiss(ts: number): void }) {
  const t = useT();
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
          onDismiss(shown.latest);
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
          {health.storage.lastFullAt !== null && (
            <li data-testid="health-storage" data-full={String(health.storage.fullSince !== null)}>
              {t(health.storage.fullSince !== null ? 'options.data.health.storageFull' : 'options.data.health.storageWasFull', {
                when: new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(health.storage.lastFullAt)),
              })}
            </li>
          )}
          {health.storage.droppedStudyRows > 0 && (
            <li data-testid="health-study-dropped" data-count={String(health.storage.droppedStudyRows)}>
              {count(health.storage.droppedStudyRows, 'options.storage.studyDropped')}
            </li>
          )}
          {health.storage.droppedEvents > 0 && (
            <li data-testid="health-events-dropped" data-count={String(health.storage.droppedEvents)}>
              {count(health.storage.droppedEvents, 'options.data.health.eventsDropped')}
            </li>
          )}
          {health.droppedFrames.count > 0 && (
            <li data-testid="health-frames-dropped" data-count={String(health.droppedFrames.count)}>
              {count(health.droppedFrames.count, 'options.data.health.framesDropped')}
            </li>
          )}
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
