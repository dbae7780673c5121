import type { Config } from '../config.ts';
import type { Context } from '../context.ts';
import type { Mail } from './mailer.ts';

/** Mail needs absolute links: PUBLIC_URL, or the address the archive listens on. */
export function siteUrl(config: Config): string {
  return config.publicUrl?.replace(/\/$/, '') ?? `http://${config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
}

/** The job behind every single mail (verification, password reset): sent, or retried by the queue. */
export async function sendMail(ctx: Context, mail: Mail) {
  if (!ctx.mailer) throw new Error('SMTP_URL is not set, so no mail can be sent');
  await ctx.mailer.send(mail);
}
