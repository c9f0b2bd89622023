import { createCipheriv, createDecipheriv, createHash, createHmac, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';

/**
 * The package file (数据交换包, .ddpkg), all with node:crypto:
 *
 *   magic "DDPKG\r\n\x1a" (8) | format version (1) | header length (u32 BE)
 *   | header JSON, in clear, no personal data
 *   | signature length (u16 BE) | Ed25519 signature over everything before it
 *   | payload: gzip'd changes, AES-256-GCM in fixed-size chunks
 *
 * The key comes from the shared passphrase through scrypt. Each chunk's
 * nonce is the base nonce XOR (chunk index, final flag), so a file cut at a
 * chunk boundary, chunks swapped, or a missing last chunk all fail to decrypt.
 * The header carries the payload's size and sha256 and is signed, so a
 * damaged payload is found before decrypting.
 */
export const FORMAT_VERSION = 1;
const MAGIC = Buffer.from('DDPKG\r\n\x1a', 'latin1');
const PREFIX = MAGIC.length + 1 + 4;
export const PACKAGE_EXT = '.ddpkg';

export interface KdfParams {
  N: number;
  r: number;
  p: number;
}
/** 32 MiB of memory and about 0.1 s per derivation on an office PC. */
export const DEFAULT_KDF: KdfParams = { N: 1 << 15, r: 8, p: 1 };
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
const TAG = 16;

/** Refused on import: parameters a forged header could use to exhaust memory or time. */
const KDF_LIMITS = { minN: 1 << 10, maxN: 1 << 20, maxR: 32, maxP: 4, maxMemory: 256 * 1024 * 1024 };
const CHUNK_LIMITS = { min: 1024, max: 16 * 1024 * 1024 };
const MAX_HEADER = 4 * 1024 * 1024;

const range = z.object({
  origin: z.string().min(1).max(20),
  epoch: z.string().min(1).max(64),
  from: z.number().int().min(1),
  to: z.number().int().min(1),
  /** The sender held every change of the range meant for the addressee (false: some, for healing). */
  full: z.boolean(),
  count: z.number().int().min(0),
});

const headerSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  packageId: z.string().uuid(),
  createdAt: z.string(),
  appVersion: z.string().max(40),
  schemaVersion: z.number().int().min(1),
  from: z.object({ code: z.string().max(20), type: z.enum(['county', 'township']), epoch: z.string().max(64) }),
  to: z.object({ code: z.string().max(20) }),
  senderHlc: z.string().max(80),
  ranges: z.array(range),
  acks: z.array(z.object({ origin: z.string().max(20), epoch: z.string().max(64), seq: z.number().int().min(0) })),
  counts: z.record(z.string(), z.number().int().min(0)),
  changes: z.number().int().min(0),
  kdf: z.object({ name: z.literal('scrypt'), salt: z.string().max(64), N: z.number().int(), r: z.number().int(), p: z.number().int() }),
  keyCheck: z.string().regex(/^[0-9a-f]{16}$/),
  cipher: z.object({
    name: z.literal('aes-256-gcm'),
    nonce: z.string().max(32),
    chunkSize: z.number().int(),
    chunkCount: z.number().int().min(1),
  }),
  payload: z.object({ bytes: z.number().int().min(0), plainBytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  signer: z.string().regex(/^[0-9a-f]{32}$/),
});
export type PackageHeader = z.infer<typeof headerSchema>;
export type PackageRange = z.infer<typeof range>;

const TRUNCATED = '数据交换包不完整（文件被截断或没有拷贝完），请重新拷贝，或请对方重新导出。';
const invalid = (message: string) => new AppError('PACKAGE_INVALID', message);

export function encodePackage(headerBytes: Buffer, sign: (signed: Buffer) => Buffer, payload: Buffer): Buffer {
  const signed = Buffer.alloc(PREFIX + headerBytes.length);
  MAGIC.copy(signed, 0);
  signed.writeUInt8(FORMAT_VERSION, MAGIC.length);
  signed.writeUInt32BE(headerBytes.length, MAGIC.length + 1);
  headerBytes.copy(signed, PREFIX);
  const signature = sign(signed);
  const sigLen = Buffer.alloc(2);
  sigLen.writeUInt16BE(signature.length);
  return Buffer.concat([signed, sigLen, signature, payload]);
}

export interface Envelope {
  header: PackageHeader;
  /** The bytes the signature covers. */
  signed: Buffer;
  signature: Buffer;
  payload: Buffer;
}

/** Splits and checks the file's structure; nothing is decrypted or trusted yet. */
export function readEnvelope(bytes: Buffer): Envelope {
  if (bytes.length === 0) throw invalid('文件是空的，不是数据交换包。');
  if (bytes.length < MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw invalid('所选文件不是数据交换包（.ddpkg）。请选择对方导出的数据交换包。');
  }
  if (bytes.length < PREFIX) throw invalid(TRUNCATED);
  const version = bytes.readUInt8(MAGIC.length);
  if (version > FORMAT_VERSION) {
    throw new AppError('PACKAGE_NEWER', `此数据交换包的文件格式为第 ${version} 版，本程序只支持到第 ${FORMAT_VERSION} 版。请先升级本程序。`);
  }
  if (version !== FORMAT_VERSION) throw invalid('数据交换包的格式版本无效，文件可能已损坏。');
  const headerLength = bytes.readUInt32BE(MAGIC.length + 1);
  if (headerLength === 0 || headerLength > MAX_HEADER) throw invalid('数据交换包的文件头已损坏，请重新拷贝或请对方重新导出。');
  if (bytes.length < PREFIX + headerLength + 2) throw invalid(TRUNCATED);
  const signed = bytes.subarray(0, PREFIX + headerLength);
  const sigLength = bytes.readUInt16BE(PREFIX + headerLength);
  const sigStart = PREFIX + headerLength + 2;
  if (sigLength !== 64) throw invalid('数据交换包的签名已损坏，请重新拷贝或请对方重新导出。');
  if (bytes.length < sigStart + sigLength) throw invalid(TRUNCATED);
  let header: PackageHeader;
  try {
    header = headerSchema.parse(JSON.parse(signed.subarray(PREFIX).toString('utf8')));
  } catch {
    throw invalid('数据交换包的文件头已损坏，请重新拷贝或请对方重新导出。');
  }
  const payload = bytes.subarray(sigStart + sigLength);
  if (payload.length < header.payload.bytes) throw invalid(TRUNCATED);
  if (payload.length > header.payload.bytes) throw invalid('数据交换包末尾多出了内容，文件可能已损坏，请重新拷贝。');
  return { header, signed, signature: bytes.subarray(sigStart, sigStart + sigLength), payload };
}

/** Refuses parameters that are not this program's or would exhaust the PC. */
export function checkCipherParams(header: PackageHeader): void {
  const { N, r, p } = header.kdf;
  const powerOfTwo = N > 0 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N < KDF_LIMITS.minN || N > KDF_LIMITS.maxN || r < 1 || r > KDF_LIMITS.maxR || p < 1 || p > KDF_LIMITS.maxP
    || 128 * N * r > KDF_LIMITS.maxMemory) {
    throw invalid('数据交换包的加密参数异常，不是本程序生成的，已拒绝。');
  }
  const { chunkSize, chunkCount } = header.cipher;
  if (chunkSize < CHUNK_LIMITS.min || chunkSize > CHUNK_LIMITS.max) throw invalid('数据交换包的分段参数异常，已拒绝。');
  const expectedCount = Math.max(1, Math.ceil(header.payload.plainBytes / chunkSize));
  if (chunkCount !== expectedCount || header.payload.bytes !== header.payload.plainBytes + chunkCount * TAG) {
    throw invalid('数据交换包的长度信息不一致，文件可能已损坏。');
  }
  if (Buffer.from(header.cipher.nonce, 'base64').length !== 12 || Buffer.from(header.kdf.salt, 'base64').length < 16) {
    throw invalid('数据交换包的加密参数异常，不是本程序生成的，已拒绝。');
  }
}

