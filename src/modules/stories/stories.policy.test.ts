import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../kernel/web/viewer.ts';
import { canEditStory, canViewChapter, canViewStory } from './stories.policy.ts';

const author: Viewer = { id: 1, username: 'author', displayName: 'Author', role: 'user' };
const reader: Viewer = { id: 2, username: 'reader', displayName: 'Reader', role: 'user' };
const moderator: Viewer = { id: 3, username: 'mod', displayName: 'Mod', role: 'moderator' };
const admin: Viewer = { id: 4, username: 'admin', displayName: 'Admin', role: 'admin' };

const published = { author_id: 1, published_at: 1, hidden_at: null };
const draft = { author_id: 1, published_at: null, hidden_at: null };
const hidden = { author_id: 1, published_at: 1, hidden_at: 2 };

describe('story policy', () => {
  it.each([
    ['the author', author, true, true, true],
    ['an admin', admin, true, true, true],
    ['a moderator', moderator, false, true, false],
    ['another reader', reader, false, true, false],
    ['a visitor', null, false, true, false],
  ] as const)('%s: edit %s, see published %s, see draft %s', (_who, viewer, edit, seePublished, seeDraft) => {
    // A hidden story: its author and the moderators, nobody else.
    expect(canViewStory(viewer, hidden)).toBe(edit || viewer?.role === 'moderator');
    expect(canEditStory(viewer, published)).toBe(edit);
    expect(canViewStory(viewer, published)).toBe(seePublished);
    expect(canViewStory(viewer, draft)).toBe(seeDraft);
    expect(canViewChapter(viewer, published, { published_at: null })).toBe(seeDraft);
    expect(canViewChapter(viewer, published, { published_at: 5 })).toBe(true);
  });
});
