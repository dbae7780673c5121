import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { analyze } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database, Db } from './schema.ts';

export class DumpError extends Error {}

/** Rebuilt here (the search index, by `rebuild`), or the migrator's own: never read from a dump. */
const NOT_LOADED = /^(chapter_search.*|kysely_migration.*)$/;
const COPY_LINE = /^COPY public\.("?)([a-z_][a-z0-9_]*)\1 \(([^)]*)\) FROM stdin;$/;
const IDENTIFIER = /^"?([a-z_][a-z0-9_]*)"?$/;

/**
 * Puts a `pg_dump --format=custom` backup into the database at `databaseUrl` without running a
 * statement from the dump. The dump may be crafted: pg_restore would replay its schema (a CHECK
 * calling `COPY … TO PROGRAM`, as the superuser that restores) and even its COPY statements as
 * written. Instead our own migrations build the schema in a new schema beside the archive;
 * `pg_restore --data-only -f -` turns the dump into text without connecting anywhere, and only its
 * data blocks are read, each for a table and columns of ours, fed to a COPY this code writes. The
 * foreign keys are put back after the load, which checks every row; the sequences move past the
 * ids; what is derived is rebuilt (`rebuild`: the search index) and the tables analysed. Only then, in one transaction, the
 * archive's schema is dropped and the new one takes its name: a failure anywhere before leaves the
 * archive as it was.
 */
export async function loadPgDump(
  databaseUrl: string,
  dumpFile: string,
  rebuild: (db: Db) => Promise<void>,
): Promise<{ tables: number; rows: number }> {
  const scratch = `oak_restore_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  admin.on('error', () => {});
  const pool = new pg.Pool({ connectionString: databaseUrl, options: `-c search_path=${scratch}`, max: 2 });
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let swapped = false;
  try {
    await admin.query(`CREATE SCHEMA ${scratch}`);
    await migrateToLatest(db, scratch);
    const columns = await columnsBySchemaTable(admin, scratch);
    const client = await pool.connect();
    let loaded = { tables: 0, rows: 0 };
    try {
      await client.query('BEGIN');
      const foreignKeys = (
        await client.query<{ table: string; name: string; definition: string }>(
          `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
             FROM pg_constraint WHERE contype = 'f' AND connamespace = $1::regnamespace`,
          [scratch],
        )
      ).rows;
      for (const key of foreignKeys) await client.query(`ALTER TABLE ${key.table} DROP CONSTRAINT "${key.name}"`);
      // The migrations seed some rows (the fixed tags); the dump brings the archive's own.
      await client.query(`TRUNCATE ${[...columns.keys()].map((table) => `"${table}"`).join(', ')} RESTART IDENTITY`);
      loaded = await copyDataBlocks(client, dumpFile, columns);
      if (!loaded.tables || !loaded.rows) throw new DumpError('That dump holds no Golden Oak tables.');
      // Adding a key back checks every row against it: a dump whose rows do not hang together fails here.
      for (const key of foreignKeys) await client.query(`ALTER TABLE ${key.table} ADD CONSTRAINT "${key.name}" ${key.definition}`);
      for (const [table, names] of columns) {
        if (!names.includes('id')) continue;
        await client.query(
          `SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), coalesce((SELECT max(id) FROM "${table}"), 0) + 1, false)`,
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
    await rebuild(db);
    await analyze(db);
    await admin.query('BEGIN');
    await admin.query('DROP SCHEMA IF EXISTS public CASCADE');
    await admin.query(`ALTER SCHEMA ${scratch} RENAME TO public`);
    await admin.query('COMMIT');
    swapped = true;
    return loaded;
  } catch (error) {
    await admin.query('ROLLBACK').catch(() => {});
    throw error instanceof DumpError ? error : new DumpError(`The backup's data could not be loaded: ${(error as Error).message}`);
  } finally {
    await db.destroy();
    if (!swapped) await admin.query(`DROP SCHEMA IF EXISTS ${scratch} CASCADE`).catch(() => {});
    await admin.end();
  }
}

async function columnsBySchemaTable(client: pg.Client, schema: string): Promise<Map<string, string[]>> {
  const { rows } = await client.query<{ table: string; column: string }>(
    `SELECT c.table_name AS table, c.column_name AS column FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
    [schema],
  );
  const columns = new Map<string, string[]>();
  for (const row of rows) {
    if (NOT_LOADED.test(row.table)) continue;
    columns.set(row.table, [...(columns.get(row.table) ?? []), row.column]);
  }
  return columns;
}

/** Streams each data block of the dump's text form into a COPY of ours; lines outside the blocks are never run. */
async function copyDataBlocks(client: pg.PoolClient, dumpFile: string, columns: Map<string, string[]>) {
  const reader = spawn('pg_restore', ['--data-only', '--file', '-', dumpFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  reader.stderr.on('data', (chunk) => {
    errors = (errors + chunk).slice(-2000);
  });
  const exited = once(reader, 'close');
  let tables = 0;
  let rows = 0;
  // Inside a data block: the COPY its rows go to, or 'skip' for a table rebuilt here.
  let block: { stream: NodeJS.WritableStream; done: Promise<unknown> } | 'skip' | null = null;
  try {
    for await (const line of createInterface({ input: reader.stdout, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (block) {
        if (line === '\\.') {
          if (block !== 'skip') {
            block.stream.end();
            await block.done;
          }
          block = null;
        } else if (block !== 'skip') {
          rows++;
          if (!block.stream.write(`${line}\n`)) await once(block.stream, 'drain');
        }
        continue;
      }
      if (!line.startsWith('COPY ')) continue;
      const match = COPY_LINE.exec(line);
      const table = match?.[2] ?? '';
      if (!match) throw new DumpError(`That dump holds a statement oak backup never writes: ${line.slice(0, 100)}`);
      if (NOT_LOADED.test(table)) {
        block = 'skip';
        continue;
      }
      const known = columns.get(table);
      const named = (match[3] ?? '').split(', ').map((name) => IDENTIFIER.exec(name)?.[1] ?? '');
      if (!known) throw new DumpError(`That dump holds a table Golden Oak does not have: ${table}.`);
      const stray = named.find((name) => !known.includes(name));
      if (stray !== undefined) throw new DumpError(`That dump gives ${table} a column Golden Oak does not have: ${stray || '(unnamed)'}.`);
      tables++;
      const stream = client.query(copyFrom(`COPY "${table}" (${named.map((name) => `"${name}"`).join(', ')}) FROM STDIN`));
      const done = once(stream, 'finish');
      // Awaited at the block's end; until then a failed COPY must not count as an unhandled rejection.
      done.catch(() => {});
      block = { stream, done };
    }
    if (block) throw new DumpError('That dump ends in the middle of a table.');
  } catch (error) {
    reader.kill();
    throw error;
  }
  const [code] = await exited;
  if (code !== 0) throw new DumpError(`pg_restore could not read that dump: ${errors.trim() || `exit ${code}`}`);
  return { tables, rows };
}
