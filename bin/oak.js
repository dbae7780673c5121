#!/usr/bin/env node
// The `oak` CLI runs the compiled archive in dist/ (built by `npm install` and `npm start`). When a
// source file is newer than the build, as during development, it runs the TypeScript through tsx.
import { existsSync, readdirSync, statSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const built = new URL('dist/main.js', root);

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = new URL(entry.name + (entry.isDirectory() ? '/' : ''), dir);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

if (existsSync(built) && statSync(built).mtimeMs >= newestSource(new URL('src/', root))) {
  await import(built.href);
} else {
  // tsx is a development tool: an install without it (npm prune --omit=dev) runs the build, or says why not.
  const tsx = await import('tsx/esm/api').catch(() => null);
  if (!tsx) {
    console.error('The build in dist/ is missing or older than src/: run `npm run build` (tsx, which runs the sources, is not installed).');
    process.exit(1);
  }
  tsx.register();
  await import('../src/main.ts');
}
