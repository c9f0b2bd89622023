import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { OfficeIdentityFile, TrustedOffice } from '../../../shared/contract/handoff.js';
import { AppError } from '../../../shared/errors.js';
import type { CoreContext } from '../context.js';
import type { Db } from '../db/connection.js';
import { nowIso } from '../db/repository.js';
import { officeTypeOf } from './ownership.js';

/**
 * Office keys (单位密钥) and pairing (配对): each office signs its packages
 * with an Ed25519 key made here on first use; the other office trusts it by
 * importing the identity file and comparing fingerprints by phone.
 */
export const IDENTITY_FORMAT = 'deputy-desk-office-identity';

interface KeyRow {
  public_key: string;
  private_key: string;
  key_id: string;
}

/** First 16 bytes of sha256 over the SPKI DER, hex: names the key in package headers. */
export function keyIdOf(spkiDer: Buffer): string {
  return createHash('sha256').update(spkiDer).digest('hex').slice(0, 32);
}

/** 'A1B2 C3D4 …': the key id in groups of four, to read aloud over the phone. */
export function fingerprintOf(keyId: string): string {
  return keyId.toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
}

function readKey(db: Db): KeyRow | undefined {
  return db.prepare('SELECT public_key, private_key, key_id FROM handoff_keys WHERE id = 1').get() as KeyRow | undefined;
}

/** This office's key pair, made and stored the first time it is needed. */
export function ensureOwnKey(ctx: CoreContext): { keyId: string; publicKey: string; privateKey: KeyObject } {
  ctx.requireOffice();
  let row = readKey(ctx.db);
  if (!row) {
    const pair = generateKeyPairSync('ed25519');
    const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
    row = {
      public_key: spki.toString('base64'),
      private_key: pair.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
      key_id: keyIdOf(spki),
    };
    ctx.db
      .prepare('INSERT INTO handoff_keys (id, public_key, private_key, key_id, created_at) VALUES (1, ?, ?, ?, ?)')
      .run(row.public_key, row.private_key, row.key_id, nowIso());
    ctx.repo.audit({ action: 'key', entity: 'handoff_keys', summary: `生成本单位数据交换密钥，指纹 ${fingerprintOf(row.key_id)}` });
  }
  return {
    keyId: row.key_id,
    publicKey: row.public_key,
    privateKey: createPrivateKey({ key: Buffer.from(row.private_key, 'base64'), format: 'der', type: 'pkcs8' }),
  };
}

export function ownKeyId(db: Db): string | null {
  return readKey(db)?.key_id ?? null;
}

export function ownPublicKey(db: Db): KeyObject | null {
  const row = readKey(db);
  return row ? publicKeyFrom(row.public_key) : null;
}

function publicKeyFrom(base64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
}

export function signBytes(privateKey: KeyObject, data: Buffer): Buffer {
  return sign(null, data, privateKey);
}

export function verifyBytes(publicKeyBase64: string, data: Buffer, signature: Buffer): boolean {
  try {
    return verify(null, data, publicKeyFrom(publicKeyBase64), signature);
  } catch {
    return false;
  }
}

/** The identity file this office gives the other one (no personal data: code, name, type, public key). */
export function identityFile(ctx: CoreContext): OfficeIdentityFile {
  const office = ctx.requireOffice();
  const key = ensureOwnKey(ctx);
  return {
    format: IDENTITY_FORMAT,
    version: 1,
    officeCode: office.officeCode,
    officeName: office.officeName,
    officeType: office.officeType,
    publicKey: key.publicKey,
    keyId: key.keyId,
    fingerprint: fingerprintOf(key.keyId),
    createdAt: nowIso(),
  };
}

/** Reads and checks an identity file; the fingerprint is recomputed from the key, never taken on trust. */
export function parseIdentity(text: string): OfficeIdentityFile {
  let raw: Partial<OfficeIdentityFile>;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, '')) as Partial<OfficeIdentityFile>;
  } catch {
    throw new AppError('VALIDATION', '所选文件不是单位身份文件（无法读取）。请选择对方导出的“单位身份文件”（.json）。');
  }
  if (raw?.format !== IDENTITY_FORMAT) {
    throw new AppError('VALIDATION', '所选文件不是单位身份文件。请选择对方在“数据交换 → 配对”中导出的文件。');
  }
  const code = String(raw.officeCode ?? '');
  if (!/^\d{6}(\d{3}(\d{3})?)?$/.test(code)) throw new AppError('VALIDATION', '单位身份文件中的行政区划代码无效。');
  if (raw.officeType !== officeTypeOf(code)) {
    throw new AppError('VALIDATION', '单位身份文件中的单位类型与行政区划代码不一致（县为6位，乡镇为9或12位）。');
  }
  const name = String(raw.officeName ?? '').trim();
  if (!name || name.length > 40) throw new AppError('VALIDATION', '单位身份文件中的单位名称无效。');
  let der: Buffer;
  try {
    const key = publicKeyFrom(String(raw.publicKey ?? ''));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
    der = key.export({ type: 'spki', format: 'der' });
  } catch {
    throw new AppError('VALIDATION', '单位身份文件中的公钥无效，文件可能已损坏。请让对方重新导出。');
  }
  const keyId = keyIdOf(der);
  if (raw.keyId && raw.keyId !== keyId) {
    throw new AppError('VALIDATION', '单位身份文件中的指纹与公钥不符，文件可能被改动过。请让对方重新导出。');
  }
  return {
    format: IDENTITY_FORMAT,
    version: 1,
    officeCode: code,
    officeName: name,
    officeType: raw.officeType,
    publicKey: der.toString('base64'),
    keyId,
    fingerprint: fingerprintOf(keyId),
    createdAt: String(raw.createdAt ?? ''),
  };
}

