/**
 * The Breath collection: one slow cue per frame. Stored in both UI languages because, unlike
 * the poems, these are our own words and should reach the reader in the language they chose.
 * Ids are stable (append only): exposure history refers to them.
 */
export interface LocalizedText {
  id: string;
  en: string;
  zh_CN: string;
}

export const BREATH_CUES: readonly LocalizedText[] = [
  { id: 'breath:01', en: 'Breathe in for four… and out for six.', zh_CN: '吸气，数到四……再呼气，数到六。' },
  { id: 'breath:02', en: 'Let your shoulders drop. One slow breath.', zh_CN: '让肩膀松下来。慢慢地呼吸一次。' },
  { id: 'breath:03', en: 'In through the nose… out, slowly, through the mouth.', zh_CN: '用鼻子吸气……再用嘴慢慢呼出。' },
  { id: 'breath:04', en: 'Three slow breaths. Nothing else to do.', zh_CN: '慢慢呼吸三次。此刻，什么都不用做。' },
  { id: 'breath:05', en: 'Breathe in… pause… and let it go.', zh_CN: '吸气……停一停……然后，放下。' },
  { id: 'breath:06', en: 'Notice your breath, without changing it.', zh_CN: '感受一下自己的呼吸，不用刻意改变它。' },
  { id: 'breath:07', en: 'Unclench your jaw. Breathe out a little longer than you breathe in.', zh_CN: '松开咬紧的牙关。呼气比吸气稍长一点。' },
];
