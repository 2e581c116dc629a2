import type { LocalizedText } from './breath';

/**
 * The Questions collection: gentle prompts, never judgements: they ask, they do not tell the
 * reader to stop. Both languages are ours, so both are stored. Ids are stable (append only).
 */
export const QUESTIONS: readonly LocalizedText[] = [
  { id: 'question:01', en: 'What did you come here for?', zh_CN: '你来这里，是为了什么？' },
  { id: 'question:02', en: 'How do you feel right now?', zh_CN: '你此刻感觉如何？' },
  { id: 'question:03', en: 'Is this still what you want to be doing?', zh_CN: '这仍是你想做的事吗？' },
  { id: 'question:04', en: 'When did you last look out of a window?', zh_CN: '你上一次望向窗外是什么时候？' },
  { id: 'question:05', en: 'What is one thing you can hear right now?', zh_CN: '此刻，你能听到什么声音？' },
  { id: 'question:06', en: 'Have you had some water lately?', zh_CN: '最近喝过水了吗？' },
  { id: 'question:07', en: 'Who would you like to talk to today?', zh_CN: '今天你想和谁说说话？' },
  { id: 'question:08', en: 'What would feel good to do next?', zh_CN: '接下来做什么会让你舒服些？' },
  { id: 'question:09', en: 'Is your body comfortable where it is?', zh_CN: '你的身体此刻舒服吗？' },
  { id: 'question:10', en: 'What are you hoping to find in this feed?', zh_CN: '你希望在这里找到什么？' },
  { id: 'question:11', en: 'What small thing are you glad of today?', zh_CN: '今天有什么小事让你感到欣喜？' },
  { id: 'question:12', en: 'If you stopped now, what would you do instead?', zh_CN: '如果现在停下，你会去做什么？' },
  { id: 'question:13', en: 'What is the light like where you are?', zh_CN: '你身边的光线是什么样的？' },
  { id: 'question:14', en: 'Are you scrolling, or resting?', zh_CN: '你是在浏览，还是在休息？' },
];
