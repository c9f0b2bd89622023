/**
 * Reading the parts of an .xlsx (a zip) by their place in the central
 * directory, in any order, with node's zlib. exceljs's streaming reader reads
 * the zip front to back with unzipper, which reports the end of the archive
 * as soon as the last byte is written to it: parts still waiting behind a
 * slow sheet (sharedStrings.xml or workbook.xml after twenty township sheets,
 * as Excel and openpyxl order them) were silently dropped, and with them
 * every text cell or every sheet name.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Where the bytes come from: a file read a range at a time, or bytes already in memory. */
interface ByteSource {
  size: number;
  read(start: number, length: number): Promise<Buffer>;
  stream(start: number, end: number): Readable;
  close(): Promise<void>;
}

async function fileSource(path: string): Promise<ByteSource> {
  const handle = await fs.promises.open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(start, length) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, start);
      return buffer.subarray(0, bytesRead);
    },
    stream: (start, end) => fs.createReadStream(path, { start, end: end - 1, highWaterMark: 256 * 1024 }),
    close: () => handle.close(),
  };
}

function bufferSource(data: Buffer): ByteSource {
  return {
    size: data.length,
    read: async (start, length) => data.subarray(start, start + length),
    stream: (start, end) => Readable.from([data.subarray(start, end)]),
    close: async () => {},
  };
}

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export class ZipReader {
  private constructor(
    private readonly source: ByteSource,
    readonly entries: Map<string, ZipEntry>,
  ) {}

  static async open(input: { path: string } | { buffer: Buffer }): Promise<ZipReader> {
    const source = 'path' in input ? await fileSource(input.path) : bufferSource(input.buffer);
    try {
      return new ZipReader(source, await readDirectory(source));
    } catch (err) {
      await source.close();
      throw err;
    }
  }

  /** The entry with this name; part names are compared without case, as Excel does. */
  entry(name: string): ZipEntry | undefined {
    const wanted = name.replace(/^\//, '');
    return this.entries.get(wanted) ?? [...this.entries.values()].find((e) => e.name.toLowerCase() === wanted.toLowerCase());
  }

  /** The uncompressed bytes, as a stream of chunks. */
  async *chunks(entry: ZipEntry): AsyncGenerator<Buffer> {
    const header = await this.source.read(entry.localOffset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new ZipError(`${entry.name} 的文件头已损坏`);
    const start = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (entry.compressedSize === 0) return;
    const raw = this.source.stream(start, start + entry.compressedSize);
    if (entry.method === 0) {
      for await (const chunk of raw) yield chunk as Buffer;
      return;
    }
    if (entry.method !== 8) throw new ZipError(`${entry.name} 使用了不支持的压缩方式（${entry.method}）`);
    const inflate = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
    const done = pipeline(raw, inflate);
    done.catch(() => {}); // the error also ends the loop below
    for await (const chunk of inflate) yield chunk as Buffer;
    await done;
  }

  /** A small part (workbook.xml, relationships, shared strings) as text. */
  async text(entry: ZipEntry): Promise<string> {
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks(entry)) parts.push(chunk);
    return Buffer.concat(parts).toString('utf8');
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

async function readDirectory(source: ByteSource): Promise<Map<string, ZipEntry>> {
  // The end record is in the last 22 bytes plus a comment of up to 65535 bytes.
  const tailLength = Math.min(source.size, 22 + 65535);
  const tail = await source.read(source.size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipError('找不到 zip 目录（文件不完整）');
  let count = tail.readUInt16LE(at + 10);
  let dirSize = tail.readUInt32LE(at + 12);
  let dirOffset = tail.readUInt32LE(at + 16);
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    // ZIP64: the locator sits just before the end record.
    const locatorAt = at - 20;
    if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== EOCD64_LOCATOR) throw new ZipError('zip64 目录已损坏');
    const record = await source.read(Number(tail.readBigUInt64LE(locatorAt + 8)), 56);
    if (record.readUInt32LE(0) !== EOCD64) throw new ZipError('zip64 目录已损坏');
    count = Number(record.readBigUInt64LE(32));
    dirSize = Number(record.readBigUInt64LE(40));
    dirOffset = Number(record.readBigUInt64LE(48));
  }
  const dir = await source.read(dirOffset, dirSize);
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw new ZipError('zip 目录已损坏');
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    const name = dir.toString('utf8', p + 46, p + 46 + nameLength);
    const entry: ZipEntry = {
      name,
      method: dir.readUInt16LE(p + 10),
      compressedSize: dir.readUInt32LE(p + 20),
      size: dir.readUInt32LE(p + 24),
      localOffset: dir.readUInt32LE(p + 42),
    };
    readZip64Extra(dir.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength), entry);
    if (!name.endsWith('/')) entries.set(name.replace(/\\/g, '/').replace(/^\//, ''), entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offset that did not fit in 32 bits are in the 0x0001 extra field, in this order. */
function readZip64Extra(extra: Buffer, entry: ZipEntry): void {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const length = extra.readUInt16LE(q + 2);
    if (id === 0x0001) {
      let r = q + 4;
      const next = () => {
        const v = Number(extra.readBigUInt64LE(r));
        r += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localOffset === 0xffffffff) entry.localOffset = next();
      return;
    }
    q += 4 + length;
  }
}
