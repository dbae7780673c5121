import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../context.ts';
import { type RenderedPage, sendCachedPage, sendRendered } from '../../web/page.ts';

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
  return personal || request.viewer?.muting || request.viewer?.defaultFilter
    ? sendRendered(reply, await render())
    : sendCachedPage(ctx, request, reply, 'lists', render);
}
