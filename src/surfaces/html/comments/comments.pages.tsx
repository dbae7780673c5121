import type { Page } from '../../../kernel/db/pagination.ts';
import { storedHtml } from '../../../kernel/text/render.ts';
import { formatDate, isoDate, plural } from '../../../kernel/web/format.ts';
import { CsrfField, FormatSelect, FormErrors, type FormState, TextArea } from '../../../kernel/web/forms.tsx';
import { Layout } from '../../../kernel/web/layout.tsx';
import type { PageContext } from '../../../kernel/web/page.ts';
import { authorPath, chapterPath, storyPath } from '../../../kernel/web/paths.ts';
import { UserHtml } from '../../../kernel/web/user-html.tsx';
import type { CommentableChapter, CommentNode } from '../../../modules/comments/comments.service.ts';
import { canModerate } from '../../../modules/moderation/moderation.policy.ts';
import { Pager } from '../parts/story-parts.tsx';

export const commentsPath = (chapter: Pick<CommentableChapter, 'story_id' | 'story_slug' | 'id' | 'title'>) =>
  `${chapterPath({ id: chapter.story_id, slug: chapter.story_slug }, chapter)}/comments`;

function CommentForm({
  page,
  action,
  form,
  parentId,
  label,
}: {
  page: PageContext;
  action: string;
  form: FormState;
  parentId?: number;
  label: string;
}) {
  return (
    <form method="post" action={action} class="stacked-form comment-form" novalidate>
      <CsrfField token={page.csrfToken} />
      <FormErrors form={form} />
      {parentId !== undefined && <input type="hidden" name="parent_id" value={String(parentId)} />}
      <TextArea form={form} name="body" label={label} rows={5} maxLength={10_000} />
      <FormatSelect form={form} name="format" label="Format" />
      <button type="submit" class="button primary">
        Post comment
      </button>
    </form>
  );
}

function CommentView({ page, comment, chapter }: { page: PageContext; comment: CommentNode; chapter: CommentableChapter }) {
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      {comment.deleted_at !== null || comment.shown === 'hidden' || comment.shown === 'blocked' ? (
        <p class="muted comment-deleted">
          {comment.deleted_at !== null
            ? 'This comment was deleted.'
            : comment.shown === 'hidden'
              ? 'This comment was hidden by a moderator.'
              : 'A comment from an account you blocked.'}
        </p>
      ) : (
        <>
          {comment.shown === 'hidden-notice' && (
            <p class="notice">
              A moderator hid this comment{comment.hidden_reason ? `: ${comment.hidden_reason}` : ''}. Only its writer and moderators see
              it.
            </p>
          )}
          <p class="comment-meta">
            <a href={authorPath(comment.author_username)}>{comment.author_display_name}</a>
            {comment.author_id === chapter.author_id && <span class="badge">author</span>}{' '}
            <a class="muted" href={`/comments/${comment.id}`}>
              <time datetime={isoDate(comment.created_at)}>{formatDate(comment.created_at)}</time>
            </a>
            {comment.edited_at !== null && <span class="muted"> · edited</span>}
          </p>
          <UserHtml html={storedHtml(comment.body_html)} class="prose comment-body" />
          <div class="comment-actions">
            {page.viewer && !chapter.locked && <a href={`/comments/${comment.id}/reply`}>Reply</a>}
            {comment.canEdit && <a href={`/comments/${comment.id}/edit`}>Edit</a>}
            {page.viewer && page.viewer.id !== comment.author_id && <a href={`/report?kind=comment&id=${comment.id}`}>Report</a>}
            {canModerate(page.viewer) && (
              <form
                method="post"
                action={`/moderation/comments/${comment.id}/${comment.hidden_at === null ? 'hide' : 'restore'}`}
                class="inline-form"
              >
                <CsrfField token={page.csrfToken} />
                <button type="submit" class="link-button">
                  {comment.hidden_at === null ? 'Hide' : 'Restore'}
                </button>
              </form>
            )}
            {comment.canDelete && (
              <form method="post" action={`/comments/${comment.id}/delete`} class="inline-form">
                <CsrfField token={page.csrfToken} />
                <button type="submit" class="link-button">
                  Delete
                </button>
              </form>
            )}
          </div>
        </>
      )}
      {comment.replies.length > 0 && (
        <ol class="comment-replies">
          {comment.replies.map((reply) => (
            <CommentView page={page} comment={reply} chapter={chapter} />
          ))}
        </ol>
      )}
    </li>
  );
}

