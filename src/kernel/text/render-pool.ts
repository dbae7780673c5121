import { Piscina } from 'piscina';
import { AppError } from '../errors.ts';
import type { BookResult } from './book.worker.ts';
import { EpubError, type ImportedBook } from './books/epub.parser.ts';
import type { SafeHtml } from './render.ts';
import type { RenderResult, RenderTask } from './render.worker.ts';

export type Rendered = { html: SafeHtml; words: number; notices: string[] };

/** Formats user text off the main thread, within a time budget. */
export type Renderer = {
  render(task: RenderTask): Promise<Rendered[]>;
  /**
   * Reads an EPUB in a worker for `owner` (an account); a book that cannot be imported rejects with
   * an EpubError saying why, and one more than the queue takes with a 429 or 503.
   */
  readBook(bytes: Uint8Array, owner: string): Promise<ImportedBook>;
  close(): Promise<void>;
};

export const DEFAULT_RENDER_BUDGET_MS = 10_000;
/** Books an account may have waiting (each held in memory), and books waiting in all. */
export const BOOKS_WAITING_PER_OWNER = 2;
const BOOKS_WAITING = 16;

type BookTask = { bytes: Uint8Array; resolve: (book: ImportedBook) => void; reject: (error: unknown) => void };

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

  // Books wait here, not in the pool: each account's in its own line, the lines taken in turn, so
  // one account's slow books delay another's by one book at most; and a book's time budget starts
  // when its reading does, so waiting behind others never counts against it.
  const waiting = new Map<string, BookTask[]>();
  let queued = 0;
  let reading = false;
  const readOne = async (bytes: Uint8Array): Promise<ImportedBook> => {
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
  };
  const nextBook = () => {
    const first = waiting.entries().next();
    if (reading || first.done) return;
    const [owner, queue] = first.value;
    const task = queue.shift() as BookTask;
    // The owner's line goes to the back (or away, when empty): round robin.
    waiting.delete(owner);
    if (queue.length > 0) waiting.set(owner, queue);
    queued--;
    reading = true;
    readOne(task.bytes)
      .then(task.resolve, task.reject)
      .finally(() => {
        reading = false;
        nextBook();
      });
  };
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
    readBook(bytes, owner) {
      const queue = waiting.get(owner) ?? [];
      if (queue.length >= BOOKS_WAITING_PER_OWNER) {
        return Promise.reject(new AppError(429, 'Your other books are still being read: import this one when they are done.'));
      }
      if (queued >= BOOKS_WAITING)
        return Promise.reject(new AppError(503, 'The archive is reading many books just now: try again in a minute.'));
      return new Promise<ImportedBook>((resolve, reject) => {
        queue.push({ bytes, resolve, reject });
        waiting.set(owner, queue);
        queued++;
        nextBook();
      });
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
