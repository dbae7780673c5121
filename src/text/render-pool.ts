import { Piscina } from 'piscina';
import { AppError } from '../errors.ts';
import { EpubError, type ImportedBook } from '../features/import/epub.parser.ts';
import type { BookResult } from './book.worker.ts';
import type { SafeHtml } from './render.ts';
import type { RenderResult, RenderTask } from './render.worker.ts';

export type Rendered = { html: SafeHtml; words: number; notices: string[] };

/** Formats user text off the main thread, within a time budget. */
export type Renderer = {
  render(task: RenderTask): Promise<Rendered[]>;
  /** Reads an EPUB in a worker; a book that cannot be imported rejects with an EpubError saying why. */
  readBook(bytes: Uint8Array): Promise<ImportedBook>;
  close(): Promise<void>;
};

export const DEFAULT_RENDER_BUDGET_MS = 10_000;

// From source (tests, tsx) the worker is TypeScript and needs tsx's loader; the build ships it as JavaScript.
const fromSource = import.meta.url.endsWith('.ts');
const workerFile = (name: string) => new URL(fromSource ? `./${name}.ts` : `./${name}.js`, import.meta.url).href;

export function createRenderer(budgetMs = DEFAULT_RENDER_BUDGET_MS): Renderer {
  // Threads start on first use and stop when idle, so an idle archive holds no worker memory.
  const poolOf = (name: string, maxThreads: number) =>
    new Piscina({
      filename: workerFile(name),
      minThreads: 0,
      maxThreads,
      idleTimeout: 30_000,
      execArgv: fromSource ? ['--import', 'tsx'] : [],
    });
  const pool = poolOf('render.worker', 2);
  // Books get a thread of their own: one import at a time, never in the way of saves.
  const books = poolOf('book.worker', 1);
  return {
    async render(task) {
      const signal = AbortSignal.timeout(budgetMs);
      try {
        return (await pool.run(task, { signal })) as RenderResult as Rendered[];
      } catch (error) {
        if (signal.aborted) throw tooSlow(budgetMs);
        throw error;
      }
    },
    async readBook(bytes) {
      const signal = AbortSignal.timeout(budgetMs);
      let result: BookResult;
      try {
        result = (await books.run(bytes, { signal })) as BookResult;
      } catch (error) {
        if (signal.aborted) throw new EpubError(`That book took longer than ${budgetMs / 1000} seconds to read, so it was not imported.`);
        throw error;
      }
      if ('refused' in result) throw new EpubError(result.refused);
      return result.book;
    },
    close: async () => {
      await Promise.all([pool.destroy(), books.destroy()]);
    },
  };
}

const tooSlow = (budgetMs: number) =>
  new AppError(
    400,
    `This text took longer than ${budgetMs / 1000} seconds to format, so it was not saved. Split it into shorter parts or simplify its formatting.`,
    {},
  );
