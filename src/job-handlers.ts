import type { Context } from './kernel/context.ts';
import type { JobKind, JobPayloads } from './kernel/jobs/jobs.ts';
import { sendMail } from './kernel/mail/mail.ts';
import { buildExport } from './modules/account-data/account-data.service.ts';
import { federates } from './modules/federation/federates.ts';
import { sendDigests, sendDueMail } from './modules/notifications/notifications.mail.ts';
import { fanOutChapter } from './modules/notifications/notifications.service.ts';
import { reindexAll } from './modules/search/search.index.ts';

/** Who does each kind of job: the composition root's list, so the queue (src/kernel/jobs) knows no module. */
// Federation's jobs load Fedify when the first one runs: an archive that does not federate never does.
const federation = () => import('./modules/federation/federation.service.ts');

export const HANDLERS: { [K in JobKind]: (ctx: Context, payload: JobPayloads[K]) => Promise<void> } = {
  'mail.send': sendMail,
  // Readers here hear first; then, when the archive federates, followers elsewhere.
  'notify.chapter': async (ctx, payload) => {
    await fanOutChapter(ctx, payload);
    if (federates(ctx)) await (await federation()).chapterFederated(ctx, payload.chapterId);
  },
  'notifications.mail': sendDueMail,
  'notifications.digest': sendDigests,
  'account.export': buildExport,
  'federation.chapter': async (ctx, payload) => (await federation()).federateChapter(ctx, payload),
  'federation.withdraw': async (ctx, payload) => (await federation()).federateWithdrawal(ctx, payload),
  'federation.task': async (ctx, payload) => (await federation()).runFederationTask(ctx, payload),
  'search.reindex': (ctx) => reindexAll(ctx.db),
};
