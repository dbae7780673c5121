import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../../kernel/context.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm, type FormState } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { authorPath } from '../../../kernel/web/paths.ts';
import { passwordRate, writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import {
  changeUsername,
  deleteAccount,
  exportDownload,
  exportsFor,
  requestExport,
} from '../../../modules/account-data/account-data.service.ts';
import { UsernameSchema } from '../../../modules/accounts/accounts.schema.ts';
import { SESSION_COOKIE } from '../../../modules/accounts/sessions.ts';
import { AccountDataPage, DeleteAccountPage } from './account-data.pages.tsx';

const RenameSchema = z.object({ username: UsernameSchema, password: z.string().max(256) });
const DeleteSchema = z.object({
  stories: z.enum(['orphan', 'delete'], { error: 'Choose what happens to your stories.' }),
  password: z.string().max(256),
  confirm: z.literal('yes', { error: 'Tick the box to confirm.' }),
});

export async function accountDataRoutes(app: FastifyInstance, ctx: Context) {
  const dataPage = async (
    request: Parameters<typeof requireViewer>[0],
    reply: Parameters<typeof sendPage>[0],
    username: FormState,
    status = 200,
  ) =>
    sendPage(
      reply,
      AccountDataPage({ page: pageContext(request, reply), username, exports: await exportsFor(ctx, requireViewer(request)) }),
      status,
    );

  app.get('/settings/data', (request, reply) => dataPage(request, reply, emptyForm()));

  app.post('/settings/username', declared(ACCESS.account, passwordRate), async (request, reply) => {
    const values = formValues(request.body);
    try {
      const username = await changeUsername(ctx, requireViewer(request), parseInput(RenameSchema, values));
      setFlash(reply, `You are now ${username}.`);
      return reply.redirect(authorPath(username), 303);
    } catch (error) {
      return dataPage(request, reply, formFailure(error, values, ['password']), 400);
    }
  });

  app.post('/settings/export', declared(ACCESS.account, writeRate), async (request, reply) => {
    await requestExport(ctx, requireViewer(request));
    setFlash(reply, 'Your download is being made. It appears here when it is ready.');
    return reply.redirect('/settings/data', 303);
  });

  app.get<{ Params: { id: string } }>('/settings/export/:id', async (request, reply) => {
    const bytes = await exportDownload(ctx, requireViewer(request), parseId(request.params.id, 'Download'));
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="golden-oak-${request.viewer?.username}.zip"`)
      .header('cache-control', 'no-store')
      .send(bytes);
  });

  app.get('/settings/delete', async (request, reply) => {
    requireViewer(request);
    return sendPage(reply, DeleteAccountPage({ page: pageContext(request, reply), form: emptyForm({ stories: 'orphan' }) }));
  });

  app.post('/settings/delete', declared(ACCESS.account, passwordRate), async (request, reply) => {
    const values = formValues(request.body);
    try {
      await deleteAccount(ctx, requireViewer(request), parseInput(DeleteSchema, values));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      setFlash(reply, 'Your account is deleted. Thank you for the time you spent here.');
      return reply.redirect('/', 303);
    } catch (error) {
      return sendPage(reply, DeleteAccountPage({ page: pageContext(request, reply), form: formFailure(error, values, ['password']) }), 400);
    }
  });
}
