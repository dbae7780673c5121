import type { Page } from '../../db/pagination.ts';
import type { User } from '../../db/schema.ts';
import { formatDate } from '../../web/format.ts';
import { Layout } from '../../web/layout.tsx';
import type { PageContext } from '../../web/page.ts';
import { authorPath } from '../../web/paths.ts';
import type { StoryCard as StoryCardData } from '../stories/stories.service.ts';
import { Pager, StoryCard } from '../stories/story-parts.tsx';

function StoryList({ stories, empty }: { stories: StoryCardData[]; empty: string }) {
  if (stories.length === 0) return <p class="muted empty">{empty}</p>;
  return (
    <div class="story-list">
      {stories.map((story) => (
        <StoryCard story={story} />
      ))}
    </div>
  );
}

export function HomePage({ page, stories, first }: { page: PageContext; stories: Page<StoryCardData>; first: boolean }) {
  return (
    <Layout page={page} title="Golden Oak" description="An archive of fan fiction and original stories.">
      <div class="list-page">
        <h1>{first ? 'Recently updated' : 'Older updates'}</h1>
        {first && !page.viewer && (
          <p class="lede">
            Golden Oak is an archive of stories, written and read here. <a href="/signup">Sign up</a> to publish your own.
          </p>
        )}
        <StoryList stories={stories.items} empty={first ? 'Nothing has been published yet. Be the first.' : 'No older stories.'} />
        <Pager next={stories.next} base="/" />
      </div>
    </Layout>
  );
}

type AuthorPageProps = { page: PageContext; author: User; stories: Page<StoryCardData>; own: boolean };

export function AuthorPage({ page, author, stories, own }: AuthorPageProps) {
  return (
    <Layout page={page} title={author.display_name}>
      <div class="list-page">
        <h1>{author.display_name}</h1>
        <p class="muted">
          @{author.username} · joined {formatDate(author.created_at)}
          {author.role !== 'user' && <span class="badge">{author.role}</span>}
        </p>
        {author.bio && <p class="bio">{author.bio}</p>}
        <h2>{own ? 'Your stories' : 'Stories'}</h2>
        {own && (
          <p>
            <a class="button primary" href="/stories/new">
              Start a new story
            </a>
          </p>
        )}
        <StoryList stories={stories.items} empty={own ? 'You have not started a story yet.' : 'No published stories yet.'} />
        <Pager next={stories.next} base={authorPath(author.username)} />
      </div>
    </Layout>
  );
}
