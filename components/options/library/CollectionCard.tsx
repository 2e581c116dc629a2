import { useEffect, useRef, useState } from 'preact/hooks';
import { isTextRecord, type UserFrameRecord, type UserImageRecord, type UserTextRecord } from '@/utils/storage/schema';
import { WordsForm } from './WordsForm';
import { CAPTION_MAX } from '@/utils/frames/collection-file';
import { collectionFileName, exportCollection, serializeCollectionFile } from '@/utils/frames/collection-export';
import {
  COLLECTION_NAME_MAX,
  deleteCollection,
  deleteFrame,
  renameCollection,
  updateCaption,
  updateText,
  type UserCollectionSummary,
} from '@/utils/frames/user-frames';
import { useSettings } from '@/components/ui/settings-context';
import { useT } from '@/components/ui/i18n';
import { Switch } from '@/components/ui/Switch';
import { HowOftenSelect } from '@/components/ui/HowOftenSelect';
import { ConfirmButton } from '@/components/ui/ConfirmButton';
import { SaveStatus, useSaveStatus } from '@/components/ui/save-status';
import { downloadFile } from '@/utils/pages/download';

interface CollectionCardProps {
  collection: UserCollectionSummary;
  frames: UserFrameRecord[];
  /** This is the last collection that could show a frame: it may not be switched off. */
  lastShowable: boolean;
  onChanged(): Promise<void>;
  onNotice(text: string): void;
}

