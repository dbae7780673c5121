/** Where uploaded files live: local disk by default, an S3-compatible bucket when S3_URL is set. */
export interface Storage {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  remove(key: string): Promise<void>;
  /** Every stored key, for backups. */
  list(): AsyncIterable<string>;
}

const KEY = /^[a-z0-9-]+(\/[a-z0-9.-]+)*$/;

/** A key of ours: lower-case segments, none of them `.` or `..`. */
export const isStorageKey = (key: string) => KEY.test(key) && !key.split('/').some((segment) => segment === '.' || segment === '..');

/** Keys are made by us, but refuse anything that could walk out of the root or the bucket's prefix. */
export function checkedKey(key: string): string {
  if (!isStorageKey(key)) throw new Error(`Invalid storage key: ${key}`);
  return key;
}
