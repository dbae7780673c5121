import { type Compilable, CompiledQuery } from 'kysely';
import type { Db } from './schema.ts';

/**
 * A query built and compiled once, then run with new arguments: for the few queries every page
 * runs, where building and compiling with Kysely cost more than the database did. `build` is called
 * once with stand-ins for its arguments; wherever a stand-in lands among the compiled parameters,
 * the real argument goes at each call. The query's shape must not depend on argument values.
 * Compiled once per dialect (the SQL differs), found by the class of the database's adapter.
 */
export function prepared<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>) {
  type Compiled = { sql: string; parameters: readonly unknown[]; slots: number[] };
  const byDialect = new Map<unknown, Compiled>();
  return async (db: Db, ...args: A): Promise<R[]> => {
    const dialect = db.getExecutor().adapter.constructor;
    let compiled = byDialect.get(dialect);
    if (!compiled) {
      const standIns = args.map((_, index) => ({ standIn: index }));
      const query = build(db, ...(standIns as unknown as A)).compile();
      const slots = query.parameters.map((value) => standIns.indexOf(value as { standIn: number }));
      compiled = { sql: query.sql, parameters: query.parameters, slots };
      byDialect.set(dialect, compiled);
    }
    const { sql, parameters, slots } = compiled;
    const values = slots.map((slot, index) => (slot >= 0 ? args[slot] : parameters[index]));
    return (await db.executeQuery<R>(CompiledQuery.raw(sql, values))).rows;
  };
}
