/**
 * The Words collection: short public-domain excerpts, quoted verbatim. Chinese poems are given
 * in the original (simplified characters, the common modern text); English ones in the
 * pre-1929 published text (for Dickinson the 1890s editions, not the later restored texts,
 * which are still under copyright). Every author died more than 70 years ago, so the texts are
 * public domain in life+70 countries too, not only in the US. Sources: docs/CONTENT.md.
 *
 * Ids are written out, not derived from position, because exposure history and "no repeat"
 * bookkeeping refer to them: reordering or removing an entry must not rename the others.
 * Only append new ids.
 */

export type WordsLang = 'en' | 'zh';

export interface CuratedWords {
  id: string;
  lang: WordsLang;
  /** One entry per line as it should be set; joined with '\n' in the payload. */
  lines: readonly string[];
  author: string;
  work: string;
  /** For a translation: whose (the translation must itself be public domain and quoted verbatim). */
  translator?: string;
  attribution: string;
}

const PD = 'Public domain';

function zh(n: number, author: string, work: string, ...lines: string[]): CuratedWords {
  return { id: `words:zh:${String(n).padStart(2, '0')}`, lang: 'zh', lines, author, work, attribution: PD };
}

function en(n: number, author: string, work: string, ...lines: string[]): CuratedWords {
  return { id: `words:en:${String(n).padStart(2, '0')}`, lang: 'en', lines, author, work, attribution: PD };
}

