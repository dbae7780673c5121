import { plural } from '../../../kernel/web/format.ts';
import { PostButton } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { authorPath, storyPath } from '../../../kernel/web/paths.ts';
import type { FollowState } from '../../../modules/follows/follows.service.ts';

/** One button that posts `action` to `path` (the state it changes is shown beside it). */
function ActionButton({
  page,
  path,
  action,
  label,
  quiet,
}: {
  page: PageContext;
  path: string;
  action: string;
  label: string;
  quiet?: boolean;
}) {
  return <PostButton csrf={page.csrfToken} action={path} label={label} fields={{ action }} look={quiet ? 'link' : 'button'} />;
}

/** Follow and block, on an author's page: a form for a signed-in reader, a log-in link for a guest. */
export function FollowBar({ page, author, state }: { page: PageContext; author: { username: string; id: number }; state: FollowState }) {
  const path = authorPath(author.username);
  const count = <span class="muted">{plural(state.followers, 'follower')}</span>;
  if (!page.viewer) {
    return (
      <p class="follow-bar">
        <a class="button" href={`/login?next=${encodeURIComponent(path)}`}>
          Follow
        </a>{' '}
        {count}
      </p>
    );
  }
  if (page.viewer.id === author.id) return <p class="follow-bar">{count}</p>;
  return (
    <div class="follow-bar">
      {state.blocked ? (
        <span>You blocked this account.</span>
      ) : (
        <ActionButton
          page={page}
          path={`${path}/follow`}
          action={state.following ? 'unfollow' : 'follow'}
          label={state.following ? 'Unfollow' : 'Follow'}
        />
      )}{' '}
      {count} <a href={`/report?kind=user&id=${author.id}`}>Report</a>{' '}
      <ActionButton
        page={page}
        path={`${path}/block`}
        action={state.blocked ? 'unblock' : 'block'}
        label={state.blocked ? 'Unblock' : 'Block'}
        quiet
      />
    </div>
  );
}

type SubscriptionProps = { page: PageContext; story: { id: number; slug: string; title: string }; subscribed: boolean };

export function SubscriptionPage({ page, story, subscribed }: SubscriptionProps) {
  return (
    <Layout page={page} title={`Subscribe to ${story.title}`}>
      <div class="narrow-page">
        <p class="breadcrumb">
          <a href={storyPath(story)}>{story.title}</a>
        </p>
        <h1>Subscription</h1>
        <p>
          {subscribed
            ? 'You are subscribed: each new chapter appears in your notifications.'
            : 'Subscribe to hear of each new chapter in your notifications (and by e-mail, if you choose so in your settings).'}
        </p>
        <ActionButton
          page={page}
          path={`/stories/${story.id}/subscription`}
          action={subscribed ? 'unsubscribe' : 'subscribe'}
          label={subscribed ? 'Unsubscribe' : 'Subscribe'}
        />
      </div>
    </Layout>
  );
}

type FollowingProps = {
  page: PageContext;
  authors: { username: string; display_name: string }[];
  stories: { id: number; slug: string; title: string }[];
  /** This archive speaks ActivityPub (PUBLIC_URL is set): link the page for following elsewhere. */
  federates: boolean;
  blocked: { username: string; display_name: string }[];
};

/** Whom the reader follows, what they subscribe to, and whom they blocked. */
export function FollowingPage({ page, authors, stories, blocked, federates }: FollowingProps) {
  return (
    <Layout page={page} title="Following">
      <div class="narrow-page">
        <h1>Following</h1>
        {federates ? (
          <p>
            <a href="/fediverse">Following elsewhere</a>: authors on other archives and on Mastodon.
          </p>
        ) : null}
        <h2>Authors</h2>
        {authors.length === 0 ? (
          <p class="muted">You follow no one yet. An author’s page has a Follow button.</p>
        ) : (
          <ul>
            {authors.map((author) => (
              <li>
                <a href={authorPath(author.username)}>{author.display_name}</a>{' '}
                <ActionButton page={page} path={`${authorPath(author.username)}/follow`} action="unfollow" label="Unfollow" quiet />
              </li>
            ))}
          </ul>
        )}
        <h2>Stories</h2>
        {stories.length === 0 ? (
          <p class="muted">No subscriptions yet. A story’s page has a Subscribe link.</p>
        ) : (
          <ul>
            {stories.map((story) => (
              <li>
                <a href={storyPath(story)}>{story.title}</a>{' '}
                <ActionButton page={page} path={`/stories/${story.id}/subscription`} action="unsubscribe" label="Unsubscribe" quiet />
              </li>
            ))}
          </ul>
        )}
        <h2>Blocked</h2>
        <p class="muted">
          A blocked account cannot comment on your stories, reply to you, leave you kudos or follow you, and you do not see its comments.
        </p>
        {blocked.length > 0 && (
          <ul>
            {blocked.map((user) => (
              <li>
                <a href={authorPath(user.username)}>{user.display_name}</a>{' '}
                <ActionButton page={page} path={`${authorPath(user.username)}/block`} action="unblock" label="Unblock" quiet />
              </li>
            ))}
          </ul>
        )}
      </div>
    </Layout>
  );
}
