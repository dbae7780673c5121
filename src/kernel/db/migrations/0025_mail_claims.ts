import type { Kysely } from 'kysely';
import type { Migration } from './migration.ts';

/**
 * A notification's mail is claimed before it is sent: `mail_claimed_until` is the lease of the
 * run sending it. Two runs (oak serve's worker and oak worker) used to select the same unsent rows
 * and mail each two or three times.
 */
export function mailClaims(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('notifications').addColumn('mail_claimed_until', 'bigint').execute();
    },
  };
}
