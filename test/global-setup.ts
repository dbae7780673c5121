import type { TestProject } from 'vitest/node';
import { createTemplateDatabase, dropDatabase } from './postgres.ts';

declare module 'vitest' {
  interface ProvidedContext {
    pgTemplate: string | null;
  }
}

/** On PostgreSQL, migrate one template database per run; each test file clones it. */
export default async function setup(project: TestProject) {
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
