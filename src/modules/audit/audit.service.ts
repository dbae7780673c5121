import type { Context } from '../../kernel/context.ts';
import { auditPage } from './audit.repository.ts';

/**
 * The audit log: every moderation and admin action, written in the transaction that makes it by
 * whichever module acts (accounts, moderation, wrangling), and read by moderators.
 */
export { type AuditEntry, audit } from './audit.repository.ts';

/** A page of the log, newest first. */
export const auditLog = (ctx: Context, beforeId: number | null) => auditPage(ctx.db, beforeId, 100);
