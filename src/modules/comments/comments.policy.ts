import type { Viewer } from '../../kernel/web/viewer.ts';
import { canEditStory, isModerator } from '../stories/stories.policy.ts';

/** A comment may be edited by its writer for this long after posting. */
export const EDIT_WINDOW_MS = 15 * 60 * 1000;

const DAY = 24 * 60 * 60 * 1000;
/** Comments are counted over ten minutes: few on an account's first day (the spammer's window), more after. */
export const COMMENT_WINDOW_MS = 10 * 60 * 1000;
export const NEW_ACCOUNT_COMMENTS = 5;
const COMMENTS = 60;

/** How many comments an account made at `joinedAt` may post in one window at `now`. */
export const commentAllowance = (joinedAt: number, now: number) => (now - joinedAt < DAY ? NEW_ACCOUNT_COMMENTS : COMMENTS);

type Comment = { author_id: number; created_at: number; deleted_at: number | null };

export function canEditComment(viewer: Viewer | null, comment: Comment, now: number): boolean {
  return viewer !== null && viewer.id === comment.author_id && comment.deleted_at === null && now - comment.created_at <= EDIT_WINDOW_MS;
}

/** The story a comment is on, as far as who runs it goes: its author and accepted co-authors. */
type Story = { author_id: number; coauthors?: string | null };

/** Its writer, the story's authors (co-authors too, as on AO3), and moderators and admins may delete a comment. */
export function canDeleteComment(viewer: Viewer | null, comment: Comment, story: Story): boolean {
  if (viewer === null || comment.deleted_at !== null) return false;
  return viewer.id === comment.author_id || canEditStory(viewer, story) || isModerator(viewer);
}

/** Who may close a story to new comments, or open it again: its authors, co-authors included, and moderators. */
export function canLockComments(viewer: Viewer | null, story: Story): boolean {
  return canEditStory(viewer, story) || isModerator(viewer);
}
