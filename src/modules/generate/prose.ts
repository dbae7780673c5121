import type { Random } from './random.ts';

const COMMON = `the and of to a in was he she it that his her with as for had on at by not they but from
be this have which were all one their said there an so when we if or no out them what up into who
would could been more some then about time did over only back like after down before night light
again through long eyes hand door house way night old little still water never under always heart
voice morning road small another while face home stone window river year silence wind tree letter`.split(/\s+/);
const ONSETS = [
  'b',
  'br',
  'c',
  'ch',
  'd',
  'dr',
  'f',
  'g',
  'gr',
  'h',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  'sh',
  'st',
  't',
  'th',
  'tr',
  'v',
  'w',
  'z',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'ie', 'y'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'th', 'nd', 'st', 'rk', 'm', 'x'];
const CJK_WORDS =
  `我们 你们 他们 今天 明日 時間 世界 東京 学校 先生 友達 物語 魔法 夜空 星 月 花 雨 風 海 山 川 森 猫 犬 鳥 竜 剣 城 王 姫 心 夢 光 影 道 家 部屋 窓 手紙 音楽 歌 声 涙 笑顔 約束 記憶 未来 過去 旅 駅 電車 図書館 本 茶 桜 雪 冬 春 夏 秋 静か 美しい 悲しい 嬉しい 走る 歩く 見る 聞く 話す 書く 読む 待つ 帰る 忘れる 思い出す は が を に で と の も へ から まで`.split(
    /\s+/,
  );

/**
 * Generated prose: words drawn by Zipf's law from common English words and a few thousand made-up
 * ones, in sentences and paragraphs of varied length, so no two sentences repeat, common words are
 * common and rare ones rare, as in real text. A few fixed phrases recur, for phrase searches.
 */
export class Prose {
  readonly vocabulary: string[];
  constructor(random: Random) {
    const made = new Set<string>();
    while (made.size < 6000) made.add(this.word(random));
    this.vocabulary = [...COMMON, ...made];
  }

  word(random: Random): string {
    let word = '';
    for (let n = random.int(1, 3); n > 0; n--) word += random.pick(ONSETS) + random.pick(VOWELS) + random.pick(CODAS);
    return word;
  }

  name(random: Random): string {
    const word = this.word(random);
    return word[0]?.toUpperCase() + word.slice(1);
  }

  title(random: Random): string {
    return Array.from({ length: random.int(2, 4) }, () => {
      const word = this.vocabulary[random.zipf(this.vocabulary.length)] as string;
      return word[0]?.toUpperCase() + word.slice(1);
    }).join(' ');
  }

  phrase(random: Random): string {
    const words = Array.from({ length: random.int(1, 3) }, () => this.vocabulary[random.zipf(this.vocabulary.length)] as string);
    return words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join(' ');
  }

  sentence(random: Random): string {
    const words: string[] = [];
    for (let n = random.int(5, 22); n > 0; n--) words.push(this.vocabulary[random.zipf(this.vocabulary.length)] as string);
    if (random.chance(0.0005)) words.splice(random.int(0, words.length), 0, 'the', 'silver', 'lantern');
    const text = words.join(' ');
    return `${text[0]?.toUpperCase()}${text.slice(1)}${random.pick(['.', '.', '.', '!', '?', '…'])}`;
  }

  /** About `words` words in paragraphs of three to seven sentences. */
  paragraphs(random: Random, words: number): { text: string; words: number }[] {
    const paragraphs: { text: string; words: number }[] = [];
    let total = 0;
    while (total < words) {
      const sentences = Array.from({ length: random.int(3, 7) }, () => this.sentence(random));
      const text = sentences.join(' ');
      const count = text.split(' ').length;
      paragraphs.push({ text, words: count });
      total += count;
    }
    return paragraphs;
  }

  cjkParagraphs(random: Random, words: number): { text: string; words: number }[] {
    const paragraphs: { text: string; words: number }[] = [];
    let total = 0;
    while (total < words) {
      const count = random.int(20, 60);
      paragraphs.push({ text: `${Array.from({ length: count }, () => random.pick(CJK_WORDS)).join('')}。`, words: count });
      total += count;
    }
    return paragraphs;
  }

  cjkTitle(random: Random): string {
    return `${random.pick(CJK_WORDS)}の${random.pick(CJK_WORDS)}`;
  }
}
