import { checkedKey, type Storage } from './keys.ts';

type Sdk = typeof import('@aws-sdk/client-s3');

/**
 * An S3-compatible bucket (AWS, MinIO, Garage, R2…), addressed by one URL:
 * `https://ACCESS_KEY:SECRET@s3.example.org/bucket[/prefix][?region=eu-west-1]`, path-style, so
 * any endpoint works without DNS per bucket.
 */
export function parseS3Url(url: string): {
  endpoint: string;
  bucket: string;
  prefix: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
} {
  const parsed = new URL(url);
  const [bucket = '', ...rest] = parsed.pathname.split('/').filter(Boolean);
  return {
    endpoint: `${parsed.protocol}//${parsed.host}`,
    bucket,
    prefix: rest.length ? `${rest.join('/')}/` : '',
    region: parsed.searchParams.get('region') ?? 'us-east-1',
    accessKeyId: decodeURIComponent(parsed.username),
    secretAccessKey: decodeURIComponent(parsed.password),
  };
}

export function s3Storage(url: string): Storage {
  const { endpoint, bucket, prefix, region, accessKeyId, secretAccessKey } = parseS3Url(url);
  // The SDK costs a tenth of a second of CPU to load: only an archive that stores in S3 pays it, on first use.
  let loaded: Promise<{ sdk: Sdk; client: InstanceType<Sdk['S3Client']> }> | undefined;
  const s3 = () => {
    loaded ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } }),
    }));
    return loaded;
  };
  const objectKey = (key: string) => prefix + checkedKey(key);
  return {
    async put(key, bytes) {
      const { sdk, client } = await s3();
      await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: objectKey(key), Body: bytes }));
    },
    async get(key) {
      const { sdk, client } = await s3();
      try {
        const object = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
        return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : null;
      } catch (error) {
        if (error instanceof sdk.NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async remove(key) {
      const { sdk, client } = await s3();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },
    async *list() {
      const { sdk, client } = await s3();
      let token: string | undefined;
      do {
        const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) if (object.Key) yield object.Key.slice(prefix.length);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}
