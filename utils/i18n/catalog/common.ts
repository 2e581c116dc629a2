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
};
