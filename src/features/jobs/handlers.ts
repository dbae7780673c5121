import type { Context } from '../../context.ts';
import { buildExport } from '../account-data/account-data.service.ts';
import { chapterFederated, federateChapter, federateWithdrawal, runFederationTask } from '../federation/federation.service.ts';
import { sendMail } from '../mail/mail.service.ts';
import { sendDigests, sendDueMail } from '../notifications/notifications.mail.ts';
import { fanOutChapter } from '../notifications/notifications.service.ts';
import type { JobKind, JobPayloads } from './jobs.service.ts';

/** Who does each kind of job. */
export const HANDLERS: { [K in JobKind]: (ctx: Context, payload: JobPayloads[K]) => Promise<void> } = {
  'mail.send': sendMail,
  // Readers here hear first; then, when the archive federates, followers elsewhere.
  'notify.chapter': async (ctx, payload) => {
    await fanOutChapter(ctx, payload);
    await chapterFederated(ctx, payload.chapterId);
  },
  'notifications.mail': sendDueMail,
  'notifications.digest': sendDigests,
  'account.export': buildExport,
  'federation.chapter': federateChapter,
  'federation.withdraw': federateWithdrawal,
  'federation.task': runFederationTask,
};
