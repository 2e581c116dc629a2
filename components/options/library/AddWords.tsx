import { useState } from 'preact/hooks';
import { addTextFrame, createCollection, type UserCollectionSummary } from '@/utils/frames/user-frames';
import { useT } from '@/components/ui/i18n';
import { WordsForm } from './WordsForm';

/**
 * Adding your own words: a line or two you want to meet again in a feed, or a quote you keep,
 * into one of your collections (a first one is made when there is none), like your pictures.
 */
export function AddWords({ collections, onAdded }: { collections: UserCollectionSummary[]; onAdded(collectionName: string): Promise<void> }) {
  const t = useT();
  const [target, setTarget] = useState('');
  const targetId = collections.some((c) => c.id === target) ? target : (collections[collections.length - 1]?.id ?? '');
  return (
    <div class="lib-add-words" data-testid="add-words">
      <h4>{t('library.words.title')}</h4>
      <p class="sf-muted sf-small">{t('library.words.intro')}</p>
      <WordsForm
        submitLabel={t('library.words.add')}
        onSubmit={async (text, source) => {
          const existing = collections.find((c) => c.id === targetId);
          const collection = existing ?? (await createCollection(t('library.defaultName')));
          await addTextFrame(collection.id, text, source);
          await onAdded(collection.name);
        }}
      >
        {collections.length > 0 ? (
          <label class="op-inline sf-small">
            {t('library.add.to')}
            <select value={targetId} data-testid="words-collection" onChange={(e) => setTarget((e.currentTarget as HTMLSelectElement).value)}>
              {collections.map((c) => (
                <option value={c.id}>{c.name}</option>
              ))}
            </select>
          </label>
        ) : (
          <p class="sf-muted sf-small">{t('library.add.newCollection', { name: t('library.defaultName') })}</p>
        )}
      </WordsForm>
    </div>
  );
}
