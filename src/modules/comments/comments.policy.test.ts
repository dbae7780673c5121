import { describe, expect, it } from 'vitest';
import type { Role } from '../../kernel/db/schema.ts';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { canDeleteComment, canEditComment, canLockComments, EDIT_WINDOW_MS } from './comments.policy.ts';

const person = (id: number, role: Role = 'user'): Viewer => ({ id, username: `u${id}`, displayName: `U${id}`, role });
// Story 1 is written by account 10 with co-author 11; account 20 wrote the comment; 30 is a reader.
const story = { author_id: 10, coauthors: '11' };
const comment = { author_id: 20, created_at: 1_000, deleted_at: null };
const WHO: [string, Viewer | null][] = [
  ['anonymous', null],
  ['reader', person(30)],
  ['comment writer', person(20)],
  ['story author', person(10)],
  ['co-author', person(11)],
  ['moderator', person(40, 'moderator')],
  ['admin', person(50, 'admin')],
];

/** Who may do what to a comment, as AO3 settles it: the work's creators and moderators run its comments. */
const TABLE: Record<string, [edit: boolean, remove: boolean, lock: boolean]> = {
  anonymous: [false, false, false],
  reader: [false, false, false],
  'comment writer': [true, true, false],
  'story author': [false, true, true],
  'co-author': [false, true, true],
  moderator: [false, true, true],
  admin: [false, true, true],
};

describe('the comments policy', () => {
  it.each(WHO)('%s', (who, viewer) => {
    const now = comment.created_at + 60_000;
    expect([canEditComment(viewer, comment, now), canDeleteComment(viewer, comment, story), canLockComments(viewer, story)]).toEqual(
      TABLE[who],
    );
  });

  it('lets the writer edit only within the window, and nobody delete a deleted comment', () => {
    const writer = person(20);
    expect(canEditComment(writer, comment, comment.created_at + EDIT_WINDOW_MS)).toBe(true);
    expect(canEditComment(writer, comment, comment.created_at + EDIT_WINDOW_MS + 1)).toBe(false);
    expect(canDeleteComment(person(50, 'admin'), { ...comment, deleted_at: 2_000 }, story)).toBe(false);
  });
});
