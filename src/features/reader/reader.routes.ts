import type { FastifyInstance } from 'fastify';
import type { Context } from '../../context.ts';
import { storyScope } from '../../db/change-feed.ts';
import { localPath, pageContext, sendCachedPage, sendPage } from '../../web/page.ts';
import { parseId } from '../../web/params.ts';
import { PREFERENCES_COOKIE, PreferencesSchema, serializePreferences } from '../../web/preferences.ts';
import { ChapterReaderPage, ReadingSettingsPage } from './reader.pages.tsx';
import { readChapter } from './reader.service.ts';

type ChapterParams = { Params: { storyId: string; chapterId: string } };

export async function readerRoutes(app: FastifyInstance, ctx: Context) {
  app.get<ChapterParams>('/stories/:storyId/chapters/:chapterId', async (request, reply) => {
    const storyId = parseId(request.params.storyId, 'Story');
    const chapterId = parseId(request.params.chapterId, 'Chapter');
    return sendCachedPage(ctx, request, reply, storyScope(storyId), async () => {
      const reading = await readChapter(ctx, request.viewer, storyId, chapterId);
      return { page: ChapterReaderPage({ page: pageContext(request, reply), reading }), owner: reading.chapter.author_id };
    });
  });

  app.get('/settings/reading', async (request, reply) => sendPage(reply, ReadingSettingsPage({ page: pageContext(request, reply) })));

  // Anyone may choose how pages look, and a forged post could only change a theme: no session, no CSRF token.
  app.post<{ Body: Record<string, unknown> }>('/settings/reading', { config: { anonymous: true, csrf: false } }, async (request, reply) => {
    // Unknown values fall back to defaults rather than failing: a settings form should never be an error page.
    const preferences = PreferencesSchema.parse(request.body ?? {});
    reply.setCookie(PREFERENCES_COOKIE, serializePreferences(preferences), {
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      secure: ctx.config.secureCookies,
      maxAge: 365 * 24 * 60 * 60,
    });
    return reply.redirect(localPath(request.body?.return, '/settings/reading'), 303);
  });
}
