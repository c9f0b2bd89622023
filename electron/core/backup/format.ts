import { createHash } from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { BackupCounts, BackupReason } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { decryptWith, encryptFor, type EncryptionHeader, type OfficeKeyBlock } from './officeKey.js';

/**
 * The backup file (.ddbak):
 *
 *   "DDBACKUP"  8 bytes magic
 *   uint32 BE   length of the header
 *   header      UTF-8 JSON, in clear (no personal data): format, app and
 *               schema version, office, time, reason, counts, and the size
 *               and SHA-256 of the payload
 *   payload     the SQLite database, gzip'd; AES-256-GCM encrypted for the
 *               office key when the file leaves the data folder
 *
 * The payload checksum is checked before anything is decrypted or restored,
 * so a bad USB stick is caught with a clear message, passphrase or not.
 */
export const MAGIC = Buffer.from('DDBACKUP', 'ascii');
export const FORMAT_VERSION = 1;
const MAX_HEADER = 1 << 20;

export interface BackupHeader {
  format: number;
  app: 'deputy-desk';
  appVersion: string;
  schemaVersion: number;
  office: { code: string; name: string; type: string } | null;
  createdAt: string;
  reason: BackupReason;
  detail: string | null;
  /** The database file's name when it was backed up (tells the backups of two databases in one folder apart). */
  dbFileName: string;
  counts: BackupCounts;
  payload: {
    compression: 'gzip';
    /** Bytes stored after the header. */
    size: number;
    /** SHA-256 (hex) of the stored bytes. */
    sha256: string;
    /** Size of the database file once decrypted and decompressed. */
    plainSize: number;
    encryption: EncryptionHeader | null;
  };
}

export type HeaderFields = Omit<BackupHeader, 'format' | 'app' | 'payload'>;

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** gzip level 1: on SQLite pages within 3% of level 3's size (a 128 MB county database → 18 MB), and the fastest. */
export function compress(sqlite: Buffer): Buffer {
  return zlib.gzipSync(sqlite, { level: 1 });
}

/** The bytes of a backup file, encrypted for `encryptTo` when given. */
export function encodeBackup(fields: HeaderFields, gzipped: Buffer, plainSize: number, encryptTo: OfficeKeyBlock | null): Buffer[] {
  let stored = gzipped;
  let encryption: EncryptionHeader | null = null;
  if (encryptTo) {
    const sealed = encryptFor(encryptTo, gzipped);
    stored = sealed.data;
    encryption = sealed.header;
  }
  const header: BackupHeader = {
    format: FORMAT_VERSION,
    app: 'deputy-desk',
    ...fields,
    payload: { compression: 'gzip', size: stored.length, sha256: sha256(stored), plainSize, encryption },
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return [MAGIC, length, json, stored];
}

/** Reads only the header: cheap enough to list a folder of large backups. */
export function readHeader(file: string): { header: BackupHeader; payloadOffset: number; fileSize: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError('NOT_FOUND', code === 'ENOENT' ? `找不到备份文件：${file}` : `无法读取备份文件：${file}`);
  }
  try {
    const fileSize = fs.fstatSync(fd).size;
    const prefix = Buffer.alloc(12);
    const got = fs.readSync(fd, prefix, 0, 12, 0);
    if (got < 12 || !prefix.subarray(0, 8).equals(MAGIC)) {
      throw new AppError('VALIDATION', '这不是本程序的备份文件（文件开头的标识不对）。');
    }
    const length = prefix.readUInt32BE(8);
    if (length === 0 || length > MAX_HEADER || 12 + length > fileSize) {
      throw new AppError('DB_CORRUPT', '备份文件的文件头已损坏（长度不对），文件可能没有复制完整。');
    }
    const json = Buffer.alloc(length);
    fs.readSync(fd, json, 0, length, 12);
    let header: BackupHeader;
    try {
      header = JSON.parse(json.toString('utf8')) as BackupHeader;
    } catch {
      throw new AppError('DB_CORRUPT', '备份文件的文件头已损坏，无法读取。');
    }
    if (header.app !== 'deputy-desk' || typeof header.payload?.size !== 'number') {
      throw new AppError('DB_CORRUPT', '备份文件的文件头内容不完整。');
    }
    if (header.format > FORMAT_VERSION) {
      throw new AppError('DB_NEWER', `此备份由较新版本的程序生成（备份格式 ${header.format}），请升级本程序后再恢复。`);
    }
    return { header, payloadOffset: 12 + length, fileSize };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads the payload and checks its length and checksum: a truncated or damaged copy fails here. */
export function readVerifiedPayload(file: string): { header: BackupHeader; stored: Buffer } {
  const { header, payloadOffset, fileSize } = readHeader(file);
  if (fileSize - payloadOffset !== header.payload.size) {
    throw new AppError(
      'DB_CORRUPT',
      `备份文件不完整：应有 ${header.payload.size} 字节数据，实际 ${fileSize - payloadOffset} 字节。文件可能没有复制完整，请换一个备份。`,
    );
  }
  const stored = fs.readFileSync(file).subarray(payloadOffset);
  if (sha256(stored) !== header.payload.sha256) {
    throw new AppError('DB_CORRUPT', '备份文件已损坏（校验和不符），不能用于恢复。请换一个备份文件。');
  }
  return { header, stored };
}

/** The SQLite database inside a backup, checked, decrypted and decompressed. */
export function decodeBackup(file: string, passphrase?: string): { header: BackupHeader; sqlite: Buffer } {
  const { header, stored } = readVerifiedPayload(file);
  let gzipped = stored;
  if (header.payload.encryption) {
    if (!passphrase) {
      throw new AppError('UNAUTHORIZED', '此备份已用本单位口令加密，请输入口令后再预览或恢复。');
    }
    gzipped = decryptWith(header.payload.encryption, passphrase, stored);
  }
  let sqlite: Buffer;
  try {
    sqlite = zlib.gunzipSync(gzipped);
  } catch {
    throw new AppError('DB_CORRUPT', '备份文件内容已损坏（无法解压），不能用于恢复。请换一个备份文件。');
  }
  if (sqlite.length !== header.payload.plainSize) {
    throw new AppError('DB_CORRUPT', '备份文件内容不完整（数据库大小不符），不能用于恢复。');
  }
  return { header, sqlite };
}
