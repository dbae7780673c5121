import type { TextFormat } from '../db/schema.ts';
import { renderUserText } from './render.ts';
import { countWords } from './words.ts';

export type RenderTask = { source: string; format: TextFormat }[];
export type RenderResult = { html: string; words: number }[];

/** Runs in a worker thread: user text is formatted here so a slow input never blocks the server. */
export default function render(task: RenderTask): RenderResult {
  return task.map(({ source, format }) => {
    const html = renderUserText(source, format);
    return { html, words: countWords(html) };
  });
}
