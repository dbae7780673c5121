import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { storyScope } from '../../../kernel/db/change-feed.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { ADULT_COOKIE, needsAdultNotice } from '../../../kernel/web/adult-content.ts';
import { canonicalRedirect, localPath, pageContext, sendCachedPage, sendPage } from '../../../kernel/web/page.ts';
import { parseId } from '../../../kernel/web/params.ts';
import { chapterPath } from '../../../kernel/web/paths.ts';
import { PREFERENCES_COOKIE, PreferencesSchema, serializePreferences } from '../../../kernel/web/preferences.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { saveReadingPreferences } from '../../../modules/accounts/accounts.service.ts';
import { commentCount } from '../../../modules/comments/comments.service.ts';
import { recordVisit } from '../../../modules/progress/progress.service.ts';
import { readChapter } from '../../../modules/reader/reader.service.ts';
import { storyAuthors } from '../../../modules/stories/stories.policy.ts';
import { flushViews, recordView } from '../../../modules/views/views.counter.ts';
import { AdultNoticePage } from './adult-notice.tsx';
import { ChapterReaderPage, ReadingSettingsPage } from './reader.pages.tsx';

type ChapterParams = { Params: { storyId: string; chapterId: string } };

export async function readerRoutes(app: FastifyInstance, ctx: Context) {
  app.get<ChapterParams>('/stories/:storyId/chapters/:chapterId', async (request, reply) => {
    const storyId = parseId(request.params.storyId, 'Story');
    const chapterId = parseId(request.params.chapterId, 'Chapter');
    // A signed-in reader's place moves here, script or not (a draft or a wrong pair records nothing).
    if (request.viewer) await recordVisit(ctx, request.viewer, storyId, chapterId);
    const sent = await sendCachedPage(ctx, request, reply, storyScope(storyId), async () => {
      const read = await readChapter(ctx, request.viewer, storyId, chapterId);
      const reading = { ...read, comments: await commentCount(ctx, read.chapter) };
      const moved = canonicalRedirect(request, chapterPath(reading.story, reading.chapter));
      if (moved) return moved;
      const { story_title: title, story_rating: rating } = reading.chapter;
      // Without an owner the notice is never handed to a signed-in reader as a shared page.
      if (needsAdultNotice(request, rating)) return { page: AdultNoticePage({ page: pageContext(request, reply), title, rating }) };
      return { page: ChapterReaderPage({ page: pageContext(request, reply), reading }), owners: storyAuthors(reading.chapter) };
    });
    // Each reader counts once a day; the counter writes in batches (modules/views).
    if (reply.statusCode === 200 || reply.statusCode === 304) {
      if (recordView(ctx, chapterId, storyId, request.viewer ? `user:${request.viewer.id}` : `address:${request.ip}`))
        await flushViews(ctx);
    }
    return sent;
  });

  // "Proceed" on the adult-content notice: remembered for this browser session, then back to the story.
  app.get<{ Querystring: { return?: string } }>('/adult-content', async (request, reply) => {
    reply.setCookie(ADULT_COOKIE, '1', { path: '/', sameSite: 'lax', httpOnly: true, secure: ctx.config.secureCookies });
    return reply.redirect(localPath(request.query.return), 303);
  });

  app.get('/settings/reading', async (request, reply) => sendPage(reply, ReadingSettingsPage({ page: pageContext(request, reply) })));

  // Anyone may choose how pages look, and a forged post could only change a theme: no session, no CSRF token.
  app.post<{ Body: Record<string, unknown> }>(
    '/settings/reading',
    declared({ ...ACCESS.public, csrf: 'none' }, writeRate),
    async (request, reply) => {
      // Unknown values fall back to defaults rather than failing: a settings form should never be an error page.
      const serialized = serializePreferences(PreferencesSchema.parse(request.body ?? {}));
      if (request.viewer) await saveReadingPreferences(ctx, request.viewer, serialized);
      reply.setCookie(PREFERENCES_COOKIE, serialized, {
        path: '/',
        sameSite: 'lax',
        httpOnly: true,
        secure: ctx.config.secureCookies,
        maxAge: 365 * 24 * 60 * 60,
      });
      return reply.redirect(localPath(request.body?.return, '/settings/reading'), 303);
    },
  );
}
