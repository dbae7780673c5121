import type { TextFormat } from '../db/schema.ts';
import { markdownNotices } from './markdown.ts';
import { renderUserText } from './render.ts';
import { countWords } from './words.ts';

/** `notices`: also say what in the text will not show as its author may expect (for a preview). */
export type RenderTask = { source: string; format: TextFormat; notices?: boolean }[];
export type RenderResult = { html: string; words: number; notices: string[] }[];

/** Runs in a worker thread: user text is formatted here so a slow input never blocks the server. */
export default function render(task: RenderTask): RenderResult {
  return task.map(({ source, format, notices }) => {
    const html = renderUserText(source, format);
    return { html, words: countWords(html), notices: notices && format === 'markdown' ? markdownNotices(source) : [] };
  });
}
