import { describe, expect, it } from 'vitest';
import type { Role } from '../kernel/db/schema.ts';
import type { Viewer } from '../kernel/web/viewer.ts';
import { canDeleteOwnAccount } from './account-data/account-data.policy.ts';
import { canModerate, canSuspend } from './moderation/moderation.policy.ts';
import { canManageSeries } from './series/series.policy.ts';
import { canOwnStory } from './stories/stories.policy.ts';
import { canEditGenres, canWrangle } from './wrangling/wrangling.policy.ts';

// Role × action tables for the policies that decide by owner and role (comments and stories have
// their own beside them). Account 10 owns the story and the series; 11 co-writes the story.
const person = (id: number, role: Role = 'user'): Viewer => ({ id, username: `u${id}`, displayName: `U${id}`, role });
const WHO: [string, Viewer | null][] = [
  ['visitor', null],
  ['reader', person(30)],
  ['owner', person(10)],
  ['co-author', person(11)],
  ['moderator', person(40, 'moderator')],
  ['admin', person(50, 'admin')],
];
const story = { author_id: 10, coauthors: '11' };
const series = { owner_id: 10 };

/** [own the story (delete it, choose co-authors), arrange the series, moderate, wrangle, edit genres] */
const TABLE: Record<string, boolean[]> = {
  visitor: [false, false, false, false, false],
  reader: [false, false, false, false, false],
  owner: [true, true, false, false, false],
  'co-author': [false, false, false, false, false],
  moderator: [false, false, true, true, false],
  admin: [true, true, true, true, true],
};

describe('the policies, role by role', () => {
  it.each(WHO)('%s', (who, viewer) => {
    expect([
      canOwnStory(viewer, story),
      canManageSeries(viewer, series),
      canModerate(viewer),
      canWrangle(viewer),
      canEditGenres(viewer),
    ]).toEqual(TABLE[who]);
  });

  /** Whom each may suspend: [a reader, a moderator, an admin, themselves] */
  const SUSPEND: Record<string, boolean[]> = {
    visitor: [false, false, false, false],
    reader: [false, false, false, false],
    owner: [false, false, false, false],
    'co-author': [false, false, false, false],
    moderator: [true, false, false, false],
    admin: [true, true, false, false],
  };
  it.each(WHO)('suspension by a %s', (who, viewer) => {
    const targets = [
      { id: 31, role: 'user' as const },
      { id: 41, role: 'moderator' as const },
      { id: 51, role: 'admin' as const },
      { id: viewer?.id ?? 0, role: viewer?.role ?? ('user' as const) },
    ];
    expect(targets.map((account) => canSuspend(viewer, account))).toEqual(SUSPEND[who]);
  });

  it('lets anyone delete their own account but the last admin', () => {
    for (const role of ['user', 'moderator'] as const) expect(canDeleteOwnAccount(person(1, role), 1)).toBe(true);
    expect(canDeleteOwnAccount(person(1, 'admin'), 1)).toBe(false);
    expect(canDeleteOwnAccount(person(1, 'admin'), 2)).toBe(true);
  });
});
