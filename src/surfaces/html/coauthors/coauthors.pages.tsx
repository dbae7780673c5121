import { CsrfField, PostButton } from '../../../kernel/web/forms.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { authorPath, storyPath } from '../../../kernel/web/paths.ts';

type Coauthor = { id: number; username: string; display_name: string; accepted_at: number | null };

/** "With …": the accepted co-authors, under the story's byline. */
export function Coauthors({ coauthors }: { coauthors: Coauthor[] }) {
  const accepted = coauthors.filter((c) => c.accepted_at !== null);
  if (accepted.length === 0) return null;
  return (
    <p class="coauthors muted">
      With{' '}
      {accepted.map((c, index) => (
        <>
          {index > 0 && (index === accepted.length - 1 ? ' and ' : ', ')}
          <a href={authorPath(c.username)}>{c.display_name}</a>
        </>
      ))}
    </p>
  );
}

/** The author's view: who co-writes the story, who is invited, and a form to invite someone. */
export function CoauthorManager({ page, story, coauthors }: { page: PageContext; story: { id: number }; coauthors: Coauthor[] }) {
  return (
    <section class="coauthor-manager" aria-labelledby="coauthors-heading">
      <h2 id="coauthors-heading">Co-authors</h2>
      {coauthors.length > 0 && (
        <ul>
          {coauthors.map((c) => (
            <li>
              <a href={authorPath(c.username)}>{c.display_name}</a> {c.accepted_at === null && <span class="muted">(invited)</span>}{' '}
              <PostButton csrf={page.csrfToken} action={`/stories/${story.id}/coauthors/${c.username}/remove`} label="Remove" look="link" />
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/stories/${story.id}/coauthors`} class="inline-form">
        <CsrfField token={page.csrfToken} />
        <label for="coauthor-username">Invite a co-author by username</label>{' '}
        <input id="coauthor-username" name="username" type="text" maxLength={30} required />{' '}
        <button type="submit" class="button">
          Invite
        </button>
      </form>
      <p class="muted">A co-author may edit the story and its chapters once they accept; only you may delete it.</p>
    </section>
  );
}

type Invitation = { id: number; slug: string; title: string; author_display_name: string };

/** Invitations waiting for the reader, on their library page. */
export function Invitations({ page, invitations }: { page: PageContext; invitations: Invitation[] }) {
  if (invitations.length === 0) return null;
  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">Invitations to co-author</h2>
      <ul>
        {invitations.map((story) => (
          <li>
            <a href={storyPath(story)}>{story.title}</a> by {story.author_display_name}{' '}
            <PostButton csrf={page.csrfToken} action={`/stories/${story.id}/coauthors/accept`} label="Accept" look="primary" />{' '}
            <PostButton csrf={page.csrfToken} action={`/stories/${story.id}/coauthors/decline`} label="Decline" />
          </li>
        ))}
      </ul>
    </section>
  );
}
