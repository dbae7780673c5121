import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import type { Config } from '../../kernel/config.ts';
import { analyze, openDatabase, sqliteFileIn } from '../../kernel/db/database.ts';
import { migrateToLatest } from '../../kernel/db/migrate.ts';
import type { Db } from '../../kernel/db/schema.ts';
import { reindexAll } from '../search/search.index.ts';

const BATCH = 500;
/** Rebuilt on the other side (each database indexes text its own way), or the migrator's own. */
const NOT_COPIED = /^(chapter_search.*|kysely_migration.*|sqlite_.*)$/;

export class MigrationCopyError extends Error {}

export type TableReport = { table: string; rows: number; copied: number; sqliteChecksum: string; postgresChecksum: string; same: boolean };

type Row = Record<string, unknown>;

/** An order-independent checksum of a table's rows: the sum of each row's hash, so both sides may read in their own order. */
function checksum() {
  let sum = 0n;
  let rows = 0;
  return {
    add(row: Row, columns: string[]) {
      const values = columns.map((column) => {
        const value = row[column];
        return typeof value === 'bigint' ? Number(value) : value;
      });
      sum = (sum + BigInt(`0x${createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 16)}`)) % 2n ** 64n;
      rows++;
    },
    get value() {
      return { rows, hex: sum.toString(16).padStart(16, '0') };
    },
  };
}

/** Tables in an order where every row's parents come first (rows of one table by their key). */
async function tablesInOrder(pg: Db): Promise<string[]> {
  const tables = (
    await sql<{
      name: string;
    }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(pg)
  ).rows
    .map((row) => row.name)
    .filter((name) => !NOT_COPIED.test(name));
  const edges = (
    await sql<{
      child: string;
      parent: string;
    }>`select tc.table_name as child, ccu.table_name as parent from information_schema.table_constraints tc join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = 'public'`.execute(
      pg,
    )
  ).rows;
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (ordered.includes(table) || visiting.has(table)) return;
    visiting.add(table);
    for (const edge of edges) if (edge.child === table && edge.parent !== table && tables.includes(edge.parent)) visit(edge.parent);
    visiting.delete(table);
    ordered.push(table);
  };
  for (const table of tables.sort()) visit(table);
  return ordered;
}

async function keyColumns(pg: Db, table: string): Promise<string[]> {
  const rows = (
    await sql<{
      column: string;
    }>`select kcu.column_name as column from information_schema.table_constraints tc join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name where tc.table_name = ${table} and tc.constraint_type = 'PRIMARY KEY' order by kcu.ordinal_position`.execute(
      pg,
    )
  ).rows;
  return rows.map((row) => row.column);
}

/** Columns that point at another row of the same table (a synonym's canonical tag): copied after every row is in. */
async function selfReferences(pg: Db, table: string): Promise<string[]> {
  return (
    await sql<{
      column: string;
    }>`select kcu.column_name as column from information_schema.table_constraints tc join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name where tc.constraint_type = 'FOREIGN KEY' and tc.table_name = ${table} and ccu.table_name = ${table}`.execute(
      pg,
    )
  ).rows.map((row) => row.column);
}

async function columnsOf(pg: Db, table: string): Promise<string[]> {
  return (
    await sql<{
      column: string;
    }>`select column_name as column from information_schema.columns where table_name = ${table} and table_schema = 'public' order by ordinal_position`.execute(
      pg,
    )
  ).rows.map((row) => row.column);
}

/** Reads a table a batch at a time in key order (row-value comparison works in both databases). */
async function* batches(db: Db, table: string, key: string[]) {
  let after: unknown[] | null = null;
  for (;;) {
    const keyList = sql.join(key.map((column) => sql.ref(column)));
    const where = after ? sql`where (${keyList}) > (${sql.join(after.map((value) => sql`${value}`))})` : sql``;
    const rows = (await sql<Row>`select * from ${sql.table(table)} ${where} order by ${keyList} limit ${BATCH}`.execute(db)).rows;
    if (rows.length === 0) return;
    yield rows;
    const last = rows.at(-1) as Row;
    after = key.map((column) => last[column]);
    if (rows.length < BATCH) return;
  }
}

/**
 * Copies a SQLite archive into an empty PostgreSQL database: the schema made by the migrations,
 * every table copied in key order with its ids, the sequences moved past them, the search index
 * rebuilt, then each table's row count and checksum compared on both sides.
 */
export async function migrateToPostgres(
  config: Config,
  databaseUrl: string,
  onTable: (report: TableReport) => void = () => {},
): Promise<TableReport[]> {
  const file = sqliteFileIn(config.dataDir);
  if (!existsSync(file)) throw new MigrationCopyError(`There is no SQLite archive at ${file}: set DATA_DIR to the archive's folder.`);
  const source = openDatabase({ sqliteFile: file });
  const target = openDatabase({ databaseUrl });
  try {
    const existing =
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%'`.execute(
          target.db,
        )
      ).rows[0]?.n ?? 0;
    if (existing > 0) {
      const users = (
        await sql<{
          n: number;
        }>`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'users'`.execute(
          target.db,
        )
      ).rows[0]?.n;
      const holding = users ? ((await sql<{ n: number }>`select count(*)::int as n from users`.execute(target.db)).rows[0]?.n ?? 0) : 0;
      if (holding > 0)
        throw new MigrationCopyError('That PostgreSQL database already holds an archive: give the URL of an empty database.');
    }
    await migrateToLatest(source.db);
    await migrateToLatest(target.db);
    const tables = await tablesInOrder(target.db);
    const reports: TableReport[] = [];
    await target.db.transaction().execute(async (trx) => {
      // The migrations seed some rows (the fixed tags); the copy replaces them with the archive's own.
      await sql`truncate ${sql.join(tables.map((table) => sql.table(table)))} restart identity cascade`.execute(trx);
      for (const table of tables) {
        const columns = await columnsOf(trx, table);
        const key = await keyColumns(trx, table);
        const later = await selfReferences(trx, table);
        const sum = checksum();
        let copied = 0;
        for await (const rows of batches(source.db, table, key.length ? key : columns)) {
          const values = rows.map((row) =>
            Object.fromEntries(columns.map((column) => [column, later.includes(column) ? null : (row[column] ?? null)])),
          );
          await trx
            .insertInto(table as never)
            .values(values as never)
            .execute();
          for (const row of rows) sum.add(row, columns);
          copied += rows.length;
        }
        for (const column of later) {
          for await (const rows of batches(source.db, table, ['id'])) {
            for (const row of rows.filter((r) => r[column] !== null)) {
              await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${row[column]} where id = ${row.id}`.execute(trx);
            }
          }
        }
        if (columns.includes('id')) {
          await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(
            trx,
          );
        }
        const check = checksum();
        for await (const rows of batches(trx, table, key.length ? key : columns)) for (const row of rows) check.add(row, columns);
        const report = {
          table,
          rows: sum.value.rows,
          copied,
          sqliteChecksum: sum.value.hex,
          postgresChecksum: check.value.hex,
          same: sum.value.hex === check.value.hex && sum.value.rows === check.value.rows,
        };
        if (!report.same)
          throw new MigrationCopyError(
            `${table} differs after the copy (${report.rows} rows read, checksums ${report.sqliteChecksum} and ${report.postgresChecksum}); nothing was kept.`,
          );
        reports.push(report);
        onTable(report);
      }
      await reindexAll(trx);
    });
    await analyze(target.db);
    return reports;
  } finally {
    await source.db.destroy();
    await target.db.destroy();
  }
}
