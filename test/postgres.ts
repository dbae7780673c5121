import pg from 'pg';
import { openDatabase } from '../src/kernel/db/database.ts';
import { migrateToLatest } from '../src/kernel/db/migrate.ts';

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The same server as `url`, another database on it. */
export function urlFor(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function createTemplateDatabase(url: string, name: string) {
  await dropDatabase(url, name);
  await withAdmin(url, (client) => client.query(`CREATE DATABASE "${name}"`));
  const { db } = openDatabase({ databaseUrl: urlFor(url, name) });
  await migrateToLatest(db);
  await db.destroy();
}

export async function cloneDatabase(url: string, template: string, name: string) {
  await withAdmin(url, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
}

export async function dropDatabase(url: string, name: string) {
  await withAdmin(url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
