import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scryptSync,
  type KeyObject,
} from 'node:crypto';
import { AppError } from '../../../shared/errors.js';
import type { Db } from '../db/connection.js';

/**
 * The office key (本单位口令): encrypts backups that leave the data folder.
 *
 * The passphrase itself is never stored. Setting it makes an X25519 key pair;
 * the public half is kept in clear, the private half wrapped with AES-256-GCM
 * under scrypt(passphrase). So the app can encrypt the daily copy to a USB
 * drive without asking anybody, while only someone who knows the passphrase
 * can decrypt it. Each encrypted file carries the wrapped private key in its
 * header, so it restores on a new PC where this database is gone.
 */
export interface OfficeKeyBlock {
  kdf: 'scrypt';
  salt: string;
  N: number;
  r: number;
  p: number;
  /** X25519 public key, SPKI DER, base64. */
  publicKey: string;
  /** The private key (PKCS#8 DER) under AES-256-GCM with the scrypt key. Unwrapping it proves the passphrase. */
  wrapped: { iv: string; tag: string; data: string };
  /** Short fingerprint of the public key, to tell keys apart. */
  keyId: string;
}

export interface EncryptionHeader {
  scheme: 'x25519-hkdf-sha256-aes-256-gcm';
  ephemeralPublicKey: string;
  iv: string;
  tag: string;
  officeKey: OfficeKeyBlock;
}

const STATE_KEY = 'office_passphrase';
const SCRYPT = { N: 1 << 15, r: 8, p: 1 };
const HKDF_INFO = 'deputy-desk backup v1';

function kek(passphrase: string, block: Pick<OfficeKeyBlock, 'salt' | 'N' | 'r' | 'p'>): Buffer {
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(block.salt, 'base64'), 32, {
    N: block.N,
    r: block.r,
    p: block.p,
    maxmem: 256 * block.N * block.r,
  });
}

/** A fresh key pair wrapped by the passphrase. */
export function makeOfficeKey(passphrase: string): OfficeKeyBlock {
  const salt = randomBytes(16).toString('base64');
  const key = kek(passphrase, { salt, ...SCRYPT });
  const pair = generateKeyPairSync('x25519');
  const publicDer = pair.publicKey.export({ type: 'spki', format: 'der' });
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(pair.privateKey.export({ type: 'pkcs8', format: 'der' })), cipher.final()]);
  return {
    kdf: 'scrypt',
    salt,
    ...SCRYPT,
    publicKey: publicDer.toString('base64'),
    wrapped: { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') },
    keyId: createHash('sha256').update(publicDer).digest('hex').slice(0, 16),
  };
}

/** The private key, or UNAUTHORIZED when the passphrase is wrong. */
export function unlockOfficeKey(block: OfficeKeyBlock, passphrase: string): KeyObject {
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek(passphrase, block), Buffer.from(block.wrapped.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(block.wrapped.tag, 'base64'));
    const der = Buffer.concat([decipher.update(Buffer.from(block.wrapped.data, 'base64')), decipher.final()]);
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new AppError('UNAUTHORIZED', '口令不正确，无法解密。请输入设置本单位口令时使用的口令（注意大小写）。');
  }
}

export function readOfficeKey(db: Db): OfficeKeyBlock | null {
  try {
    const row = db.prepare('SELECT value FROM local_state WHERE key = ?').get(STATE_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as OfficeKeyBlock) : null;
  } catch {
    return null;
  }
}

export function writeOfficeKey(db: Db, block: OfficeKeyBlock): void {
  db.prepare('INSERT INTO local_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    STATE_KEY,
    JSON.stringify(block),
  );
}

/** For other domains (handoff) that ask for the office passphrase: true when it is the one set here. */
export function verifyOfficePassphrase(db: Db, passphrase: string): boolean {
  const block = readOfficeKey(db);
  if (!block) return false;
  try {
    unlockOfficeKey(block, passphrase);
    return true;
  } catch {
    return false;
  }
}

function contentKey(shared: Buffer, ephemeralPublicDer: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, ephemeralPublicDer, HKDF_INFO, 32));
}

/** Encrypts for the office key: no passphrase needed, only its public half. */
export function encryptFor(block: OfficeKeyBlock, plain: Buffer): { header: EncryptionHeader; data: Buffer } {
  const officePublic = createPublicKey({ key: Buffer.from(block.publicKey, 'base64'), format: 'der', type: 'spki' });
  const eph = generateKeyPairSync('x25519');
  const ephDer = eph.publicKey.export({ type: 'spki', format: 'der' });
  const key = contentKey(diffieHellman({ privateKey: eph.privateKey, publicKey: officePublic }), ephDer);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    header: {
      scheme: 'x25519-hkdf-sha256-aes-256-gcm',
      ephemeralPublicKey: ephDer.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      officeKey: block,
    },
    data,
  };
}

export function decryptWith(header: EncryptionHeader, passphrase: string, data: Buffer): Buffer {
  if (header.scheme !== 'x25519-hkdf-sha256-aes-256-gcm') {
    throw new AppError('VALIDATION', '备份文件使用了本程序不认识的加密方式，可能由较新版本的程序生成。');
  }
  const privateKey = unlockOfficeKey(header.officeKey, passphrase);
  const ephDer = Buffer.from(header.ephemeralPublicKey, 'base64');
  const ephPublic = createPublicKey({ key: ephDer, format: 'der', type: 'spki' });
  const key = contentKey(diffieHellman({ privateKey, publicKey: ephPublic }), ephDer);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(header.tag, 'base64'));
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new AppError('DB_CORRUPT', '备份文件内容已损坏（解密校验未通过），不能用于恢复。请换一个备份文件。');
  }
}
