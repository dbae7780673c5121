import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Context } from '../../../kernel/context.ts';
import type { ReportKind } from '../../../kernel/db/schema.ts';
import { notFound } from '../../../kernel/errors.ts';
import { ACCESS, declared } from '../../../kernel/web/access.ts';
import { setFlash } from '../../../kernel/web/flash.ts';
import { emptyForm } from '../../../kernel/web/forms.tsx';
import { pageContext, sendPage } from '../../../kernel/web/page.ts';
import { parseId, requireViewer } from '../../../kernel/web/params.ts';
import { writeRate } from '../../../kernel/web/rate-limits.ts';
import { formFailure, formValues, parseInput } from '../../../kernel/web/validation.ts';
import { auditLog } from '../../../modules/audit/audit.service.ts';
import {
  fileReport,
  REPORT_KINDS,
  reportQueue,
  reportTarget,
  requireModerator,
  resolveReport,
  setCommentHidden,
  setStoryHidden,
  setSuspension,
} from '../../../modules/moderation/moderation.service.ts';
import { AuditLogPage, ModerationQueuePage, ReportPage } from './moderation.pages.tsx';

const ReportSchema = z.object({
  reason: z.string().trim().min(1, 'Say what is wrong, so moderators know what to look for.').max(2000, 'Use at most 2,000 characters.'),
});
const ReasonSchema = z.object({ reason: z.string().trim().max(500).default('') });
const SuspendSchema = ReasonSchema.extend({
  days: z.coerce
    .number({ error: 'Give a number of days.' })
    .int('Give whole days.')
    .min(1, 'At least one day.')
    .max(3650, 'At most ten years.'),
});

function kindOf(value: unknown): ReportKind {
  if (typeof value === 'string' && (REPORT_KINDS as string[]).includes(value)) return value as ReportKind;
  throw notFound('Report target');
}

type IdParams = { Params: { id: string } };

export async function moderationRoutes(app: FastifyInstance, ctx: Context) {
  app.get<{ Querystring: { kind?: string; id?: string } }>('/report', async (request, reply) => {
    const viewer = requireViewer(request);
    const kind = kindOf(request.query.kind);
    const id = parseId(request.query.id, 'Report target');
    const target = await reportTarget(ctx, viewer, kind, id);
    return sendPage(reply, ReportPage({ page: pageContext(request, reply), kind, id, label: target.label, form: emptyForm() }));
  });

  app.post('/report', declared(ACCESS.account, writeRate), async (request, reply) => {
    const viewer = requireViewer(request);
    const values = formValues(request.body);
    const kind = kindOf(values.kind);
    const id = parseId(values.id, 'Report target');
    try {
      const target = await fileReport(ctx, viewer, kind, id, parseInput(ReportSchema, values).reason);
      setFlash(reply, 'Thank you. Moderators will look at your report.');
      return reply.redirect(target.path, 303);
    } catch (error) {
      const target = await reportTarget(ctx, viewer, kind, id);
      const form = formFailure(error, values);
      return sendPage(reply, ReportPage({ page: pageContext(request, reply), kind, id, label: target.label, form }), 400);
    }
  });

  app.get('/moderation', async (request, reply) => {
    requireModerator(request.viewer);
    return sendPage(reply, ModerationQueuePage({ page: pageContext(request, reply), reports: await reportQueue(ctx) }));
  });

  app.get<{ Querystring: { before?: string } }>('/moderation/log', async (request, reply) => {
    requireModerator(request.viewer);
    const before = request.query.before ? parseId(request.query.before, 'Log entry') : null;
    return sendPage(reply, AuditLogPage({ page: pageContext(request, reply), rows: await auditLog(ctx, before) }));
  });

  app.post<IdParams>('/moderation/reports/:id/resolve', declared(ACCESS.moderator, writeRate), async (request, reply) => {
    const moderator = requireModerator(request.viewer);
    const { reason } = parseInput(ReasonSchema, formValues(request.body));
    await resolveReport(ctx, moderator, parseId(request.params.id, 'Report'), reason || 'closed');
    setFlash(reply, 'Report closed.');
    return reply.redirect('/moderation', 303);
  });

  for (const hidden of [true, false]) {
    const verb = hidden ? 'hide' : 'restore';
    app.post<IdParams>(`/moderation/stories/:id/${verb}`, declared(ACCESS.moderator, writeRate), async (request, reply) => {
      const moderator = requireModerator(request.viewer);
      const storyId = parseId(request.params.id, 'Story');
      await setStoryHidden(ctx, moderator, storyId, hidden, parseInput(ReasonSchema, formValues(request.body)).reason);
      setFlash(reply, hidden ? 'The story is hidden. Its author sees a notice.' : 'The story is restored.');
      return reply.redirect(`/stories/${storyId}`, 303);
    });
    app.post<IdParams>(`/moderation/comments/:id/${verb}`, declared(ACCESS.moderator, writeRate), async (request, reply) => {
      const moderator = requireModerator(request.viewer);
      const commentId = parseId(request.params.id, 'Comment');
      await setCommentHidden(ctx, moderator, commentId, hidden, parseInput(ReasonSchema, formValues(request.body)).reason);
      setFlash(reply, hidden ? 'The comment is hidden. Its writer sees a notice.' : 'The comment is restored.');
      return reply.redirect(`/comments/${commentId}`, 303);
    });
  }

  app.post<{ Params: { username: string } }>(
    '/moderation/users/:username/suspend',
    declared(ACCESS.moderator, writeRate),
    async (request, reply) => {
      const moderator = requireModerator(request.viewer);
      const values = formValues(request.body);
      try {
        const { days, reason } = parseInput(SuspendSchema, values);
        const user = await setSuspension(ctx, moderator, request.params.username, days, reason);
        setFlash(reply, `${user.username} is suspended for ${days} days.`);
      } catch (error) {
        const failed = formFailure(error, values);
        setFlash(reply, Object.values(failed.errors).join(' ') || failed.message || 'That suspension could not be made.');
      }
      return reply.redirect('/moderation', 303);
    },
  );

  app.post<{ Params: { username: string } }>(
    '/moderation/users/:username/unsuspend',
    declared(ACCESS.moderator, writeRate),
    async (request, reply) => {
      const moderator = requireModerator(request.viewer);
      const user = await setSuspension(
        ctx,
        moderator,
        request.params.username,
        0,
        parseInput(ReasonSchema, formValues(request.body)).reason,
      );
      setFlash(reply, `${user.username} may write again.`);
      return reply.redirect(`/users/${user.username}`, 303);
    },
  );
}
