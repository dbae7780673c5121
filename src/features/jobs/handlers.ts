import type { Context } from '../../context.ts';
import { buildExport } from '../account-data/account-data.service.ts';
import { federates } from '../federation/federates.ts';
import { sendMail } from '../mail/mail.service.ts';
import { sendDigests, sendDueMail } from '../notifications/notifications.mail.ts';
import { fanOutChapter } from '../notifications/notifications.service.ts';
import type { JobKind, JobPayloads } from './jobs.service.ts';

/** Who does each kind of job. */
/** Federation's jobs load Fedify when the first one runs: an archive that does not federate never does. */
const federation = () => import('../federation/federation.service.ts');

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
};
