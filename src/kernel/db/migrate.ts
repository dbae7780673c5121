import { type MigrationResultSet, Migrator } from 'kysely';
import { dialectOf } from './database.ts';
import { initial } from './migrations/0001_initial.ts';
import { hardening } from './migrations/0002_hardening.ts';
import { firstSteps } from './migrations/0003_first_steps.ts';
import { typedTags } from './migrations/0004_typed_tags.ts';
import { muteLists } from './migrations/0005_mute_lists.ts';
import { wrangling } from './migrations/0006_wrangling.ts';
import { search } from './migrations/0007_search.ts';
import { savedSearches } from './migrations/0008_saved_searches.ts';
import { storyLanguage } from './migrations/0009_language.ts';
import { titleSort } from './migrations/0010_title_sort.ts';
import { tagNames } from './migrations/0011_tag_names.ts';
import { comments } from './migrations/0012_comments.ts';
import { kudos } from './migrations/0013_kudos.ts';
import { shelves } from './migrations/0014_shelves.ts';
import { jobs } from './migrations/0015_jobs.ts';
import { followsNotifications } from './migrations/0016_follows_notifications.ts';
import { readingProgress } from './migrations/0017_reading_progress.ts';
import { moderation } from './migrations/0018_moderation.ts';
import { views } from './migrations/0019_views.ts';
import { seriesCoauthors } from './migrations/0020_series_coauthors.ts';
import { accountData } from './migrations/0021_account_data.ts';
import { apiTokens } from './migrations/0022_api_tokens.ts';
import { federation } from './migrations/0023_federation.ts';
import { systemAccount } from './migrations/0024_system_account.ts';
import { mailClaims } from './migrations/0025_mail_claims.ts';
import { searchDigests } from './migrations/0026_search_digests.ts';
import type { Db, Dialect } from './schema.ts';

/** Versioned migrations, in order. Append; never edit one that has shipped. */
function migrations(dialect: Dialect) {
  return {
    '0001_initial': initial(dialect),
    '0002_hardening': hardening(dialect),
    '0003_first_steps': firstSteps(dialect),
    '0004_typed_tags': typedTags(),
    '0005_mute_lists': muteLists(dialect),
    '0006_wrangling': wrangling(dialect),
    '0007_search': search(dialect),
    '0008_saved_searches': savedSearches(dialect),
    '0009_language': storyLanguage(),
    '0010_title_sort': titleSort(dialect),
    '0011_tag_names': tagNames(),
    '0012_comments': comments(dialect),
    '0013_kudos': kudos(dialect),
    '0014_shelves': shelves(dialect),
    '0015_jobs': jobs(dialect),
    '0016_follows_notifications': followsNotifications(dialect),
    '0017_reading_progress': readingProgress(dialect),
    '0018_moderation': moderation(dialect),
    '0019_views': views(dialect),
    '0020_series_coauthors': seriesCoauthors(dialect),
    '0021_account_data': accountData(dialect),
    '0022_api_tokens': apiTokens(dialect),
    '0023_federation': federation(dialect),
    '0024_system_account': systemAccount(),
    '0025_mail_claims': mailClaims(),
    '0026_search_digests': searchDigests(),
  };
}

export class MigrationError extends Error {}

/** `schema`: a PostgreSQL schema other than public to build in (a restore builds beside the archive, then swaps). */
export async function migrateToLatest(db: Db, schema?: string): Promise<string[]> {
  const dialect = dialectOf(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations(dialect) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
