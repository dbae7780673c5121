import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Context } from '../../kernel/context.ts';
import { describeError } from '../../kernel/web/error-replies.ts';

/** The health check answers load balancers in JSON, its errors too (registered as such, not by address). */
export async function healthRoutes(app: FastifyInstance, ctx: Context) {
  await app.register(async (health) => {
    health.setErrorHandler((error, _request, reply) => {
      const { status, message } = describeError(error);
      return reply.status(status).send({ status: 'error', detail: message });
    });
    health.get('/healthz', async (_request, reply) => {
      try {
        await sql`select 1`.execute(ctx.db);
        return { status: 'ok' };
      } catch {
        return reply.status(503).send({ status: 'unavailable', detail: 'The database did not answer.' });
      }
    });
  });
}