type CommentsPageProps = { page: PageContext; chapter: CommentableChapter; threads: Page<CommentNode>; total: number; form: FormState };

/** A chapter's comments, threaded, a page of threads at a time, with the form to add one. */
export function CommentsPage({ page, chapter, threads, total, form }: CommentsPageProps) {
  const story = { id: chapter.story_id, slug: chapter.story_slug };
  const path = commentsPath(chapter);
  return (
    <Layout page={page} title={`Comments · ${chapter.title} · ${chapter.story_title}`}>
      <div class="narrow-page comments-page">
        <p class="breadcrumb">
          <a href={storyPath(story)}>{chapter.story_title}</a> · <a href={chapterPath(story, chapter)}>{chapter.title}</a>
        </p>
        <h1>Comments</h1>
        <p class="muted">{plural(total, 'comment')}</p>
        {threads.items.length === 0 ? (
          <p class="muted empty">No comments yet.</p>
        ) : (
          <ol class="comments">
            {threads.items.map((comment) => (
              <CommentView page={page} comment={comment} chapter={chapter} />
            ))}
          </ol>
        )}
        <Pager page={threads} base={path} labels={['‹ Earlier comments', 'Later comments ›']} />
        {chapter.locked ? (
          <p class="notice">The author has closed this story to new comments.</p>
        ) : page.viewer ? (
          <CommentForm page={page} action={path} form={form} label="Add a comment" />
        ) : (
          <p>
            <a href={`/login?next=${encodeURIComponent(path)}`}>Log in</a> to comment.
          </p>
        )}
        {chapter.canLock && (
          <form method="post" action={`${path}/lock`} class="inline-form">
            <CsrfField token={page.csrfToken} />
            <input type="hidden" name="locked" value={chapter.locked ? '0' : '1'} />
            <button type="submit" class="link-button">
              {chapter.locked ? 'Open the story to comments again' : 'Close the story to new comments'}
            </button>
          </form>
        )}
      </div>
    </Layout>
  );
}

type OneCommentProps = { page: PageContext; chapter: CommentableChapter; comment: { id: number; body_html: string }; form: FormState };

/** Replying to one comment, or editing your own: the comment, then the form (no script needed). */
export function CommentFormPage({ page, chapter, comment, form, mode }: OneCommentProps & { mode: 'reply' | 'edit' }) {
  return (
    <Layout page={page} title={mode === 'reply' ? 'Reply' : 'Edit comment'}>
      <div class="narrow-page">
        <p class="breadcrumb">
          <a href={commentsPath(chapter)}>Comments on {chapter.title}</a>
        </p>
        <h1>{mode === 'reply' ? 'Reply' : 'Edit your comment'}</h1>
        {mode === 'reply' && <UserHtml html={storedHtml(comment.body_html)} class="prose comment-body quoted" />}
        {mode === 'reply' ? (
          <CommentForm page={page} action={commentsPath(chapter)} form={form} parentId={comment.id} label="Your reply" />
        ) : (
          <CommentForm page={page} action={`/comments/${comment.id}`} form={form} label="Comment" />
        )}
      </div>
    </Layout>
  );
}

type HistoryRow = {
  id: number;
  body_html: string;
  created_at: number;
  chapter_id: number;
  chapter_title: string;
  story_id: number;
  story_title: string;
};

/** What someone has said, newest first, each linking to its place. */
export function CommentHistoryPage({
  page,
  name,
  username,
  comments,
}: {
  page: PageContext;
  name: string;
  username: string;
  comments: Page<HistoryRow>;
}) {
  return (
    <Layout page={page} title={`Comments by ${name}`}>
      <div class="narrow-page">
        <p class="breadcrumb">
          <a href={authorPath(username)}>{name}</a>
        </p>
        <h1>Comments</h1>
        {comments.items.length === 0 && <p class="muted empty">No comments yet.</p>}
        <ol class="comments">
          {comments.items.map((comment) => (
            <li class="comment">
              <p class="comment-meta">
                On <a href={`/comments/${comment.id}`}>{comment.chapter_title}</a> of {comment.story_title} ·{' '}
                <time datetime={isoDate(comment.created_at)}>{formatDate(comment.created_at)}</time>
              </p>
              <UserHtml html={storedHtml(comment.body_html)} class="prose comment-body" />
            </li>
          ))}
        </ol>
        <Pager page={comments} base={`${authorPath(username)}/comments`} labels={['‹ Newer', 'Older ›']} />
      </div>
    </Layout>
  );
}
