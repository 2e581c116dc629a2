import type { LocalizedText } from './breath';

/**
 * The Questions collection: gentle prompts, never judgements: they ask, they do not tell the
 * reader to stop. Both languages are ours, so both are stored. Ids are stable (append only).
 */
export const QUESTIONS: readonly LocalizedText[] = [
  { id: 'question:01', en: 'What did you come here for?', zh_CN: '你来这里，是想找点什么？' },
  { id: 'question:02', en: 'How do you feel right now?', zh_CN: '这会儿，你感觉怎么样？' },
  { id: 'question:03', en: 'Is this still what you want to be doing?', zh_CN: '这还是你现在想做的事吗？' },
  { id: 'question:04', en: 'When did you last look out of a window?', zh_CN: '上一次望向窗外，是什么时候？' },
  { id: 'question:05', en: 'What is one thing you can hear right now?', zh_CN: '此刻，你能听见什么声音？' },
  { id: 'question:06', en: 'Have you had some water lately?', zh_CN: '最近喝水了吗？' },
  { id: 'question:07', en: 'Who would you like to talk to today?', zh_CN: '今天，你想和谁聊聊？' },
  { id: 'question:08', en: 'What would feel good to do next?', zh_CN: '接下来做点什么，会让你舒服一些？' },
  { id: 'question:09', en: 'Is your body comfortable where it is?', zh_CN: '现在这个姿势，身体还舒服吗？' },
  { id: 'question:10', en: 'What are you hoping to find in this feed?', zh_CN: '你想在这里找到些什么？' },
  { id: 'question:11', en: 'What small thing are you glad of today?', zh_CN: '今天有什么小事，让你觉得开心？' },
  { id: 'question:12', en: 'If you stopped now, what would you do instead?', zh_CN: '如果现在停下来，你会去做什么？' },
  { id: 'question:13', en: 'What is the light like where you are?', zh_CN: '你身边的光，现在是什么样子？' },
  { id: 'question:14', en: 'Are you scrolling, or resting?', zh_CN: '你是在刷，还是在休息？' },
];
