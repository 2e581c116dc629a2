import { MESSAGES, type Locale } from '@/utils/i18n';
import { fillPlaceholders } from '@/utils/i18n/fill';
import { BREATH_CUES, type LocalizedText } from './curated/breath';
import { COMPOSITION_COUNT, compositionId, compositionSeed, type Variant } from './curated/compositions';
import { QUESTIONS } from './curated/questions';
import { WORDS, type CuratedWords, type WordsLang } from './curated/words';
import type { FramePayload, FrameRef } from './types';

/**
 * The bundled (curated) library: which frames exist, grouped in collections, and the payload
 * the background sends for one of them. Pure data look-ups, so the scheduler can use it in the
 * background and tests can walk every id.
 */

export type CuratedCollectionId = 'still' | 'words' | 'breath' | 'questions';

export interface CuratedCollection {
  id: CuratedCollectionId;
  /** i18n key of the collection's display name. */
  nameKey: string;
  frames: FrameRef[];
}

const refs = (collectionId: CuratedCollectionId, ids: readonly string[]): FrameRef[] => ids.map((id) => ({ id, collectionId }));

export const CURATED_COLLECTIONS: CuratedCollection[] = [
  {
    id: 'still',
    nameKey: 'frame.collection.still',
    frames: refs(
      'still',
      Array.from({ length: COMPOSITION_COUNT }, (_, n) => compositionId(n)),
    ),
  },
  {
    id: 'words',
    nameKey: 'frame.collection.words',
    frames: refs(
      'words',
      WORDS.map((w) => w.id),
    ),
  },
  {
    id: 'breath',
    nameKey: 'frame.collection.breath',
    frames: refs(
      'breath',
      BREATH_CUES.map((b) => b.id),
    ),
  },
  {
    id: 'questions',
    nameKey: 'frame.collection.questions',
    frames: refs(
      'questions',
      QUESTIONS.map((q) => q.id),
    ),
  },
];

const WORDS_BY_ID = new Map<string, CuratedWords>(WORDS.map((w) => [w.id, w]));
const BREATH_BY_ID = new Map<string, LocalizedText>(BREATH_CUES.map((b) => [b.id, b]));
const QUESTIONS_BY_ID = new Map<string, LocalizedText>(QUESTIONS.map((q) => [q.id, q]));

export function isCuratedCollectionId(id: string): id is CuratedCollectionId {
  return CURATED_COLLECTIONS.some((c) => c.id === id);
}

/**
 * Frame ids of one curated collection the user can be shown. Words are filtered by the
 * languages chosen in settings; other collections carry their own language. Unknown
 * collection ids (e.g. a user collection) give an empty list.
 */
export function curatedFrameIds(collectionId: string, opts: { wordLanguages: readonly WordsLang[] }): string[] {
  const collection = CURATED_COLLECTIONS.find((c) => c.id === collectionId);
  if (!collection) return [];
  if (collection.id !== 'words') return collection.frames.map((f) => f.id);
  const langs = new Set(opts.wordLanguages);
  return WORDS.filter((w) => langs.has(w.lang)).map((w) => w.id);
}

/** Catalog look-up in an explicit locale: the background builds payloads for the user's choice, not its own. */
function tl(locale: Locale, key: string, params?: Record<string, string | number>): string {
  const s = MESSAGES[locale][key] ?? MESSAGES.en[key] ?? key;
  return fillPlaceholders(s, params);
}

/**
 * What the content script needs to draw a curated frame, or null for an unknown id.
 * Compositions carry only seed + variant: the content script regenerates the shapes, which
 * keeps the message tiny and free of markup. `variant` defaults to light; the content script
 * may repaint in the page's scheme.
 */
export function getCuratedPayload(id: string, locale: Locale, variant: Variant = 'light'): FramePayload | null {
  const seed = compositionSeed(id);
  if (seed !== null) {
    return { kind: 'composition', id, collectionId: 'still', seed, variant, attribution: tl(locale, 'frame.attribution.composition', { n: seed }) };
  }
  const words = WORDS_BY_ID.get(id);
  if (words) {
    return {
      kind: 'words',
      id,
      collectionId: 'words',
      text: words.lines.join('\n'),
      lang: words.lang,
      author: words.author,
      work: words.work,
      ...(words.translator ? { translator: words.translator } : {}),
      attribution: tl(locale, 'frame.attribution.publicDomain'),
    };
  }
  const breath = BREATH_BY_ID.get(id);
  if (breath) return { kind: 'breath', id, collectionId: 'breath', text: breath[locale], attribution: tl(locale, 'frame.attribution.house') };
  const question = QUESTIONS_BY_ID.get(id);
  if (question) return { kind: 'question', id, collectionId: 'questions', text: question[locale], attribution: tl(locale, 'frame.attribution.house') };
  return null;
}
