import type { Context } from '../../kernel/context.ts';
import { siteUrl } from '../../kernel/mail/mail.ts';
import * as notifications from './notifications.repository.ts';
import { describe } from './notifications.service.ts';

const BATCH = 50;
/** How long a run holds the mail it claimed; after a crash, another sends it once more. */
const CLAIM_MS = 10 * 60 * 1000;
/** A digest lists at most this many notifications; the rest are on the site. */
const DIGEST_LIMIT = 100;

const footer = (base: string) => `\n\n--\nGolden Oak. Choose which mail you receive: ${base}/settings/notifications`;

/**
 * The job that sends notifications due by mail now, one mail each, a batch at a time. A batch is
 * claimed before it is sent, so runs side by side (oak serve's and oak worker's) never send the
 * same one; each is marked sent as it goes, so a failure part-way sends none twice, and a crash
 * between sending and marking at most once more, when the claim lapses. An address removed or
 * unverified since is skipped.
 */
export async function sendDueMail(ctx: Context) {
  if (!ctx.mailer) return;
  const base = siteUrl(ctx.config);
  const claim = () => {
    const now = ctx.clock.now();
    return notifications.claimDueMail(ctx.db, now, now + CLAIM_MS, BATCH);
  };
  for (let rows = await claim(); rows.length > 0; rows = await claim()) {
    for (const row of rows) {
      const { text, href } = describe(row);
      if (row.recipient_email) {
        await ctx.mailer.send({ to: row.recipient_email, subject: text, text: `${text}\n\n${base}${href}${footer(base)}` });
      }
      await notifications.clearMail(ctx.db, [row.id]);
    }
  }
}

/** The daily digest: one mail per reader listing what happened since the last one; claimed as sendDueMail's are. */
export async function sendDigests(ctx: Context) {
  if (ctx.mailer) {
    const base = siteUrl(ctx.config);
    let after = 0;
    for (let users = await notifications.digestRecipients(ctx.db, after, BATCH, ctx.clock.now()); users.length > 0; ) {
      for (const userId of users) {
        const now = ctx.clock.now();
        const rows = await notifications.claimDigest(ctx.db, userId, now, now + CLAIM_MS);
        const email = rows[0]?.recipient_email;
        if (email) {
          const lines = rows.slice(0, DIGEST_LIMIT).map((row) => {
            const { text, href } = describe(row);
            return `• ${text}\n  ${base}${href}`;
          });
          await ctx.mailer.send({
            to: email,
            subject: `Golden Oak: ${rows.length} new ${rows.length === 1 ? 'notification' : 'notifications'}`,
            text: `${lines.join('\n')}\n\nAll of them: ${base}/notifications${footer(base)}`,
          });
        }
        await notifications.clearMail(
          ctx.db,
          rows.map((row) => row.id),
        );
        after = userId;
      }
      users = await notifications.digestRecipients(ctx.db, after, BATCH, ctx.clock.now());
    }
  }
}
