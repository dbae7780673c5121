import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The example story page the README imports (written for the project, shipped in examples/). */
export const EXAMPLE_PATH = fileURLToPath(new URL('../examples/the-lantern-keeper.txt', import.meta.url));

/** The shared fixtures folder sits beside the repository (../shared/fixtures). */
export const FIXTURE_PATH = fileURLToPath(new URL('../../shared/fixtures/fimfiction-story-page.txt', import.meta.url));
export const storyPageFixture = (): Buffer => readFileSync(FIXTURE_PATH);

/** The prose lines of the fixture, found independently of the parser: after the artwork link, before the notes. */
export function fixtureProseLines(): string[] {
  const lines = storyPageFixture().toString('utf8').split('\n');
  const start = lines.findIndex((line) => line.includes('check out the original artwork')) + 1;
  const end = lines.findIndex((line) => line.includes("Author's Notes:"));
  return lines
    .slice(start, end)
    .map((line) => line.trim())
    .filter(Boolean);
}