export const WORDS: readonly CuratedWords[] = [
  zh(1, '李白', '静夜思', '床前明月光，疑是地上霜。', '举头望明月，低头思故乡。'),
  zh(2, '李白', '独坐敬亭山', '众鸟高飞尽，孤云独去闲。', '相看两不厌，只有敬亭山。'),
  zh(3, '李白', '月下独酌', '花间一壶酒，独酌无相亲。', '举杯邀明月，对影成三人。'),
  zh(4, '李白', '望庐山瀑布', '日照香炉生紫烟，遥看瀑布挂前川。', '飞流直下三千尺，疑是银河落九天。'),
  zh(5, '李白', '早发白帝城', '朝辞白帝彩云间，千里江陵一日还。', '两岸猿声啼不住，轻舟已过万重山。'),
  zh(6, '李白', '黄鹤楼送孟浩然之广陵', '孤帆远影碧空尽，', '唯见长江天际流。'),
  zh(7, '王维', '鹿柴', '空山不见人，但闻人语响。', '返景入深林，复照青苔上。'),
  zh(8, '王维', '竹里馆', '独坐幽篁里，弹琴复长啸。', '深林人不知，明月来相照。'),
  zh(9, '王维', '鸟鸣涧', '人闲桂花落，夜静春山空。', '月出惊山鸟，时鸣春涧中。'),
  zh(10, '王维', '终南别业', '行到水穷处，', '坐看云起时。'),
  zh(11, '王维', '山居秋暝', '空山新雨后，天气晚来秋。', '明月松间照，清泉石上流。'),
  zh(12, '王维', '使至塞上', '大漠孤烟直，', '长河落日圆。'),
  zh(13, '孟浩然', '春晓', '春眠不觉晓，处处闻啼鸟。', '夜来风雨声，花落知多少。'),
  zh(14, '孟浩然', '宿建德江', '移舟泊烟渚，日暮客愁新。', '野旷天低树，江清月近人。'),
  zh(15, '孟浩然', '过故人庄', '绿树村边合，', '青山郭外斜。'),
  zh(16, '杜甫', '春夜喜雨', '好雨知时节，当春乃发生。', '随风潜入夜，润物细无声。'),
  zh(17, '杜甫', '绝句', '两个黄鹂鸣翠柳，一行白鹭上青天。', '窗含西岭千秋雪，门泊东吴万里船。'),
  zh(18, '杜甫', '旅夜书怀', '星垂平野阔，', '月涌大江流。'),
  zh(19, '苏轼', '水调歌头·明月几时有', '人有悲欢离合，月有阴晴圆缺，此事古难全。', '但愿人长久，千里共婵娟。'),
  zh(20, '苏轼', '题西林壁', '横看成岭侧成峰，远近高低各不同。', '不识庐山真面目，只缘身在此山中。'),
  zh(21, '苏轼', '定风波·莫听穿林打叶声', '回首向来萧瑟处，归去，', '也无风雨也无晴。'),
  zh(22, '苏轼', '饮湖上初晴后雨', '水光潋滟晴方好，山色空蒙雨亦奇。', '欲把西湖比西子，淡妆浓抹总相宜。'),
  zh(23, '苏轼', '惠崇春江晚景', '竹外桃花三两枝，', '春江水暖鸭先知。'),
  zh(24, '苏轼', '记承天寺夜游', '何夜无月？何处无竹柏？', '但少闲人如吾两人者耳。'),
  zh(25, '苏轼', '赠刘景文', '荷尽已无擎雨盖，菊残犹有傲霜枝。', '一年好景君须记，最是橙黄橘绿时。'),
  zh(26, '陶渊明', '饮酒·其五', '结庐在人境，而无车马喧。', '问君何能尔？心远地自偏。'),
  zh(27, '陶渊明', '饮酒·其五', '采菊东篱下，悠然见南山。', '山气日夕佳，飞鸟相与还。'),
  zh(28, '陶渊明', '归园田居·其一', '久在樊笼里，', '复得返自然。'),
  zh(29, '陶渊明', '归去来兮辞', '云无心以出岫，', '鸟倦飞而知还。'),
  zh(30, '柳宗元', '江雪', '千山鸟飞绝，万径人踪灭。', '孤舟蓑笠翁，独钓寒江雪。'),
  zh(31, '王之涣', '登鹳雀楼', '白日依山尽，黄河入海流。', '欲穷千里目，更上一层楼。'),
  zh(32, '杜牧', '山行', '远上寒山石径斜，白云生处有人家。', '停车坐爱枫林晚，霜叶红于二月花。'),
  zh(33, '张继', '枫桥夜泊', '月落乌啼霜满天，江枫渔火对愁眠。', '姑苏城外寒山寺，夜半钟声到客船。'),
  zh(34, '韦应物', '滁州西涧', '独怜幽草涧边生，上有黄鹂深树鸣。', '春潮带雨晚来急，野渡无人舟自横。'),
  zh(35, '贾岛', '寻隐者不遇', '松下问童子，言师采药去。', '只在此山中，云深不知处。'),
  zh(36, '刘长卿', '逢雪宿芙蓉山主人', '日暮苍山远，天寒白屋贫。', '柴门闻犬吠，风雪夜归人。'),
  zh(37, '白居易', '问刘十九', '绿蚁新醅酒，红泥小火炉。', '晚来天欲雪，能饮一杯无？'),
  zh(38, '白居易', '暮江吟', '一道残阳铺水中，半江瑟瑟半江红。', '可怜九月初三夜，露似真珠月似弓。'),
  zh(39, '王安石', '梅花', '墙角数枝梅，凌寒独自开。', '遥知不是雪，为有暗香来。'),
  zh(40, '杨万里', '小池', '泉眼无声惜细流，树阴照水爱晴柔。', '小荷才露尖尖角，早有蜻蜓立上头。'),
  zh(41, '朱熹', '观书有感', '半亩方塘一鉴开，天光云影共徘徊。', '问渠那得清如许？为有源头活水来。'),
  zh(42, '陆游', '游山西村', '山重水复疑无路，', '柳暗花明又一村。'),
  zh(43, '张九龄', '望月怀远', '海上生明月，', '天涯共此时。'),
  zh(44, '王湾', '次北固山下', '海日生残夜，', '江春入旧年。'),

  en(
    1,
    'Emily Dickinson',
    'Hope is the thing with feathers',
    'Hope is the thing with feathers',
    'That perches in the soul,',
    'And sings the tune without the words,',
    'And never stops at all,',
  ),
  en(
    2,
    'Emily Dickinson',
    'There is no frigate like a book',
    'There is no frigate like a book',
    'To take us lands away,',
    'Nor any coursers like a page',
    'Of prancing poetry.',
  ),
  // Poems, Third Series (1896): "bee,—" with its dash, and no comma after "will do".
  en(
    3,
    'Emily Dickinson',
    'To make a prairie',
    'To make a prairie it takes a clover and one bee,—',
    'One clover, and a bee,',
    'And revery.',
    'The revery alone will do',
    'If bees are few.',
  ),
  en(
    4,
    'Emily Dickinson',
    'I never saw a moor',
    'I never saw a moor,',
    'I never saw the sea;',
    'Yet know I how the heather looks,',
    'And what a wave must be.',
  ),
  en(
    5,
    'William Wordsworth',
    'I Wandered Lonely as a Cloud',
    'I wandered lonely as a cloud',
    "That floats on high o'er vales and hills,",
    'When all at once I saw a crowd,',
    'A host, of golden daffodils;',
  ),
  en(
    6,
    'William Wordsworth',
    'I Wandered Lonely as a Cloud',
    'For oft, when on my couch I lie',
    'In vacant or in pensive mood,',
    'They flash upon that inward eye',
    'Which is the bliss of solitude;',
  ),
  en(
    7,
    'William Wordsworth',
    'The World Is Too Much with Us',
    'The world is too much with us; late and soon,',
    'Getting and spending, we lay waste our powers;',
    'Little we see in Nature that is ours;',
  ),
  // The title as Lyrical Ballads (1798) printed it.
  en(
    8,
    'William Wordsworth',
    'Lines written a few miles above Tintern Abbey',
    'While with an eye made quiet by the power',
    'Of harmony, and the deep power of joy,',
    'We see into the life of things.',
  ),
  en(9, 'William Wordsworth', 'My Heart Leaps Up', 'My heart leaps up when I behold', 'A rainbow in the sky:'),
  en(10, 'John Keats', 'Endymion', 'A thing of beauty is a joy for ever:', 'Its loveliness increases; it will never', 'Pass into nothingness;'),
  en(11, 'John Keats', 'To Autumn', 'Season of mists and mellow fruitfulness,', 'Close bosom-friend of the maturing sun;'),
  en(12, 'John Keats', 'Ode on a Grecian Urn', 'Heard melodies are sweet, but those unheard', 'Are sweeter;'),
  en(13, 'John Keats', 'On the Grasshopper and Cricket', 'The poetry of earth is never dead:'),
  en(14, 'Walt Whitman', 'Song of Myself', 'I loafe and invite my soul,', 'I lean and loafe at my ease observing a spear of summer grass.'),
  en(15, 'Walt Whitman', 'Song of Myself', 'I believe a leaf of grass is no less than the journey-work of the stars,'),
  en(
    16,
    'Walt Whitman',
    'A Noiseless Patient Spider',
    'A noiseless patient spider,',
    "I mark'd where on a little promontory it stood isolated,",
    "Mark'd how to explore the vacant vast surrounding,",
  ),
  en(
    17,
    'Walt Whitman',
    "When I Heard the Learn'd Astronomer",
    'In the mystical moist night-air, and from time to time,',
    "Look'd up in perfect silence at the stars.",
  ),
  en(18, 'Walt Whitman', 'Miracles', 'To me every hour of the light and dark is a miracle,', 'Every cubic inch of space is a miracle,'),
  { ...en(19, 'Matsuo Bashō', 'Old pond', 'Old pond — frogs jumped in — sound of water.'), translator: 'Lafcadio Hearn' },
  // Sing-Song (1872) spells it "thro'".
  en(
    20,
    'Christina Rossetti',
    'Who Has Seen the Wind?',
    'Who has seen the wind?',
    'Neither I nor you:',
    'But when the leaves hang trembling,',
    "The wind is passing thro'.",
  ),
  en(21, 'Christina Rossetti', 'A Birthday', 'My heart is like a singing bird', "Whose nest is in a water'd shoot;"),
  en(
    22,
    'W. B. Yeats',
    'The Lake Isle of Innisfree',
    'And I shall have some peace there, for peace comes dropping slow,',
    'Dropping from the veils of the morning to where the cricket sings;',
  ),
  en(
    23,
    'W. B. Yeats',
    'The Lake Isle of Innisfree',
    'I will arise and go now, for always night and day',
    'I hear lake water lapping with low sounds by the shore;',
    'While I stand on the roadway, or on the pavements grey,',
    "I hear it in the deep heart's core.",
  ),
  // The title of The Wind Among the Reeds (1899); later editions call it "He Wishes for the Cloths of Heaven".
  en(
    24,
    'W. B. Yeats',
    'Aedh Wishes for the Cloths of Heaven',
    'But I, being poor, have only my dreams;',
    'I have spread my dreams under your feet;',
    'Tread softly because you tread on my dreams.',
  ),
  en(
    25,
    'William Blake',
    'Auguries of Innocence',
    'To see a World in a Grain of Sand',
    'And a Heaven in a Wild Flower,',
    'Hold Infinity in the palm of your hand',
    'And Eternity in an hour.',
  ),
  en(26, 'Alfred, Lord Tennyson', 'The Brook', 'For men may come and men may go,', 'But I go on for ever.'),
  en(27, 'William Shakespeare', 'Sonnet 18', "Shall I compare thee to a summer's day?", 'Thou art more lovely and more temperate:'),
  en(28, 'Percy Bysshe Shelley', 'To a Skylark', 'Hail to thee, blithe Spirit!', 'Bird thou never wert,'),
  en(29, 'William Wordsworth', 'Composed upon Westminster Bridge', "Ne'er saw I, never felt, a calm so deep!", 'The river glideth at his own sweet will:'),
  en(
    30,
    'Sara Teasdale',
    'There Will Come Soft Rains',
    'There will come soft rains and the smell of the ground,',
    'And swallows circling with their shimmering sound;',
  ),
  en(31, 'Gerard Manley Hopkins', "God's Grandeur", 'And for all this, nature is never spent;', 'There lives the dearest freshness deep down things;'),
  en(
    32,
    'Gerard Manley Hopkins',
    'Inversnaid',
    'What would the world be, once bereft',
    'Of wet and of wildness? Let them be left,',
    'O let them be left, wildness and wet;',
    'Long live the weeds and the wilderness yet.',
  ),
  en(33, 'Henry David Thoreau', 'Walden', 'I went to the woods because I wished to live deliberately,', 'to front only the essential facts of life,'),
];
