import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { UserFrameRecord } from '@/utils/storage/schema';
import { CURATED_COLLECTIONS } from '@/utils/frames/library';
import { parseCollectionFileText } from '@/utils/frames/collection-file';
import { downscaleImage } from '@/utils/frames/downscale';
import {
  COLLECTION_NAME_MAX,
  createCollection,
  importCollectionFile,
  listCollections,
  listFrames,
  type UserCollectionSummary,
} from '@/utils/frames/user-frames';
import { useSettings } from '@/components/ui/settings-context';
import { useT } from '@/components/ui/i18n';
import { AddFrames } from './AddFrames';
import { AddWords } from './AddWords';
import { CollectionCard } from './CollectionCard';
import './library.css';

/** Largest collection file we read (1000 frames of a few hundred kB each, in base64). */
export const MAX_COLLECTION_FILE_BYTES = 200 * 1024 * 1024;

export interface LoadedCollection {
  collection: UserCollectionSummary;
  frames: UserFrameRecord[];
}

type Notice = { kind: 'ok' | 'error'; text: string } | null;

/**
 * The user's own frames: add images (file picker or drag and drop) with captions, and manage
 * collections (create, rename, on/off, export, import, delete). Images and collections live
 * in IndexedDB (utils/frames/user-frames.ts); a collection's on/off and weight are settings,
 * changed through the background so that open tabs hear of it at once.
 */
export function UserFrames() {
  const t = useT();
  const store = useSettings();
  const settings = store.settings!;
  const [loaded, setLoaded] = useState<LoadedCollection[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [importErrors, setImportErrors] = useState<string[] | null>(null);
  const [importing, setImporting] = useState(false);
  const [naming, setNaming] = useState(false);

  const reload = useCallback(async () => {
    try {
      const collections = await listCollections();
      const out: LoadedCollection[] = [];
      for (const c of collections) out.push({ collection: c, frames: await listFrames(c.id) });
      setLoaded(out);
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  // How many collections could show a frame right now: the last one stays on (as for the curated ones).
  const enabled = (id: string) => settings.collections[id]?.enabled ?? true;
  const showable =
    CURATED_COLLECTIONS.filter((c) => enabled(c.id)).length + (loaded ?? []).filter((l) => l.frames.length > 0 && enabled(l.collection.id)).length;

  const doImport = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setNotice(null);
    setImportErrors(null);
    if (file.size > MAX_COLLECTION_FILE_BYTES) {
      setImportErrors([t('library.import.tooBig', { mb: Math.round(MAX_COLLECTION_FILE_BYTES / 1024 / 1024) })]);
      return;
    }
    setImporting(true);
    try {
      const parsed = parseCollectionFileText(await file.text());
      if (!parsed.ok) {
        setImportErrors(parsed.errors);
        return;
      }
      // Every image is decoded and re-encoded here: proof that it is an image, and no metadata kept.
      const res = await importCollectionFile(parsed.value, {
        decode: async (entry, bytes) => downscaleImage(new Blob([bytes], { type: entry.mime })),
      });
      if (!res.ok) {
        setImportErrors(res.errors);
        return;
      }
      setNotice({
        kind: 'ok',
        text:
          res.frames === 1
            ? t('library.import.done.one', { name: res.collection.name })
            : t('library.import.done', { name: res.collection.name, n: res.frames }),
      });
      await reload();
    } catch (err) {
      setImportErrors([err instanceof Error ? err.message : String(err)]);
    } finally {
      setImporting(false);
    }
  };

  return (
    <div class="op-card lib-yours" data-testid="user-frames" aria-labelledby="lib-yours-title">
      <h3 id="lib-yours-title">{t('options.library.yours')}</h3>
      <p class="sf-muted sf-small">{t('library.intro')}</p>

      {loaded && (
        <AddFrames
          collections={loaded.map((l) => l.collection)}
          onAdded={async (collectionName, n) => {
            setNotice({ kind: 'ok', text: n === 1 ? t('library.add.done.one', { name: collectionName }) : t('library.add.done', { n, name: collectionName }) });
            await reload();
          }}
        />
      )}

      {loaded && (
        <AddWords
          collections={loaded.map((l) => l.collection)}
          onAdded={async (collectionName) => {
            setNotice({ kind: 'ok', text: t('library.words.done', { name: collectionName }) });
            await reload();
          }}
        />
      )}

      <div class="lib-toolbar op-row op-wrap">
        {naming ? (
          <NewCollectionForm
            onCancel={() => setNaming(false)}
            onCreate={async (name) => {
              const c = await createCollection(name);
              setNaming(false);
              setNotice({ kind: 'ok', text: t('library.collection.created', { name: c.name }) });
              await reload();
            }}
          />
        ) : (
          <button type="button" class="sf-btn" data-testid="user-collection-new" onClick={() => setNaming(true)}>
            {t('library.collection.new')}
          </button>
        )}
        <label class="sf-btn op-file" aria-disabled={importing ? 'true' : undefined}>
          {importing ? t('library.import.busy') : t('library.import')}
          <input
            type="file"
            accept="application/json,.json"
            class="sr-only"
            data-testid="user-collection-import"
            disabled={importing}
            onChange={(e) => void doImport(e.currentTarget as HTMLInputElement)}
          />
        </label>
      </div>
      <p class="sf-muted sf-small">{t('library.import.help')}</p>

      {importErrors && (
        <div class="op-import-errors" role="alert" data-testid="user-collection-import-errors">
          <p class="sf-error">{t('library.import.invalid')}</p>
          <ul>
            {importErrors.map((e) => (
              <li>
                <code>{e}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {notice && (
        <p
          class={notice.kind === 'ok' ? 'op-notice sf-small' : 'sf-error sf-small'}
          role={notice.kind === 'ok' ? 'status' : 'alert'}
          data-testid="user-frames-notice"
        >
          {notice.text}
        </p>
      )}
      {loadError && (
        <p class="sf-error" role="alert" data-testid="user-frames-error">
          {t('library.loadError', { message: loadError })}
        </p>
      )}

      {loaded === null && !loadError && <p class="sf-muted">{t('options.loading')}</p>}
      {loaded && loaded.length === 0 && (
        <p class="sf-muted op-empty" data-testid="user-collections-empty">
          {t('library.empty')}
        </p>
      )}
      {loaded?.map((l) => (
        <CollectionCard
          key={l.collection.id}
          collection={l.collection}
          frames={l.frames}
          lastShowable={showable <= 1}
          onChanged={reload}
          onNotice={(text) => setNotice({ kind: 'ok', text })}
        />
      ))}
    </div>
  );
}

function NewCollectionForm({ onCreate, onCancel }: { onCreate(name: string): Promise<void>; onCancel(): void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      // The field's own value: a submit may come before the last keystroke's re-render.
      await onCreate(input.current?.value ?? name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form class="op-row op-wrap" onSubmit={(e) => void submit(e)} data-testid="user-collection-new-form">
      <label class="op-inline">
        <span>{t('library.collection.name')}</span>
        <input
          ref={input}
          type="text"
          value={name}
          maxLength={COLLECTION_NAME_MAX}
          required
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'lib-new-error' : undefined}
          data-testid="user-collection-new-name"
          onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        />
      </label>
      <button type="submit" class="sf-btn sf-btn-primary" data-testid="user-collection-new-save">
        {t('library.collection.create')}
      </button>
      <button type="button" class="sf-btn" data-testid="user-collection-new-cancel" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      {error && (
        <span id="lib-new-error" class="sf-error sf-small" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
