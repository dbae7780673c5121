// Fills an archive for the benchmark through the same services the forms use: an author, a reader,
// and stories of several chapters of ordinary prose (about 3,800 words each).
import type { Context } from '../src/kernel/context.ts';
import { chapterPath } from '../src/kernel/web/paths.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { addChapter } from '../src/modules/chapters/chapters.service.ts';
import type { EditableStory } from '../src/modules/stories/stories.service.ts';
import { createStory, storyToEdit } from '../src/modules/stories/stories.service.ts';

const SENTENCES = [
  'The morning came in slowly over the canal, and the water carried the light under the bridges.',
  'She had promised to wait by the door, and she waited there until the bells had finished.',
  '“You always say that,” he said, though he was smiling when he said it.',
  'Nobody in the village remembered who had planted the oak, only that it had always been there.',
  'By evening the rain had stopped, and the streets smelled of wet stone and bread.',
];

/** About 3,800 words in 40 paragraphs of Markdown. */
export function chapterText(seed: number): string {
  return Array.from({ length: 40 }, (_, p) =>
    Array.from({ length: 6 }, (_, s) => SENTENCES[(seed + p + s) % SENTENCES.length]).join(' '),
  ).join('\n\n');
}

export async function seed(ctx: Context, stories: number, chaptersEach: number) {
  const author = await signUp(ctx, { username: 'bencher', display_name: 'Bench Author', password: 'bench password' });
  await signUp(ctx, { username: 'reader', display_name: 'Bench Reader', password: 'reader password' });
  const viewer = { id: author.id, username: author.username, displayName: author.display_name, role: author.role };
  let last = '';
  for (let i = 1; i <= stories; i++) {
    const { id: storyId } = await createStory(ctx, viewer, {
      title: `Benchmark story ${i}`,
      summary: 'A story written to be read many times at once.',
      description: 'A *long* description of a story.',
      description_format: 'markdown',
      rating: 'everyone',
      status: 'incomplete',
      language: 'en',
      warnings: ['No Archive Warnings Apply'],
      categories: ['Gen'],
      genres: ['Slice of Life'],
      fandoms: ['My Little Pony: Friendship is Magic'],
      relationships: [],
      characters: ['Twilight Sparkle', 'Spike'],
      tags: ['Friendship'],
      cover_artist_name: '',
      cover_artist_url: '',
      cover_source_url: '',
      original_author: '',
      source_url: '',
      remove_cover: false,
    });
    const story: EditableStory = await storyToEdit(ctx, viewer, storyId);
    for (let c = 1; c <= chaptersEach; c++) {
      const body = chapterText(i + c);
      const { id: chapterId } = await addChapter(ctx, story, {
        title: `Chapter ${c}`,
        format: 'markdown',
        body,
        note_before: '',
        note_after: 'Thanks for reading!',
        action: 'publish',
      });
      if (c === 2) last = chapterPath(story, { id: chapterId, title: `Chapter ${c}` });
    }
  }
  return last;
}
