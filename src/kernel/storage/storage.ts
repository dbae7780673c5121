import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Config } from '../config.ts';
import { checkedKey, type Storage } from './keys.ts';
import { s3Storage } from './s3.ts';

export { checkedKey, isStorageKey, type Storage } from './keys.ts';

export function storageFor(config: Config): Storage {
  return config.s3Url ? s3Storage(config.s3Url) : localStorage(join(config.dataDir, 'files'));
}

export function localStorage(root: string): Storage {
  const base = resolve(root);
  const pathOf = (key: string) => {
    const path = resolve(join(base, checkedKey(key)));
    if (!path.startsWith(base + sep)) throw new Error(`Invalid storage key: ${key}`);
    return path;
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async *list() {
      const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.isFile()) yield relative(base, join(entry.parentPath, entry.name)).split(sep).join('/');
      }
    },
  };
}
