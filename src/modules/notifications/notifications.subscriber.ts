import type { Context } from '../../kernel/context.ts';
import { eventsOf, type Subscriber } from '../../kernel/events/events.ts';
import { enqueue } from '../../kernel/jobs/jobs.ts';
import { commentPosted, followed, kudosGiven } from './notifications.service.ts';

/**
 * Who hears of a write, in its transaction: a comment's story author and the writer it answers,
 * kudos' author, a followed author. A chapter going public tells its readers from a job
 * (fanOutChapter), however many they are, queued so it happens exactly when the chapter does.
 */
export const notices: Subscriber<Pick<Context, 'clock' | 'mailer'>> = {
  name: 'notifications',
  async handle(ctx, trx, events) {
    for (const { chapterId, newStory } of eventsOf(events, 'chapterPublished')) {
      await enqueue(trx, ctx.clock.now(), 'notify.chapter', { chapterId, newStory });
    }
    for (const event of eventsOf(events, 'commentPosted')) {
      const comment = { id: event.commentId, story_id: event.storyId, chapter_id: event.chapterId, author_id: event.authorId };
      await commentPosted(ctx, trx, comment, event.storyAuthorId, event.parentAuthorId);
    }
    for (const { storyId, storyAuthorId, giverId } of eventsOf(events, 'kudosLeft')) {
      await kudosGiven(ctx, trx, { id: storyId, author_id: storyAuthorId }, giverId);
    }
    for (const { followerId, authorId } of eventsOf(events, 'authorFollowed')) await followed(ctx, trx, followerId, authorId);
  },
};
