import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Context } from '../../kernel/context.ts';

export async function healthRoutes(app: FastifyInstance, ctx: Context) {
  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok' };
    } catch {
      return reply.status(503).send({ status: 'unavailable', detail: 'The database did not answer.' });
    }
  });
}
