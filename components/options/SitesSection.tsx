import { useEffect, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { SUPPORTED_SITES } from '@/utils/feeds/registry';
import { customSiteKey, normalizeOrigin } from '@/utils/feeds/site-key';
import { readTabStatuses } from '@/utils/pages/page-reads';
import type { AdapterStatus } from '@/utils/feeds/types';
import { useSettings } from '@/components/ui/settings-context';
import { useT } from '@/components/ui/i18n';
import { humanError } from '@/components/ui/human-error';
import { Switch } from '@/components/ui/Switch';
import { NumberField } from '@/components/ui/NumberField';
import { SaveStatus, useSaveStatus } from '@/components/ui/save-status';
import { sitePatch, siteSwitch, withoutCustomSite, withoutSiteOverride } from '@/components/ui/settings-helpers';
import { schemaLimits } from './cadence-form';
import { CadenceSchema } from '@/utils/storage/settings';
import { CURATED_COLLECTIONS } from '@/utils/frames/library';
import { listCollections, type UserCollectionSummary } from '@/utils/frames/user-frames';
import { siteCollectionChoice, siteCollectionsPatch, usesAllCollections } from './site-collections';

const STATUS_TEXT: Record<AdapterStatus, string> = {
  working: 'options.sites.status.working',
  widened: 'options.sites.status.widened',
  fallback: 'options.sites.status.fallback',
  'not-feed': 'options.sites.status.notFeed',
  waiting: 'options.sites.status.waiting',
};

const EVERY = schemaLimits(CadenceSchema.entries.everyPosts);

/** The site a frame's "Why am I seeing this?" came from (options.html?site=<key>#sites), or null. */
export function siteFromSearch(search: string): string | null {
  const key = new URLSearchParams(search).get('site');
  return key && key.length <= 200 ? key : null;
}

export function SitesSection() {
  const t = useT();
  const store = useSettings();
  const settings = store.settings!;
  const save = useSaveStatus();
  const from = siteFromSearch(location.search);
  const [statuses, setStatuses] = useState<Record<string, AdapterStatus>>({});
  // The user's own collections for the per-site choice (null until read, or if they cannot be).
  const [userCollections, setUserCollections] = useState<UserCollectionSummary[] | null>(null);

  useEffect(() => {
    const load = () => {
      void readTabStatuses().then(setStatuses);
      listCollections().then(setUserCollections, () => setUserCollections(null));
    };
    load();
    document.addEventListener('visibilitychange', load);
    return () => document.removeEventListener('visibilitychange', load);
  }, []);

  const builtin = SUPPORTED_SITES.filter((s) => s.key !== 'mastodon');
  const mastodon = SUPPORTED_SITES.find((s) => s.key === 'mastodon');
  const customKeys = new Set(settings.customSites.map((o) => customSiteKey(o)).filter((k): k is string => k !== null));
  // Sites the user switched in the popup that are neither built in nor custom (Mastodon servers).
  const others = Object.keys(settings.sites).filter((k) => !SUPPORTED_SITES.some((s) => s.key === k) && !customKeys.has(k));

  // Every row says "Saved" beside its own change; the master switch has its own line.
  const setOverride = (key: string, n: number | null) => async () => {
    if (n === null) {
      if (settings.sites[key]?.everyPosts === undefined) return;
      const res = await store.replace(withoutSiteOverride(settings, key));
      if (!res.ok) throw new Error(res.errors.join('; '));
    } else await store.patch(sitePatch(settings, key, { everyPosts: n }));
  };
  const toggle = (key: string, on: boolean) => () => store.patch(sitePatch(settings, key, { enabled: on }));

  // Every collection a site may show: the bundled ones, then the user's own.
  const collectionOptions: CollectionOption[] = [
    ...CURATED_COLLECTIONS.map((c) => ({ id: c.id, name: t(c.nameKey), empty: false })),
    ...(userCollections ?? []).map((c) => ({ id: c.id, name: c.name, empty: c.frameCount === 0 })),
  ];
  const chooseCollection = (key: string, id: string, on: boolean) => {
    const patch = siteCollectionsPatch(
      settings,
      key,
      collectionOptions.map((o) => o.id),
      id,
      on,
    );
    return patch ? () => store.patch(patch) : null;
  };

  const row = (key: string, name: string, detail: string | null) => (
    <SiteRow
      key={key}
      siteKey={key}
      name={name}
      detail={detail}
      highlight={from === key}
      status={statuses[key] ? t(STATUS_TEXT[statuses[key]]) : null}
      collections={collectionOptions}
      onOverride={(n) => setOverride(key, n)}
      onToggle={(on) => toggle(key, on)}
      onCollection={(id, on) => chooseCollection(key, id, on)}
    />
  );
  const fromName = from
    ? from === 'demo'
      ? t('options.sites.demo')
      : (SUPPORTED_SITES.find((x) => x.key === from)?.name ?? from.replace(/^(custom|mastodon):/, ''))
    : null;

  return (
    <section class="op-section" aria-labelledby="op-sites-title">
      <h2 id="op-sites-title">{t('options.nav.sites')}</h2>
      <p class="sf-muted">{t('options.sites.intro')}</p>
      {from && fromName && (
        <div class="op-card op-why" role="note" data-testid="why-note">
          <p>
            <strong>{t('options.sites.why.title', { site: fromName })}</strong>
          </p>
          <p>
            {t(siteSwitch(settings, from) ? 'options.sites.why.on' : 'options.sites.why.off', {
              site: fromName,
              n: settings.sites[from]?.everyPosts ?? settings.cadence.everyPosts,
            })}
          </p>
          <p class="sf-muted sf-small">{t('options.sites.why.change')}</p>
        </div>
      )}

      <div class="op-card op-row">
        <Switch
          checked={settings.enabled}
          label={t('options.sites.global')}
          visibleLabel
          testid="global-toggle"
          onChange={(on) => save.run(() => store.patch({ enabled: on }))}
        />
        <SaveStatus state={save.state} testid="sites-saved" />
      </div>

      <div class="op-card">
        <table class="op-table">
          <thead>
            <tr>
              <th scope="col">{t('options.sites.col.site')}</th>
              <th scope="col">{t('options.sites.col.status')}</th>
              <th scope="col">{t('options.sites.col.every')}</th>
              <th scope="col">{t('options.sites.col.collections')}</th>
              <th scope="col">{t('options.sites.col.on')}</th>
              <th scope="col">
                <span class="sr-only">{t('options.sites.col.saved')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {builtin.map((x) => row(x.key, x.key === 'demo' ? t('options.sites.demo') : x.name, x.hosts.join(', ') || null))}
            {others.map((k) => row(k, k.replace(/^mastodon:/, ''), k.startsWith('mastodon:') ? 'Mastodon' : null))}
          </tbody>
        </table>
        <p class="sf-muted sf-small">{t('options.sites.everyHint', { n: settings.cadence.everyPosts })}</p>
        <p class="sf-muted sf-small">{t('options.sites.collections.hint')}</p>
        {mastodon && (
          <p class="sf-muted sf-small" data-testid="mastodon-hint">
            {t('options.sites.mastodonHint')}
          </p>
        )}
      </div>

      <CustomSites statuses={statuses} />
    </section>
  );
}

/** One site: its status, own every-N, collections and switch, each saved at once with "Saved" in the row. */
function SiteRow(props: {
  siteKey: string;
  name: string;
  detail: string | null;
  highlight: boolean;
  status: string | null;
  collections: CollectionOption[];
  onOverride(n: number | null): () => Promise<unknown>;
  onToggle(on: boolean): () => Promise<unknown>;
  onCollection(id: string, on: boolean): (() => Promise<unknown>) | null;
}) {
  const { siteKey: key, name } = props;
  const t = useT();
  const settings = useSettings().settings!;
  const save = useSaveStatus();
  const ref = useRef<HTMLTableRowElement>(null);
  // Came here from this site's "Why am I seeing this?": the row is in view and marked.
  useEffect(() => {
    if (props.highlight) ref.current?.scrollIntoView({ block: 'center' });
  }, [props.highlight]);
  return (
    <tr ref={ref} data-testid={`site-row-${key}`} class={props.highlight ? 'op-row-here' : undefined} aria-current={props.highlight ? 'true' : undefined}>
      <th scope="row">
        <span class="op-site-name">{name}</span>
        {props.detail && <span class="sf-muted sf-small op-site-hosts">{props.detail}</span>}
      </th>
      <td class="sf-small" data-testid={`site-status-${key}`}>
        {props.status ?? <span class="sf-muted">{t('options.sites.status.none')}</span>}
      </td>
      <td>
        <NumberField
          value={settings.sites[key]?.everyPosts ?? null}
          allowEmpty
          min={EVERY.min}
          max={EVERY.max}
          placeholder={String(settings.cadence.everyPosts)}
          label={t('options.sites.everyFor', { site: name })}
          testid={`site-every-${key}`}
          onCommit={(n) => void save.run(props.onOverride(n))}
        />
      </td>
      <td>
        <SiteCollections
          siteKey={key}
          siteName={name}
          options={props.collections}
          onChange={(id, on) => {
            const run = props.onCollection(id, on);
            if (run) void save.run(run);
          }}
        />
      </td>
      <td>
        <Switch
          checked={siteSwitch(settings, key)}
          label={t('options.sites.toggleFor', { site: name })}
          testid={`site-toggle-${key}`}
          onChange={(on) => void save.run(props.onToggle(on))}
        />
      </td>
      <td class="op-saved-cell">
        <SaveStatus state={save.state} testid={`site-saved-${key}`} />
      </td>
    </tr>
  );
}

interface CollectionOption {
  id: string;
  name: string;
  /** A collection of the user's with no frames yet. */
  empty: boolean;
}

/**
 * A site's "Collections" multi-select: a small disclosure with one checkbox per collection.
 * Every box ticked = the site uses all collections that are on (settings.sites[key].collections
 * empty); the last ticked box stays ticked.
 */
function SiteCollections({
  siteKey,
  siteName,
  options,
  onChange,
}: {
  siteKey: string;
  siteName: string;
  options: CollectionOption[];
  onChange: (id: string, on: boolean) => void;
}) {
  const t = useT();
  const settings = useSettings().settings!;
  const known = options.map((o) => o.id);
  const ticked = siteCollectionChoice(settings, siteKey, known);
  const all = usesAllCollections(settings, siteKey);
  const label = t('options.sites.collections.for', { site: siteName });
  return (
    <details data-testid={`site-collections-${siteKey}`} data-all={all ? 'true' : 'false'}>
      <summary class="sf-small" style={{ cursor: 'pointer', whiteSpace: 'nowrap' }}>
        <span class="sr-only">{label}: </span>
        {all
          ? t('options.sites.collections.all')
          : ticked.size === 1
            ? options.find((o) => ticked.has(o.id))!.name
            : t('options.sites.collections.some', { n: ticked.size, total: known.length })}
      </summary>
      <fieldset class="op-radios" style={{ border: 'none', margin: '6px 0 0', padding: 0 }}>
        <legend class="sr-only">{label}</legend>
        {options.map((o) => {
          const on = ticked.has(o.id);
          const off = settings.collections[o.id]?.enabled === false;
          return (
            <label class="op-check sf-small">
              <input
                type="checkbox"
                checked={on}
                // The last ticked box stays: an empty list would mean every collection.
                disabled={on && ticked.size <= 1}
                data-testid={`site-collection-${siteKey}-${o.id}`}
                onChange={(e) => onChange(o.id, (e.currentTarget as HTMLInputElement).checked)}
              />
              {o.name}
              {(off || o.empty) && <span class="sf-muted">({t(off ? 'options.sites.collections.off' : 'options.sites.collections.noFrames')})</span>}
            </label>
          );
        })}
      </fieldset>
    </details>
  );
}

function CustomSites({ statuses }: { statuses: Record<string, AdapterStatus> }) {
  const t = useT();
  const store = useSettings();
  const settings = store.settings!;
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const origin = normalizeOrigin(input);
    if (!origin) {
      setError(t('options.sites.custom.invalid'));
      return;
    }
    if (settings.customSites.includes(origin)) {
      setError(t('options.sites.custom.exists'));
      return;
    }
    setBusy(true);
    try {
      // The permission prompt needs the click's user gesture: request before any other await.
      const granted = await browser.permissions.request({ origins: [`${origin}/*`] });
      if (!granted) {
        setError(t('options.sites.custom.denied'));
        return;
      }
      await store.patch({ customSites: [...settings.customSites, origin] });
      setInput('');
    } catch (err) {
      setError(humanError(err, t));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (origin: string) => {
    setError(null);
    try {
      const res = await store.replace(withoutCustomSite(settings, origin, customSiteKey(origin)));
      if (!res.ok) throw new Error(res.errors.join('; '));
      await browser.permissions.remove({ origins: [`${origin}/*`] }).catch(() => false);
    } catch (err) {
      setError(humanError(err, t));
    }
  };

  return (
    <div class="op-card" aria-labelledby="op-custom-title">
      <h3 id="op-custom-title">{t('options.sites.custom.title')}</h3>
      <p class="sf-muted sf-small">{t('options.sites.custom.intro')}</p>
      {settings.customSites.length > 0 && (
        <ul class="op-list" data-testid="custom-sites">
          {settings.customSites.map((origin) => {
            const key = customSiteKey(origin);
            return (
              <li class="op-row" data-testid={`custom-site-${origin}`}>
                <span class="op-grow">{origin}</span>
                {key && statuses[key] && (
                  <span class="sf-small sf-muted" data-testid={`site-status-${key}`}>
                    {t(STATUS_TEXT[statuses[key]])}
                  </span>
                )}
                {key && (
                  <Switch
                    checked={siteSwitch(settings, key)}
                    label={t('options.sites.toggleFor', { site: origin })}
                    onChange={(on) => void store.patch(sitePatch(settings, key, { enabled: on })).catch((err: unknown) => setError(humanError(err, t)))}
                  />
                )}
                <button type="button" class="sf-btn sf-small" onClick={() => remove(origin)}>
                  {t('options.sites.custom.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form class="op-row" onSubmit={add}>
        <label class="op-grow">
          <span class="sr-only">{t('options.sites.custom.label')}</span>
          <input
            type="text"
            class="op-wide"
            inputMode="url"
            placeholder="https://social.example"
            value={input}
            data-testid="custom-origin"
            aria-label={t('options.sites.custom.label')}
            onInput={(e) => setInput((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" class="sf-btn sf-btn-primary" disabled={busy || !input.trim()} data-testid="custom-add">
          {t('options.sites.custom.add')}
        </button>
      </form>
      {error && (
        <p class="sf-error sf-small" role="alert" data-testid="custom-error">
          {error}
        </p>
      )}
    </div>
  );
}
