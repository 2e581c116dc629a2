// How Stillframe sees a site's feed: the widened status, and "Report a site problem" (popup).
export const en = {
  'popup.adapter.widened': 'Watching this feed, looking a little deeper for posts (the site nests some of them)',
  'options.sites.status.widened': 'Working, looking a little deeper for posts (the site nests some of them)',
  'popup.report.open': 'Report a site problem',
  'popup.report.title': 'A report on this site',
  'popup.report.intro':
    'If pauses land in the wrong place on this site, or never come, this report helps fix it. It describes only the shape of the feed on this page: which kinds of elements it is made of and how they nest.',
  'popup.report.private':
    'It holds no text, no links, no names and nothing you have read or typed. Nothing has been sent: it stays here unless you copy or save it.',
  'popup.report.howTo':
    'To report the problem, copy or save it and share it with Stillframe’s maintainers (for example in an issue on the project’s page), with a few words about what went wrong.',
  'popup.report.building': 'Looking at the page…',
  'popup.report.summary': 'It describes {nodes} elements around the feed; {items} of them are marked as posts.',
  'popup.report.label': 'The report, in full',
  'popup.report.copy': 'Copy',
  'popup.report.copied': 'Copied',
  'popup.report.copyFailed': 'Could not copy. Select the text above and copy it yourself, or save it as a file.',
  'popup.report.save': 'Save as file',
  'popup.report.close': 'Close',
  'popup.report.notHere': 'Stillframe isn’t running on this page, so there is nothing to describe. Open the feed that has the problem and try again.',
  'popup.report.failed': 'The page did not answer ({message}). Reload it and try again.',
  'popup.report.invalid': 'What came back from the page was not a report of its shape, so it is not shown. Reload the page and try again.',
};

export const zh_CN: Record<keyof typeof en, string> = {
  'popup.adapter.widened': '正在陪你看这个信息流，也在更深处找帖子（网站把部分帖子嵌套得更深）',
  'options.sites.status.widened': '正常，也在更深处识别帖子（网站把部分帖子嵌套得更深）',
  'popup.report.open': '报告网站问题',
  'popup.report.title': '关于此网站的报告',
  'popup.report.intro':
    '如果此网站上的暂停出现在不对的位置，或者从不出现，这份报告能帮助修复。它只描述此页面信息流的结构：由哪些类型的元素组成，以及它们如何嵌套。',
  'popup.report.private': '其中不含任何文字、链接、名字，也不含你读过或输入过的任何内容。没有发送任何东西：除非你复制或保存，它只留在这里。',
  'popup.report.howTo': '若要报告问题，请复制或保存它，连同几句话说明出了什么问题，分享给 Stillframe 的维护者（例如在项目页面上提交一个 issue）。',
  'popup.report.building': '正在查看页面…',
  'popup.report.summary': '它描述了信息流周围的 {nodes} 个元素，其中 {items} 个标记为帖子。',
  'popup.report.label': '完整报告',
  'popup.report.copy': '复制',
  'popup.report.copied': '已复制',
  'popup.report.copyFailed': '无法复制。请自行选中上面的文字复制，或保存为文件。',
  'popup.report.save': '保存为文件',
  'popup.report.close': '关闭',
  'popup.report.notHere': 'Stillframe 没有在此页面运行，因此没有可描述的内容。请打开出问题的信息流后再试一次。',
  'popup.report.failed': '页面没有响应（{message}）。请刷新页面后再试一次。',
  'popup.report.invalid': '页面返回的内容不是结构报告，因此没有显示。请刷新页面后再试一次。',
};