interface TrustedRow {
  office_code: string;
  office_name: string;
  office_type: 'county' | 'township';
  public_key: string;
  key_id: string;
  trusted_at: string;
}

function toTrusted(row: TrustedRow): TrustedOffice {
  return {
    officeCode: row.office_code,
    officeName: row.office_name,
    officeType: row.office_type,
    keyId: row.key_id,
    fingerprint: fingerprintOf(row.key_id),
    trustedAt: row.trusted_at,
  };
}

export function trustedOffice(db: Db, code: string): (TrustedOffice & { publicKey: string }) | null {
  const row = db.prepare('SELECT * FROM trusted_offices WHERE office_code = ?').get(code) as TrustedRow | undefined;
  return row ? { ...toTrusted(row), publicKey: row.public_key } : null;
}

export function listTrusted(db: Db): TrustedOffice[] {
  return (db.prepare('SELECT * FROM trusted_offices ORDER BY office_code').all() as TrustedRow[]).map(toTrusted);
}

/**
 * Trusts the other office's key. A county pairs with its townships and a
 * township with its county. A different key for an office already paired
 * is refused unless `replace` (the other office reinstalled): a changed key
 * is exactly what a forged package would show.
 */
export function trustIdentity(ctx: CoreContext, identity: OfficeIdentityFile, replace: boolean): TrustedOffice {
  const me = ctx.requireOffice();
  if (identity.officeCode === me.officeCode) {
    throw new AppError('VALIDATION', '这是本单位自己的身份文件。请导入对方单位导出的身份文件。');
  }
  if (identity.officeType === me.officeType) {
    throw new AppError(
      'VALIDATION',
      me.officeType === 'county'
        ? '县人大只与乡镇配对，所选身份文件属于另一个县级单位。'
        : '乡镇之间不直接交换数据，请与县人大配对，由县人大中转。',
    );
  }
  const existing = trustedOffice(ctx.db, identity.officeCode);
  if (existing && existing.keyId !== identity.keyId && !replace) {
    throw new AppError(
      'CONFLICT',
      `已与“${existing.officeName}”（${existing.officeCode}）配对，但这份身份文件的密钥指纹不同（原 ${existing.fingerprint}，新 ${identity.fingerprint}）。请先电话核对新指纹，确认对方重新安装过程序后再选择“替换密钥”。`,
    );
  }
  const at = nowIso();
  ctx.repo.transaction(() => {
    ctx.db
      .prepare(
        `INSERT INTO trusted_offices (office_code, office_name, office_type, public_key, key_id, trusted_at, operator)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (office_code) DO UPDATE SET office_name = excluded.office_name, office_type = excluded.office_type,
           public_key = excluded.public_key, key_id = excluded.key_id, trusted_at = excluded.trusted_at, operator = excluded.operator`,
      )
      .run(identity.officeCode, identity.officeName, identity.officeType, identity.publicKey, identity.keyId, at, ctx.operator);
    ctx.repo.audit({
      action: 'trust',
      entity: 'trusted_offices',
      entityId: identity.officeCode,
      summary: `${existing ? (existing.keyId === identity.keyId ? '重新确认配对' : '替换配对密钥') : '配对'}：${identity.officeName}（${identity.officeCode}），指纹 ${identity.fingerprint}`,
      before: existing ? { keyId: existing.keyId } : undefined,
      after: { keyId: identity.keyId },
    });
  });
  const { publicKey: _key, ...trusted } = trustedOffice(ctx.db, identity.officeCode)!;
  return trusted;
}

export function untrust(ctx: CoreContext, code: string): void {
  const existing = trustedOffice(ctx.db, code);
  if (!existing) throw new AppError('NOT_FOUND', `尚未与行政区划代码为 ${code} 的单位配对。`);
  ctx.repo.transaction(() => {
    ctx.db.prepare('DELETE FROM trusted_offices WHERE office_code = ?').run(code);
    ctx.repo.audit({
      action: 'untrust',
      entity: 'trusted_offices',
      entityId: code,
      summary: `取消配对：${existing.officeName}（${code}）`,
    });
  });
}
