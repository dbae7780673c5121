import { closeSync, createReadStream, createWriteStream, fstatSync, openSync, readSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';

/** One file of a zip, as its central directory describes it. */
export type ZipEntry = { name: string; method: number; crc: number; compressedSize: number; size: number; localOffset: number };

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64 = 0xffffffff;

/**
 * The entries of a zip file, read from its central directory (the zip's own index, at its end)
 * rather than by streaming its local headers: sizes and checksums come from one place, and each
 * entry can then be read on its own, from its offset.
 */
export function zipEntries(path: string): ZipEntry[] {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const read = (offset: number, length: number) => {
      const buffer = Buffer.alloc(length);
      if (offset < 0 || readSync(fd, buffer, 0, length, offset) !== length) throw new ZipError('The zip ends early.');
      return buffer;
    };
    // The end record is in the last 22 bytes, or before a comment of up to 64 KiB.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = read(size - tailLength, tailLength);
    let end = -1;
    for (let at = tailLength - 22; at >= 0 && end < 0; at--) if (tail.readUInt32LE(at) === EOCD) end = at;
    if (end < 0) throw new ZipError('It is not a zip file.');
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (directoryOffset === ZIP64 || directoryOffset + directorySize > size) throw new ZipError('Its directory is not where it says.');
    const directory = read(directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL) throw new ZipError('Its directory is damaged.');
      const nameLength = directory.readUInt16LE(at + 28);
      const entry = {
        name: directory.toString('utf8', at + 46, at + 46 + nameLength),
        method: directory.readUInt16LE(at + 10),
        crc: directory.readUInt32LE(at + 16),
        compressedSize: directory.readUInt32LE(at + 20),
        size: directory.readUInt32LE(at + 24),
        localOffset: directory.readUInt32LE(at + 42),
      };
      if (entry.compressedSize === ZIP64 || entry.size === ZIP64 || entry.localOffset === ZIP64) {
        throw new ZipError('It holds a file over 4 GB, which oak backup never writes.');
      }
      if (entry.method !== 0 && entry.method !== 8) throw new ZipError(`${entry.name} is compressed in a way oak backup never uses.`);
      entries.push(entry);
      at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    }
    // Where each entry's bytes start: after its local header, whose name and extra field may differ in length.
    for (const entry of entries) {
      const local = read(entry.localOffset, 30);
      if (local.readUInt32LE(0) !== LOCAL) throw new ZipError(`${entry.name} is not where the directory says.`);
      const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      if (start + entry.compressedSize > size) throw new ZipError(`${entry.name} runs past the end of the zip.`);
      entry.localOffset = start;
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes one entry to `target` (mode 0600), inflating as it streams, and fails unless the bytes
 * written are exactly as many as the directory says and their CRC-32 is the one it records.
 */
export async function extractEntry(path: string, entry: ZipEntry, target: string): Promise<void> {
  let written = 0;
  let crc = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      written += chunk.length;
      if (written > entry.size) return next(new ZipError(`${entry.name} holds more than the directory says.`));
      crc = crc32(chunk, crc);
      next(null, chunk);
    },
  });
  const source =
    entry.compressedSize === 0
      ? [Buffer.alloc(0)]
      : createReadStream(path, { start: entry.localOffset, end: entry.localOffset + entry.compressedSize - 1 });
  const stages = entry.method === 8 ? [createInflateRaw(), check] : [check];
  try {
    await pipeline(source, ...(stages as [Transform, Transform]), createWriteStream(target, { mode: 0o600 }));
  } catch (error) {
    if (error instanceof ZipError) throw error;
    throw new ZipError(`${entry.name} cannot be unpacked: ${(error as Error).message}`);
  }
  if (written !== entry.size || crc !== entry.crc) throw new ZipError(`${entry.name} is damaged: its checksum or size does not match.`);
}
