import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { createTemplateDatabase, dropDatabase } from './postgres.ts';

declare module 'vitest' {
  interface ProvidedContext {
    pgTemplate: string | null;
  }
}

/**
 * Builds dist/ first, so the CLI tests run the archive as `npm start` and `oak` do; then, on
 * PostgreSQL, migrates one template database per run, which each test file clones.
 */
export default async function setup(project: TestProject) {
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
  const url = process.env.DATABASE_URL;
  if (process.env.CI === 'true' && !url) throw new Error('CI=true requires DATABASE_URL: the PostgreSQL suite may not be skipped.');
  if (!url) {
    project.provide('pgTemplate', null);
    return;
  }
  const template = `oak_template_${process.pid}`;
  await createTemplateDatabase(url, template);
  project.provide('pgTemplate', template);
  return async () => dropDatabase(url, template);
}
