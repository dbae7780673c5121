import type { TagType } from './schema.ts';

/** The order tags are shown and asked for in, AO3's: warnings first, free-form last. */
export const TAG_TYPES: readonly TagType[] = ['warning', 'category', 'fandom', 'relationship', 'character', 'genre', 'freeform'];

export const TAG_TYPE_LABELS: Record<TagType, string> = {
  warning: 'Archive warnings',
  category: 'Categories',
  fandom: 'Fandoms',
  relationship: 'Relationships',
  character: 'Characters',
  genre: 'Genres',
  freeform: 'Additional tags',
};

/** AO3's archive warnings, with its two answers for "none". Fixed: a story chooses among them. */
export const WARNINGS = [
  'Creator Chose Not To Use Archive Warnings',
  'No Archive Warnings Apply',
  'Graphic Depictions Of Violence',
  'Major Character Death',
  'Rape/Non-Con',
  'Underage Sex',
] as const;

/** AO3's relationship categories. Fixed. */
export const CATEGORIES = ['F/F', 'F/M', 'Gen', 'M/M', 'Multi', 'Other'] as const;

/** A FimFiction-style genre set to start with; they are tags of type genre, so an admin can change them. */
export const DEFAULT_GENRES = [
  'Adventure',
  'Alternate Universe',
  'Comedy',
  'Crossover',
  'Dark',
  'Drama',
  'Horror',
  'Mystery',
  'Romance',
  'Sad',
  'Science Fiction',
  'Slice of Life',
  'Thriller',
  'Tragedy',
] as const;

/** The types a story chooses from a fixed list (check boxes) rather than typing names. */
export const CHOSEN_TYPES = ['warning', 'category', 'genre'] as const;
/** The types an author types freely, comma-separated; these count toward the 75-tag limit. */
export const TYPED_TYPES = ['fandom', 'relationship', 'character', 'freeform'] as const;

/** The story form's field for each type (`tags` is the free-form field it always had). */
export const TAG_FIELDS: Record<TagType, string> = {
  warning: 'warnings',
  category: 'categories',
  genre: 'genres',
  fandom: 'fandoms',
  relationship: 'relationships',
  character: 'characters',
  freeform: 'tags',
};

export type TypedTag = { type: TagType; name: string };
