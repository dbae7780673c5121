export type { StoryTag } from './tags.repository.ts';
export {
  canonicalTags,
  filterClosure,
  filterSetSize,
  filterTagIds,
  findTag,
  refreshFilterSets,
  setStoryTags,
  storiesFilteredBy,
  suggestTags,
  tagsForStories,
  topTags,
} from './tags.repository.ts';
