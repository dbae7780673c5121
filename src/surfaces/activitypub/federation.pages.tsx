import { safeHttpUrl } from '../../kernel/text/urls.ts';
import { formatDate } from '../../kernel/web/format.ts';
import { CsrfField, PostButton } from '../../kernel/web/forms.tsx';
import { Layout } from '../../kernel/web/layout.tsx';
import type { PageContext } from '../../kernel/web/page.ts';
import type { fediverse } from '../../modules/federation/federation.service.ts';

const Paragraphs = ({ text }: { text: string }) => (
  <>
    {text.split('\n').map((line) => (
      <p>{line}</p>
    ))}
  </>
);

type Props = { page: PageContext; address?: string; problem?: string } & Awaited<ReturnType<typeof fediverse>>;

/** Following authors on other archives and servers, and what they posted. */
export function FediversePage({ page, handle, follows, posts, address, problem }: Props) {
  return (
    <Layout page={page} title="Following elsewhere">
      <div class="narrow-page">
        <h1>Following elsewhere</h1>
        <p>
          People on Mastodon, another Golden Oak or any ActivityPub server can follow you as <strong>@{handle}</strong>: each chapter you
          publish reaches them.
        </p>
        <form method="post" action="/fediverse/follow" class="stack">
          <CsrfField token={page.csrfToken} />
          <label for="address">Follow an author elsewhere</label>
          {problem ? (
            <p class="field-error" id="address-error">
              {problem}
            </p>
          ) : null}
          <input
            id="address"
            name="address"
            type="text"
            required
            maxLength={500}
            value={address}
            placeholder="name@example.social or a profile address"
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'address-error' : undefined}
          />
          <p>
            <button type="submit" class="button primary">
              Follow
            </button>
          </p>
        </form>
        {follows.length > 0 ? (
          <>
            <h2>You follow</h2>
            <ul class="plain-list">
              {follows.map((actor) => (
                <li>
                  {actor.url && safeHttpUrl(actor.url) ? (
                    <a href={safeHttpUrl(actor.url) as string} rel="nofollow ugc">
                      {actor.name}
                    </a>
                  ) : (
                    actor.name
                  )}{' '}
                  <span class="muted">@{actor.handle}</span>{' '}
                  {actor.accepted_at === null ? <span class="muted">(waiting for their server)</span> : null}{' '}
                  <PostButton csrf={page.csrfToken} action={`/fediverse/unfollow/${actor.id}`} label="Unfollow" look="link" />
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2>Their posts</h2>
        {posts.length === 0 ? (
          <p class="muted">Nothing yet: new posts of those you follow appear here.</p>
        ) : (
          <ol class="plain-list remote-posts">
            {posts.map((post) => (
              <li>
                <p>
                  <strong>{post.name}</strong> <span class="muted">@{post.handle}</span> ·{' '}
                  {post.url && safeHttpUrl(post.url) ? (
                    <a href={safeHttpUrl(post.url) as string} rel="nofollow ugc">
                      {formatDate(post.published_at)}
                    </a>
                  ) : (
                    formatDate(post.published_at)
                  )}
                </p>
                {post.content_warning ? (
                  <details>
                    <summary>{post.content_warning}</summary>
                    <Paragraphs text={post.text} />
                  </details>
                ) : (
                  <Paragraphs text={post.text} />
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
    </Layout>
  );
}
