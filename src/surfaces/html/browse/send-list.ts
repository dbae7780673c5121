import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { fewAtOnce } from '../../../kernel/web/few-at-once.ts';
import { type RenderedPage, sendCachedPage, sendRendered } from '../../../kernel/web/page.ts';
import { FILTER_PARAMS } from '../../../modules/stories/filters.ts';

/** What a list page reads from its address: its filters, its place (cursors, ?all), muted stories shown, search words. */
const LIST_PARAMS = [...FILTER_PARAMS, 'after', 'before', 'all', 'muted', 'q'];

/**
 * Lists rendered at once, per process. A list can be the slowest query the archive makes (a tag page
 * before ANALYZE took seconds); more at a time would take every pooled connection and stall story
 * and chapter pages behind them.
 */
const listRenders = fewAtOnce(4);

/**
 * A list page (home, author, tag, search): from the shared cache, unless the reader's mute list or
 * default filters, or something `personal` on the page (where they are in their reading), make it
 * theirs alone (rendered for them, never stored).
 */
export async function sendList(
  ctx: Context,
  request: FastifyRequest,
  reply: FastifyReply,
  render: () => Promise<RenderedPage>,
  personal = false,
) {
  const limited = () => listRenders(render);
  return personal || request.viewer?.muting || request.viewer?.defaultFilter
    ? sendRendered(reply, await limited())
    : sendCachedPage(ctx, request, reply, 'lists', limited, LIST_PARAMS);
}