/** One user collection: name, on/off, weight, export, delete, and its frames. */
export function CollectionCard({ collection, frames, lastShowable, onChanged, onNotice }: CollectionCardProps) {
  const t = useT();
  const store = useSettings();
  const settings = store.settings!;
  const save = useSaveStatus();
  const [renaming, setRenaming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pref = settings.collections[collection.id] ?? { enabled: true, weight: 1 };
  const titleId = `lib-col-${collection.id.replace(/[^\w-]/g, '')}`;

  const doExport = async () => {
    setError(null);
    try {
      const file = await exportCollection(collection.id);
      downloadFile(collectionFileName(collection.name, Date.now()), serializeCollectionFile(file), 'application/json');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const doDelete = async () => {
    setError(null);
    try {
      const n = await deleteCollection(collection.id);
      // Its on/off and weight go too (a patch cannot delete a key, so the settings are replaced).
      if (settings.collections[collection.id]) {
        const next = structuredClone(settings);
        delete next.collections[collection.id];
        await store.replace(next);
      }
      onNotice(t('library.collection.deleted', { name: collection.name, n }));
      await onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <section class="lib-collection" aria-labelledby={titleId} data-testid="user-collection" data-collection-id={collection.id}>
      <div class="op-row op-wrap lib-collection-head">
        {renaming ? (
          <RenameForm
            name={collection.name}
            onCancel={() => setRenaming(false)}
            onSave={async (name) => {
              await renameCollection(collection.id, name);
              setRenaming(false);
              await onChanged();
            }}
          />
        ) : (
          <>
            <h4 id={titleId} class="lib-h4 op-grow" data-testid="user-collection-name">
              {collection.name}{' '}
              <span class="sf-muted sf-small">
                {frames.length === 1 ? t('library.collection.count.one') : t('library.collection.count', { n: frames.length })}
              </span>
            </h4>
            <button
              type="button"
              class="sf-btn"
              data-testid="user-collection-rename"
              aria-label={t('library.collection.renameOne', { name: collection.name })}
              onClick={() => setRenaming(true)}
            >
              {t('library.collection.rename')}
            </button>
          </>
        )}
      </div>
      <div class="op-row op-wrap">
        <Switch
          checked={pref.enabled}
          disabled={pref.enabled && frames.length > 0 && lastShowable}
          label={t('options.library.toggleFor', { name: collection.name })}
          visibleLabel
          testid="user-collection-toggle"
          onChange={(on) => void save.run(() => store.patch({ collections: { [collection.id]: { ...pref, enabled: on } } }))}
        />
        <label class="op-inline">
          <span>{t('options.library.col.weight')}</span>
          <HowOftenSelect
            value={pref.weight}
            label={t('options.library.weightFor', { name: collection.name })}
            testid="user-collection-weight"
            onChange={(n) => void save.run(() => store.patch({ collections: { [collection.id]: { ...pref, weight: n } } }))}
          />
        </label>
        <SaveStatus state={save.state} testid="user-collection-saved" />
        <span class="op-grow" />
        <button
          type="button"
          class="sf-btn"
          data-testid="user-collection-export"
          aria-label={t('library.collection.exportOne', { name: collection.name })}
          onClick={() => void doExport()}
        >
          {t('library.collection.export')}
        </button>
        <ConfirmButton
          label={t('library.collection.delete')}
          question={t('library.collection.delete.q', { name: collection.name, n: frames.length })}
          confirmLabel={t('library.collection.delete.yes')}
          cancelLabel={t('common.cancel')}
          danger
          testid="user-collection-delete"
          onConfirm={doDelete}
        />
      </div>
      {error && (
        <p class="sf-error sf-small" role="alert" data-testid="user-collection-error">
          {error}
        </p>
      )}
      {frames.length === 0 ? (
        <p class="sf-muted sf-small" data-testid="user-collection-empty">
          {t('library.collection.empty')}
        </p>
      ) : (
        <ul class="lib-frames" aria-label={t('library.collection.frames', { name: collection.name })}>
          {frames.map((f) => (
            <FrameItem key={f.id} frame={f} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </section>
  );
}

function RenameForm({ name, onSave, onCancel }: { name: string; onSave(name: string): Promise<void>; onCancel(): void }) {
  const t = useT();
  const [value, setValue] = useState(name);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <form
      class="op-row op-wrap op-grow"
      data-testid="user-collection-rename-form"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await onSave(input.current?.value ?? value);
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err));
        }
      }}
    >
      <label class="op-inline">
        <span>{t('library.collection.name')}</span>
        <input
          ref={input}
          type="text"
          value={value}
          maxLength={COLLECTION_NAME_MAX}
          required
          aria-invalid={error ? 'true' : undefined}
          data-testid="user-collection-rename-input"
          onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={(e) => e.key === 'Escape' && onCancel()}
        />
      </label>
      <button type="submit" class="sf-btn sf-btn-primary" data-testid="user-collection-rename-save">
        {t('common.save')}
      </button>
      <button type="button" class="sf-btn" data-testid="user-collection-rename-cancel" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      {error && (
        <span class="sf-error sf-small" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

function FrameItem({ frame, onChanged }: { frame: UserFrameRecord; onChanged(): Promise<void> }) {
  return isTextRecord(frame) ? <TextItem frame={frame} onChanged={onChanged} /> : <ImageItem frame={frame} onChanged={onChanged} />;
}

/** The person's own words: shown as text, edited in place, removed after a confirmation. */
function TextItem({ frame, onChanged }: { frame: UserTextRecord; onChanged(): Promise<void> }) {
  const t = useT();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <li class="lib-frame lib-text" data-testid="user-frame" data-frame-id={frame.id} data-kind="text">
      {editing ? (
        <WordsForm
          initial={frame}
          submitLabel={t('common.save')}
          onCancel={() => setEditing(false)}
          onSubmit={async (text, source) => {
            await updateText(frame.id, text, source);
            setEditing(false);
            await onChanged();
          }}
        />
      ) : (
        <>
          <blockquote class="lib-words" data-testid="user-frame-text">
            {frame.text}
          </blockquote>
          {frame.source && <p class="sf-muted sf-small">— {frame.source}</p>}
          <span class="op-row op-wrap">
            <button type="button" class="sf-btn" data-testid="user-frame-edit" onClick={() => setEditing(true)}>
              {t('library.words.edit')}
            </button>
            <ConfirmButton
              label={t('library.frame.delete')}
              question={t('library.frame.delete.q')}
              confirmLabel={t('library.frame.delete.yes')}
              cancelLabel={t('common.cancel')}
              danger
              testid="user-frame-delete"
              onConfirm={async () => {
                try {
                  await deleteFrame(frame.id);
                  await onChanged();
                } catch (err) {
                  setError(err instanceof Error ? err.message : String(err));
                }
              }}
            />
          </span>
        </>
      )}
      {error && (
        <span class="sf-error sf-small" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}

/** A stored picture: thumbnail, caption (text only), edit caption, remove. */
function ImageItem({ frame, onChanged }: { frame: UserImageRecord; onChanged(): Promise<void> }) {
  const t = useT();
  const [url, setUrl] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [caption, setCaption] = useState(frame.caption);
  const [error, setError] = useState<string | null>(null);
  const inputId = `lib-edit-${frame.id.replace(/[^\w-]/g, '')}`;

  useEffect(() => {
    const u = URL.createObjectURL(frame.blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [frame.blob]);

  const saveCaption = async (e: Event) => {
    e.preventDefault();
    try {
      await updateCaption(frame.id, caption);
      setEditing(false);
      setError(null);
      await onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <li class="lib-frame" data-testid="user-frame" data-frame-id={frame.id}>
      {url && <img class="lib-thumb" src={url} alt={frame.caption || t('frame.image.untitled')} width={frame.width} height={frame.height} />}
      {editing ? (
        <form class="lib-frame-edit" onSubmit={(e) => void saveCaption(e)}>
          <label for={inputId} class="sf-small">
            {t('library.caption')}
          </label>
          <input
            id={inputId}
            type="text"
            maxLength={CAPTION_MAX}
            value={caption}
            data-testid="user-frame-caption-input"
            onInput={(e) => setCaption((e.currentTarget as HTMLInputElement).value)}
            onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
          />
          <span class="sf-muted sf-small">{t('library.caption.count', { n: caption.length, max: CAPTION_MAX })}</span>
          <span class="op-row">
            <button type="submit" class="sf-btn sf-btn-primary" data-testid="user-frame-caption-save">
              {t('common.save')}
            </button>
            <button type="button" class="sf-btn" data-testid="user-frame-caption-cancel" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </span>
          {error && (
            <span class="sf-error sf-small" role="alert">
              {error}
            </span>
          )}
        </form>
      ) : (
        <>
          <p class={frame.caption ? 'lib-caption' : 'lib-caption sf-muted'} data-testid="user-frame-caption">
            {frame.caption || t('library.caption.none')}
          </p>
          <span class="op-row op-wrap">
            <button
              type="button"
              class="sf-btn"
              data-testid="user-frame-edit"
              onClick={() => {
                setCaption(frame.caption);
                setEditing(true);
              }}
            >
              {t('library.caption.edit')}
            </button>
            <ConfirmButton
              label={t('library.frame.delete')}
              question={t('library.frame.delete.q')}
              confirmLabel={t('library.frame.delete.yes')}
              cancelLabel={t('common.cancel')}
              danger
              testid="user-frame-delete"
              onConfirm={async () => {
                await deleteFrame(frame.id);
                await onChanged();
              }}
            />
          </span>
        </>
      )}
    </li>
  );
}
