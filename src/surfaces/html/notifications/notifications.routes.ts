import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../kernel/context.ts';
import { pageAt } from '../../../kernel/db/pagination.ts';
import type { NotificationKind, NotificationMode } from '../../../kernel/db/schema.ts';
import { AppError } from '../../../kernel/errors.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { emptyForm } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formValues } from '../../../kernel/web/validation.ts';
import { canReceiveMail } from '../../../modules/accounts/email.service.ts';
import {
  KINDS,
  MODES,
  markAllRead,
  notificationPage,
  openNotification,
  preferencesOf,
  savePreferences,
} from '../../../modules/notifications/notifications.service.ts';
import { NotificationSettingsPage, NotificationsPage } from './notifications.pages.tsx';

export async function notificationRoutes(app: FastifyInstance, ctx: Context) {
  app.get<{ Querystring: { after?: string; before?: string } }>('/notifications', async (request, reply) => {
    const viewer = requireViewer(request);
    const list = await notificationPage(ctx, viewer.id, pageAt(request.query));
    return sendPage(reply, NotificationsPage({ page: pageContext(request, reply), list }));
  });

  // Following a notification marks it read (a GET: it changes only the reader's own unread mark).
  app.get<{ Params: { id: string } }>('/notifications/:id', async (request, reply) => {
    const target = await openNotification(ctx, requireViewer(request).id, parseId(request.params.id, 'Notification'));
    return reply.redirect(target, 303);
  });

  app.post('/notifications/read', declared(ACCESS.account, writeRate), async (request, reply) => {
    await markAllRead(ctx, requireViewer(request).id);
    return reply.redirect('/notifications', 303);
  });

  app.get<{ Querystring: { saved?: string } }>('/settings/notifications', async (request, reply) => {
    const viewer = requireViewer(request);
    const form = emptyForm(await preferencesOf(ctx, viewer.id));
    const mail = await canReceiveMail(ctx, viewer.id);
    return sendPage(reply, NotificationSettingsPage({ page: pageContext(request, reply), form, mail, saved: request.query.saved === '1' }));
  });

  app.post('/settings/notifications', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const mail = await canReceiveMail(ctx, viewer.id);
    const allowed = new Set(MODES.filter((mode) => mail || !mode.mail).map((mode) => mode.mode));
    const modes = {} as Record<NotificationKind, NotificationMode>;
    for (const { kind } of KINDS) {
      const mode = values[kind] ?? 'site';
      if (!allowed.has(mode as NotificationMode)) throw new AppError(400, 'Choose one of the offered settings for each kind.');
      modes[kind] = mode as NotificationMode;
    }
    await savePreferences(ctx, viewer.id, modes);
    return reply.redirect('/settings/notifications?saved=1', 303);
  });
}
