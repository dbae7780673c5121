import { storyPath } from '../../kernel/web/paths.ts';
import type { StoryCard } from '../../modules/stories/stories.service.ts';
import type { AtomEntry } from './atom.ts';

/**
 * Addresses in feeds and catalogs. Ids must be IRIs: the public address when configured, else a
 * tag: URI that stays the same; links are absolute with PUBLIC_URL, relative without it.
 */
export function feedAddresses(origin: string) {
  const idFor = (path: string) => (origin ? `${origin}${path}` : `tag:golden-oak,2026:${path}`);
  const link = (path: string) => `${origin}${path}`;
  /** A story as a feed entry: what the Atom feeds and the OPDS catalog both say of it. */
  const storyEntry = (story: StoryCard): AtomEntry => ({
    id: idFor(`/stories/${story.id}`),
    title: story.title,
    link: link(storyPath(story)),
    updated: story.updated_at,
    published: story.published_at,
    author: story.original_author || story.author_display_name,
    summary: story.summary,
  });
  return { idFor, link, storyEntry };
}
