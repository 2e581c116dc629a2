import { useEffect, useRef, useState } from 'preact/hooks';
import { CAPTION_MAX } from '@/utils/frames/collection-file';
import { downscaleImage, type DownscaledImage } from '@/utils/frames/downscale';
import { addFrame, createCollection, type UserCollectionSummary } from '@/utils/frames/user-frames';
import { useT } from '@/components/ui/i18n';

/** Images prepared at once (each is decoded and re-encoded in this page). */
export const MAX_FILES_AT_ONCE = 30;
/** Largest source file we try to decode. */
export const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

interface Pending {
  key: number;
  name: string;
  image: DownscaledImage;
  url: string;
  caption: string;
}

let nextKey = 1;

/**
 * Adding images: choose files or drop them on the zone; each is downscaled (≤ 1600 px, WebP or
 * JPEG, metadata dropped) and shown with a caption field; "Add" stores them all in the chosen
 * collection. With no collection yet, a first one is made.
 */
export function AddFrames({ collections, onAdded }: { collections: UserCollectionSummary[]; onAdded(collectionName: string, n: number): Promise<void> }) {
  const t = useT();
  const [target, setTarget] = useState<string>('');
  const [pending, setPending] = useState<Pending[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState<'preparing' | 'saving' | null>(null);
  const [over, setOver] = useState(false);

  const targetId = collections.some((c) => c.id === target) ? target : (collections[collections.length - 1]?.id ?? '');

  // Preview URLs belong to this page; give them back when an item goes or the section closes.
  const latest = useRef(pending);
  latest.current = pending;
  useEffect(() => () => latest.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  // A file dropped just beside the zone would make the browser open it in place of this page.
  useEffect(() => {
    const guard = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', guard);
    window.addEventListener('drop', guard);
    return () => {
      window.removeEventListener('dragover', guard);
      window.removeEventListener('drop', guard);
    };
  }, []);

  const take = async (files: File[]) => {
    if (!files.length || busy) return;
    setErrors([]);
    setBusy('preparing');
    const errs: string[] = [];
    const ready: Pending[] = [];
    if (files.length > MAX_FILES_AT_ONCE) errs.push(t('library.add.tooMany', { max: MAX_FILES_AT_ONCE, n: files.length - MAX_FILES_AT_ONCE }));
    for (const file of files.slice(0, MAX_FILES_AT_ONCE)) {
      try {
        if (file.size > MAX_SOURCE_BYTES) throw new Error(t('library.add.sourceTooBig', { mb: Math.round(MAX_SOURCE_BYTES / 1024 / 1024) }));
        const image = await downscaleImage(file, { maxSide: 1600 });
        ready.push({ key: nextKey++, name: file.name, image, url: URL.createObjectURL(image.blob), caption: '' });
      } catch (err) {
        errs.push(`${file.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    setPending((p) => [...p, ...ready]);
    setErrors(errs);
    setBusy(null);
  };

  const remove = (key: number) =>
    setPending((p) =>
      p.filter((x) => {
        if (x.key === key) URL.revokeObjectURL(x.url);
        return x.key !== key;
      }),
    );

  const clear = () => {
    pending.forEach((p) => URL.revokeObjectURL(p.url));
    setPending([]);
    setErrors([]);
  };

  const save = async () => {
    if (!pending.length || busy) return;
    setBusy('saving');
    setErrors([]);
    try {
      let id = targetId;
      let name = collections.find((c) => c.id === id)?.name ?? '';
      if (!id) {
        const c = await createCollection(t('library.defaultName'));
        id = c.id;
        name = c.name;
      }
      const left: Pending[] = [];
      const errs: string[] = [];
      let added = 0;
      for (const p of pending) {
        try {
          await addFrame(id, p.image, p.caption);
          URL.revokeObjectURL(p.url);
          added++;
        } catch (err) {
          left.push(p);
          errs.push(`${p.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      setPending(left);
      setErrors(errs);
      setTarget(id);
      if (added) await onAdded(name, added);
    } catch (err) {
      setErrors([err instanceof Error ? err.message : String(err)]);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="lib-add" data-testid="add-frame">
      <h4 class="lib-h4">{t('library.add.title')}</h4>
      <div
        class={over ? 'lib-drop lib-drop-over' : 'lib-drop'}
        data-testid="add-frame-drop"
        onDragEnter={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={(e) => {
          if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null)) setOver(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void take(Array.from(e.dataTransfer?.files ?? []));
        }}
      >
        <p class="lib-drop-text">{t('library.add.drop')}</p>
        <label class="sf-btn op-file">
          {t('library.add.choose')}
          <input
            type="file"
            accept="image/*"
            multiple
            class="sr-only"
            data-testid="add-frame-file"
            disabled={busy !== null}
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              const files = Array.from(input.files ?? []);
              input.value = '';
              void take(files);
            }}
          />
        </label>
        <p class="sf-muted sf-small">{t('library.add.help', { max: CAPTION_MAX })}</p>
      </div>

      {busy && (
        <p class="sf-muted sf-small" role="status" data-testid="add-frame-busy">
          {busy === 'preparing' ? t('library.add.preparing') : t('library.add.saving')}
        </p>
      )}
      {errors.length > 0 && (
        <ul class="lib-errors sf-error sf-small" role="alert" data-testid="add-frame-errors">
          {errors.map((e) => (
            <li>{e}</li>
          ))}
        </ul>
      )}

      {pending.length > 0 && (
        <>
          <ul class="lib-pending" aria-label={t('library.add.pending')} data-testid="add-frame-pending">
            {pending.map((p, i) => (
              <li class="lib-pending-item" key={p.key} data-testid="add-frame-item">
                <img class="lib-thumb" src={p.url} alt="" width={p.image.width} height={p.image.height} />
                <div class="lib-pending-fields">
                  <label class="lib-caption-label" for={`lib-cap-${p.key}`}>
                    {t('library.caption.for', { n: i + 1, name: p.name })}
                  </label>
                  <input
                    id={`lib-cap-${p.key}`}
                    type="text"
                    class="lib-caption-input"
                    maxLength={CAPTION_MAX}
                    value={p.caption}
                    placeholder={t('library.caption.placeholder')}
                    aria-describedby={`lib-cap-count-${p.key}`}
                    data-testid="add-frame-caption"
                    onInput={(e) => {
                      const caption = (e.currentTarget as HTMLInputElement).value;
                      setPending((all) => all.map((x) => (x.key === p.key ? { ...x, caption } : x)));
                    }}
                  />
                  <span id={`lib-cap-count-${p.key}`} class="sf-muted sf-small">
                    {t('library.caption.count', { n: p.caption.length, max: CAPTION_MAX })} · {p.image.width}×{p.image.height}
                  </span>
                </div>
                <button
                  type="button"
                  class="sf-btn"
                  data-testid="add-frame-remove"
                  aria-label={t('library.add.removeOne', { name: p.name })}
                  onClick={() => remove(p.key)}
                >
                  {t('library.add.remove')}
                </button>
              </li>
            ))}
          </ul>
          <div class="op-row op-wrap">
            {collections.length > 0 ? (
              <label class="op-inline">
                <span>{t('library.add.to')}</span>
                <select value={targetId} data-testid="add-frame-collection" onChange={(e) => setTarget((e.currentTarget as HTMLSelectElement).value)}>
                  {collections.map((c) => (
                    <option value={c.id}>{c.name}</option>
                  ))}
                </select>
              </label>
            ) : (
              <span class="sf-muted sf-small">{t('library.add.newCollection', { name: t('library.defaultName') })}</span>
            )}
            <button type="button" class="sf-btn sf-btn-primary" disabled={busy !== null} data-testid="add-frame-save" onClick={() => void save()}>
              {pending.length === 1 ? t('library.add.save.one') : t('library.add.save', { n: pending.length })}
            </button>
            <button type="button" class="sf-btn" disabled={busy !== null} data-testid="add-frame-clear" onClick={clear}>
              {t('library.add.clear')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
