// Strings shared by popup, options and the frame. Each area keeps its own catalog file so
// that adding a feature touches one file; tests/unit/i18n.test.ts checks both locales agree.
export const en = {
  'app.name': 'Stillframe',
  'common.on': 'On',
  'common.off': 'Off',
  'common.save': 'Save',
  'common.saved': 'Saved',
  'common.cancel': 'Cancel',
  'common.language': 'Language',
  'common.language.auto': 'Follow the browser',
  'common.number.empty': 'This field is empty, so nothing was saved.',
  'common.number.notNumber': '“{value}” is not a number, so it was not saved.',
  'common.number.whole': '{value} is not a whole number, so it was not saved.',
  'common.number.range': '{value} is outside {min}–{max}, so it was not saved.',
  'common.error.invalid': 'That value is not allowed here, so nothing was changed.',
  'common.error.noAnswer': 'Stillframe did not answer just now. Please try again.',
  'common.error.other': 'Something went wrong: {message}',
  // A write that found no room on the device (utils/storage/quota.ts): said by any page that saves.
  'storage.full': 'Your device’s storage is full, so this could not be saved. Free up some space and try again; nothing you already saved was lost.',
};
export const zh_CN: Record<keyof typeof en, string> = {
  'app.name': 'Stillframe 静帧',
  'common.on': '开',
  'common.off': '关',
  'common.save': '保存',
  'common.saved': '已保存',
  'common.cancel': '取消',
  'common.language': '语言',
  'common.language.auto': '跟随浏览器',
  'common.number.empty': '这一栏是空的，所以没有保存。',
  'common.number.notNumber': '“{value}”不是数字，所以没有保存。',
  'common.number.whole': '{value} 不是整数，所以没有保存。',
  'common.number.range': '{value} 不在 {min}–{max} 之间，所以没有保存。',
  'common.error.invalid': '这个值在这里不能用，所以什么都没改。',
  'common.error.noAnswer': 'Stillframe 刚才没有响应，请再试一次。',
  'common.error.other': '出了点问题：{message}',
  'storage.full': '设备的存储空间已满，这项更改没能保存。请腾出一些空间后再试；之前保存的内容都还在。',
};
