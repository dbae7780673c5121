import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { storyScope } from '../../../kernel/db/change-feed.ts';
import { notFound } from '../../../kernel/errors.ts';
import { needsAdultNotice } from '../../../kernel/web/adult-content.ts';
import { pageContext, sendCachedPage } from '../../../kernel/web/page.ts';
import { parseId } from '../../../kernel/web/params.ts';
import { isFormat, storyDownload } from '../../../modules/export/export.service.ts';
import { chapterTexts, storyHead } from '../../../modules/export/story-document.ts';
import { canViewStory, storyAuthors } from '../../../modules/stories/stories.policy.ts';
import { AdultNoticePage } from '../reader/adult-notice.tsx';
import { EntireStoryPage } from './export.pages.tsx';

type StoryParams = { Params: { storyId: string } };

export async function exportRoutes(app: FastifyInstance, ctx: Context) {
  // A download is built once per version of the story and then served from the cache as a stream.
  app.get<{ Params: { storyId: string; format: string } }>('/stories/:storyId/download/:format', async (request, reply) => {
    const storyId = parseId(request.params.storyId, 'Story');
    if (!isFormat(request.params.format)) throw notFound('Download format');
    const download = await storyDownload(ctx, request.viewer, storyId, request.params.format);
    reply
      .header('content-type', download.type)
      .header('content-disposition', `attachment; filename="${download.filename}"`)
      .header('etag', download.etag)
      .header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === download.etag) return reply.status(304).send();
    return reply.send(createReadStream(download.path));
  });

  app.get<StoryParams>('/stories/:storyId/full', async (request, reply) => {
    const storyId = parseId(request.params.storyId, 'Story');
    return sendCachedPage(ctx, request, reply, storyScope(storyId), async () => {
      const head = await storyHead(ctx.db, storyId);
      if (!head || head.story.published_at === null || !canViewStory(request.viewer, head.story)) throw notFound('Story');
      const { title, rating } = head.story;
      if (needsAdultNotice(request, rating)) return { page: AdultNoticePage({ page: pageContext(request, reply), title, rating }) };
      const chapters = [];
      for await (const chapter of chapterTexts(ctx.db, head)) chapters.push(chapter);
      return { page: EntireStoryPage({ page: pageContext(request, reply), head, chapters }), owners: storyAuthors(head.story) };
    });
  });
}
