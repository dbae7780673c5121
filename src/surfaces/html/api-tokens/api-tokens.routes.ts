import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm, type FormState } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { passwordRate, writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { confirmPassword } from '../../../modules/accounts/accounts.service.ts';
import { createToken, revokeToken, tokensOf } from '../../../modules/api-tokens/api-tokens.ts';
import { ApiTokensPage } from './api-tokens.pages.tsx';

const TokenSchema = z.object({
  name: z.string().trim().min(1, 'Say what the token is for.').max(100, 'Use at most 100 characters.'),
  scopes: z
    .string()
    .default('')
    .transform((value) => value.split('\n').filter((scope) => scope === 'read' || scope === 'write') as ('read' | 'write')[])
    .refine((scopes) => scopes.length > 0, 'Choose what the token may do.'),
  // Every token ends: a year at most.
  expires: z.enum(['30', '90', '365'], { error: 'Choose when the token ends.' }),
  password: z.string().min(1, 'Enter your password: a token can do what you can.'),
});

export async function apiTokenRoutes(app: FastifyInstance, ctx: Context) {
  const render = async (request: FastifyRequest, reply: FastifyReply, form: FormState, created: string | null, status = 200) => {
    const viewer = requireViewer(request);
    const tokens = await tokensOf(ctx.db, viewer.id);
    return sendPage(reply, ApiTokensPage({ page: pageContext(request, reply), tokens, form, created }), status);
  };

  app.get('/settings/tokens', (request, reply) => render(request, reply, emptyForm({ scopes: 'read', expires: '90' }), null));

  // The new token is shown on the page the form returns, once; it is never stored or sent again.
  app.post('/settings/tokens', declared(ACCESS.account, passwordRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    try {
      const input = parseInput(TokenSchema, values);
      await confirmPassword(ctx, viewer, input.password);
      const token = await createToken(ctx, viewer, { name: input.name, scopes: input.scopes, days: Number(input.expires) });
      reply.header('cache-control', 'no-store');
      return render(request, reply, emptyForm({ scopes: 'read', expires: '90' }), token);
    } catch (error) {
      return render(request, reply, formFailure(error, values, ['password']), null, 400);
    }
  });

  app.post<{ Params: { id: string } }>('/settings/tokens/:id/revoke', declared(ACCESS.account, writeRate), async (request, reply) => {
    await revokeToken(ctx, requireViewer(request), parseId(request.params.id, 'Token'));
    setFlash(reply, 'Token revoked: it no longer works.');
    return reply.redirect('/settings/tokens', 303);
  });
}