export interface PackageKeys {
  enc: Buffer;
  check: string;
}

function scrypt(passphrase: string, salt: Buffer, length: number, params: KdfParams): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, length, { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** 64 bytes from scrypt: the first half encrypts, the second makes the key check that tells a wrong passphrase. */
export async function deriveKeys(passphrase: string, salt: Buffer, params: KdfParams): Promise<PackageKeys> {
  const key = await scrypt(passphrase, salt, 64, params);
  const check = createHmac('sha256', key.subarray(32)).update('deputy-desk key check').digest().subarray(0, 8).toString('hex');
  return { enc: key.subarray(0, 32), check };
}

export function sameCheck(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

function chunkNonce(base: Buffer, index: number, final: boolean): Buffer {
  const nonce = Buffer.from(base);
  nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ index) >>> 0, 8);
  nonce[7] = nonce[7]! ^ (final ? 1 : 0);
  return nonce;
}

/** Encrypts in chunks; yields between chunks so a progress query can be answered. */
export async function encryptChunks(
  plain: Buffer,
  key: Buffer,
  baseNonce: Buffer,
  chunkSize: number,
  aad: Buffer,
  onChunk?: (done: number, total: number) => void | Promise<void>,
): Promise<Buffer> {
  const count = Math.max(1, Math.ceil(plain.length / chunkSize));
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const cipher = createCipheriv('aes-256-gcm', key, chunkNonce(baseNonce, i, i === count - 1));
    cipher.setAAD(aad);
    parts.push(cipher.update(plain.subarray(i * chunkSize, (i + 1) * chunkSize)), cipher.final(), cipher.getAuthTag());
    if (onChunk) await onChunk(i + 1, count);
  }
  return Buffer.concat(parts);
}

/** Decrypts every chunk; the last must carry the final flag. Throws PACKAGE_INVALID naming the chunk. */
export function decryptChunks(payload: Buffer, key: Buffer, baseNonce: Buffer, chunkSize: number, chunkCount: number, aad: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < chunkCount; i++) {
    const final = i === chunkCount - 1;
    const end = final ? payload.length : offset + chunkSize + TAG;
    if (end > payload.length || end - offset < TAG) throw invalid(TRUNCATED);
    const body = payload.subarray(offset, end - TAG);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, chunkNonce(baseNonce, i, final));
      decipher.setAAD(aad);
      decipher.setAuthTag(payload.subarray(end - TAG, end));
      parts.push(decipher.update(body), decipher.final());
    } catch {
      throw invalid(`数据交换包内容已损坏或不完整（第 ${i + 1}/${chunkCount} 段解密校验未通过），请重新拷贝，或请对方重新导出。`);
    }
    offset = end;
  }
  if (offset !== payload.length) throw invalid(TRUNCATED);
  return Buffer.concat(parts);
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Canonical JSON: keys sorted at every level, so the same header always has the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
