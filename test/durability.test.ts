import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/archive.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { signUp } from '../src/modules/accounts/accounts.service.ts';
import { dialects } from './harness.ts';
import { archiveEnv, logIn, serveArchive } from './served.ts';

const WRITERS = 6;

describe.each(dialects)('an acknowledged write survives kill -9, on %s', (dialect) => {
  let archive: Awaited<ReturnType<typeof archiveEnv>>;
  let served: Awaited<ReturnType<typeof serveArchive>> | undefined;
  beforeAll(async () => {
    archive = await archiveEnv(dialect);
  });
  afterAll(async () => {
    served?.stop();
    await archive.remove();
  });

  it('every chapter the server answered 303 for is there after the process is killed mid-write', async () => {
    const { env } = archive;
    // Six authors with a story each; the rate limit allows each 60 writes a minute.
    const setup = await createContext(loadConfig(env));
    const stories: number[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const author = await signUp(setup, { username: `writer${i}`, display_name: '', password: `writer${i} password` });
      const story = {
        ...{
          author_id: author.id,
          title: 'Durable',
          slug: 'durable',
          summary: '',
          rating: 'everyone' as const,
          status: 'incomplete' as const,
        },
        ...{
          description_format: 'text' as const,
          description_source: '',
          description_html: '',
          cover_key: null,
          cover_width: null,
          cover_height: null,
        },
        ...{ cover_artist_name: '', cover_artist_url: '', cover_source_url: '', published_at: null },
      };
      const { id } = await setup.db
        .insertInto('stories')
        .values({ ...story, created_at: 1, updated_at: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      stories.push(id);
    }
    await setup.close();

    served = await serveArchive(env);
    const { base } = served;
    const writers = await Promise.all(Array.from({ length: WRITERS }, (_, i) => logIn(base, `writer${i}`)));
    const acknowledged: string[] = [];

    let stop = false;
    const loops = writers.map(async (post, i) => {
      for (let n = 0; !stop && n < 55; n++) {
        const title = `w${i}-${n}`;
        const body = { title, format: 'text', body: `Chapter ${title}.`, action: 'publish' };
        const response = await post(`/stories/${stories[i]}/chapters`, body).catch(() => null);
        if (response?.status === 303) acknowledged.push(title);
      }
    });
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 5));
    served.stop();
    stop = true;
    await Promise.all(loops);

    const after = await createContext(loadConfig(env));
    const titles = new Set((await after.db.selectFrom('chapters').select('title').execute()).map((row) => row.title));
    await after.close();
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    expect(acknowledged.filter((title) => !titles.has(title))).toEqual([]);
  });
});
