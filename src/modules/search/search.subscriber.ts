import { type DomainEvent, eventsOf, type Subscriber } from '../../kernel/events/events.ts';
import { indexStory } from './search.index.ts';

/**
 * Keeps the search index in step with what readers may find: every write that changes a story's
 * words, its tags or the name it is credited to reindexes it in the same transaction. A chapter
 * edit reindexes only its chapters; everything else the whole story, once per write. (Wrangling
 * changes filter sets, not the tag names a story's index row holds: it needs no reindex.)
 */
export const searchIndex: Subscriber<unknown> = {
  name: 'search index',
  async handle(_ctx, trx, events: readonly DomainEvent[]) {
    const whole = new Set<number>();
    for (const event of events) {
      if (event.type === 'storyCreated' || event.type === 'storyChanged') whole.add(event.storyId);
      if (event.type === 'authorRenamed' || event.type === 'storiesOrphaned') for (const id of event.storyIds) whole.add(id);
    }
    const chapters = new Map<number, Set<number>>();
    for (const { storyId, chapterIds } of eventsOf(events, 'chaptersChanged')) {
      if (whole.has(storyId)) continue;
      const set = chapters.get(storyId) ?? new Set<number>();
      for (const id of chapterIds) set.add(id);
      chapters.set(storyId, set);
    }
    for (const id of whole) await indexStory(trx, id);
    for (const [storyId, ids] of chapters) await indexStory(trx, storyId, [...ids]);
  },
};
